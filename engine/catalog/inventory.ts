// Repository of the live inventory: resource states and holders (tables [420]-[470]), zones, and
// tape fill levels. Implements the site's InventoryStore: one change, one durable transaction.
import { InventoryChange, ResourceStatus, TapeUsage, Zone } from '../contract';
import type { CatalogDatabase } from './database';

interface StateRow {
  id: string;
  state: string;
  job_id: number | null;
  stream: number | null;
}

interface ZoneRow {
  job_id: number;
  stream: number;
  name: string;
  switches: string;
  members: string;
}

interface TapeRow {
  id: string;
  used_bytes: number;
  full: number;
}

export class InventoryRepository {
  constructor(
    private readonly db: CatalogDatabase,
    private readonly now: () => string,
  ) {}

  load(): { statuses: ResourceStatus[]; zones: Zone[]; tapes: TapeUsage[] } {
    const statuses = this.db.all<StateRow>('SELECT id, state, job_id, stream FROM resource_state ORDER BY id').map((r) =>
      ResourceStatus.parse({ id: r.id, state: r.state, holder: r.job_id === null ? null : { jobId: r.job_id, stream: r.stream } }),
    );
    const zones = this.db.all<ZoneRow>('SELECT * FROM zone ORDER BY job_id, stream').map((r) =>
      Zone.parse({ name: r.name, jobId: r.job_id, stream: r.stream, switches: JSON.parse(r.switches), members: JSON.parse(r.members) }),
    );
    const tapes = this.db.all<TapeRow>('SELECT id, used_bytes, full FROM tape ORDER BY id').map((r) =>
      TapeUsage.parse({ id: r.id, usedBytes: r.used_bytes, full: r.full === 1 }),
    );
    return { statuses, zones, tapes };
  }

  save(change: InventoryChange): void {
    const valid = InventoryChange.parse(change);
    const at = this.now();
    this.db.transaction((tx) => {
      for (const status of valid.statuses) {
        if (status.state === 'available') {
          tx.run('DELETE FROM resource_state WHERE id = ?', [status.id]);
        } else {
          tx.run('INSERT OR REPLACE INTO resource_state (id, state, job_id, stream, changed_at) VALUES (?, ?, ?, ?, ?)', [
            status.id,
            status.state,
            status.holder?.jobId ?? null,
            status.holder?.stream ?? null,
            at,
          ]);
        }
      }
      for (const jobId of valid.zonesRemovedForJobs) tx.run('DELETE FROM zone WHERE job_id = ?', [jobId]);
      for (const zone of valid.zonesAdded) {
        tx.run('INSERT INTO zone (job_id, stream, name, switches, members) VALUES (?, ?, ?, ?, ?)', [
          zone.jobId,
          zone.stream,
          zone.name,
          JSON.stringify(zone.switches),
          JSON.stringify(zone.members),
        ]);
      }
    });
  }
}
