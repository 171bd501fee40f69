// Step 1170: at the end of a job, a record describing everything the catalog knows is on a tape
// (its backups and their fragments) is written onto that tape, after its data, so the catalog
// can be rebuilt from the volumes alone. The newest such record on a tape supersedes older ones.
import type { BackupView, FragmentView } from '../contract';
import { LABEL_SIZE, type StoredRecord } from '../media';
import type { SiteModel } from '../site';
import { libraryDriver } from './libraries';

export const TAPE_CATALOG_FORMAT = 'mpbackup-tape-catalog';

/** Bytes kept free at the end of every tape for its catalog record. */
export const CATALOG_RESERVE = 1024 * 1024;

export interface TapeCatalog {
  format: typeof TAPE_CATALOG_FORMAT;
  version: 1;
  tape: string;
  library: string;
  writtenAt: string;
  backups: Array<{ backup: BackupView; fragments: FragmentView[] }>;
}

/** Writes a tape's catalog record at its end of data; returns the record (its end is the new fill). */
export async function writeTapeCatalog(site: SiteModel, catalog: TapeCatalog, usedBytes: number, backupId: number, stream: number): Promise<StoredRecord> {
  const volume = await libraryDriver(site, catalog.library).load(catalog.tape);
  try {
    await volume.position(Math.max(usedBytes, LABEL_SIZE));
    const payload = Buffer.from(JSON.stringify(catalog), 'utf8');
    return await volume.write({ type: 'catalog', backupId, stream, chunkIndex: 0, offset: 0 }, payload);
  } finally {
    await volume.unload();
  }
}
