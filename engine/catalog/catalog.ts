// The catalog of one site: the durable database and its repositories.
import { BackupRepository } from './backups';
import { BrowseRepository } from './browse';
import { CatalogDatabase, type OpenOptions } from './database';
import { EventRepository } from './events';
import { InventoryRepository } from './inventory';
import { JobRepository } from './jobs';
import { ScheduleRepository } from './schedules';

export interface CatalogOptions extends OpenOptions {
  /** The clock for times the catalog stamps itself (state changes). */
  now?: () => string;
}

export class Catalog {
  readonly inventory: InventoryRepository;
  readonly jobs: JobRepository;
  readonly events: EventRepository;
  readonly schedules: ScheduleRepository;
  readonly backups: BackupRepository;
  /** Read-only queries of the restore browser: targets, backups, directories, search. */
  readonly browse: BrowseRepository;

  private constructor(readonly db: CatalogDatabase, now: () => string) {
    this.inventory = new InventoryRepository(db, now);
    this.jobs = new JobRepository(db);
    this.events = new EventRepository(db);
    this.schedules = new ScheduleRepository(db);
    this.backups = new BackupRepository(db);
    this.browse = new BrowseRepository(db);
  }

  /** Opens the catalog in a site directory (creating it if absent) and takes the site's lock. */
  static async open(dir: string, options: CatalogOptions = {}): Promise<Catalog> {
    const db = await CatalogDatabase.open(dir, options);
    const catalog = new Catalog(db, options.now ?? (() => new Date().toISOString()));
    catalog.schedules.adoptTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    return catalog;
  }

  /** Opens the site's catalog files again after `replace` put new ones in place, under this process's lock (see CatalogDatabase.replaceFiles). */
  async replaceFiles<T>(replace: () => Promise<T>): Promise<T> {
    try {
      return await this.db.replaceFiles(replace);
    } finally {
      this.schedules.adoptTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    }
  }

  close(): void {
    this.db.close();
  }
}
