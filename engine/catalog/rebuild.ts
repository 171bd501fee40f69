// Writing a catalog rebuilt from the tapes. The new catalog is built in a directory of its own
// (`catalog-rebuild.tmp/` in the site), with the ids the tapes carry (jobs, backups), then put in
// place of the site's catalog files; the files it replaces are moved to
// `catalog-before-rebuild-<time>/`. The caller holds the site's lock throughout (lockSite).
//
// What an interrupted rebuild leaves behind: while the new catalog is being built, the site's
// catalog files are untouched and a `catalog-rebuild.tmp/` directory (removed by the next
// rebuild). During the swap, the old journal is moved to the backup directory first and the new
// snapshot then renamed over the old one (atomic), so the site's catalog is always either the
// complete old snapshot or the complete new one, never a half-built one; the old files are
// complete in `catalog-before-rebuild-<time>/` from the first step on.
import fs from 'node:fs';
import path from 'node:path';
import type { BackupMode, BackupState, CopyState, JobState } from '../contract';
import { fsyncDir } from '../durable';
import { insertFiles, type FileIndexEntry } from './backups';
import { CatalogDatabase, JOURNAL_FILE, SNAPSHOT_FILE, SUM_FILE } from './database';
import type { NewEvent } from './events';
import { acquireLock } from './lock';

/** Where a rebuilt catalog is built before it replaces the site's. */
export const REBUILD_DIR = 'catalog-rebuild.tmp';
/** Prefix of the directories the replaced catalog files are moved to. */
export const REPLACED_PREFIX = 'catalog-before-rebuild-';


export interface RebuiltJob {
  id: number;
  target: string;
  mode: BackupMode;
  streams: number;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  message: string | null;
}

export interface RebuiltBackup {
  id: number;
  jobId: number;
  target: string;
  mode: BackupMode;
  state: BackupState;
  sourceKind: 'directory' | 'file' | 'volume';
  dataTime: string;
  startedAt: string;
  endedAt: string | null;
  size: number;
  chunkSize: number;
  files: number;
  copies: Array<{ copy: number; state: CopyState; size: number }>;
}

export interface RebuiltFragment {
  copy: number;
  stream: number;
  chunkIndex: number;
  offset: number;
  size: number;
  chunks: number;
  library: string;
  tape: string;
  position: number;
  endPosition: number;
  sha256: string;
}

export interface RebuiltTape {
  id: string;
  library: string;
  usedBytes: number;
  full: boolean;
  labeledAt: string | null;
}

/** Takes the site's lock (SiteInUseError when a process has the site open); returns its release. */
export function lockSite(dir: string): () => void {
  return acquireLock(dir);
}

/** Inserts into a new, empty catalog, keeping the ids given. */
export class RebuildRepository {
  constructor(private readonly db: CatalogDatabase) {}

  addJob(job: RebuiltJob): void {
    this.db.transaction((tx) =>
      tx.run(
        `INSERT INTO job (id, kind, target, mode, streams, state, created_at, started_at, ended_at, message) VALUES (?, 'backup', ?, ?, ?, ?, ?, ?, ?, ?)`,
        [job.id, job.target, job.mode, job.streams, job.state, job.createdAt, job.startedAt, job.endedAt, job.message],
      ),
    );
  }

  /** A backup with its copies and fragments, in one transaction. */
  addBackup(backup: RebuiltBackup, fragments: readonly RebuiltFragment[]): void {
    this.db.transaction((tx) => {
      tx.run(
        `INSERT INTO backup (id, job_id, target, mode, data_time, started_at, ended_at, size, state, chunk_size, source_kind, files)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [backup.id, backup.jobId, backup.target, backup.mode, backup.dataTime, backup.startedAt, backup.endedAt, backup.size, backup.state, backup.chunkSize, backup.sourceKind, backup.files],
      );
      for (const c of backup.copies) tx.run('INSERT INTO backup_copy (backup_id, copy, state, size) VALUES (?, ?, ?, ?)', [backup.id, c.copy, c.state, c.size]);
      for (const f of fragments) {
        tx.run(
          `INSERT INTO fragment (backup_id, copy, stream, chunk_index, stream_offset, size, chunks, library_id, tape_id, position, end_position, sha256)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [backup.id, f.copy, f.stream, f.chunkIndex, f.offset, f.size, f.chunks, f.library, f.tape, f.position, f.endPosition, f.sha256],
        );
      }
    });
  }

  /** File index rows of a backup (status ok), in batches of one transaction each. */
  addFiles(backupId: number, entries: readonly FileIndexEntry[]): void {
    insertFiles(this.db, backupId, entries);
  }


  /** Forgets the file index rows of a backup (a read of its copy failed half way). */
  clearFiles(backupId: number): void {
    this.db.transaction((tx) => tx.run('DELETE FROM file_index WHERE backup_id = ?', [backupId]));
  }

  addTape(tape: RebuiltTape): void {
    this.db.transaction((tx) =>
      tx.run('INSERT INTO tape (id, library_id, used_bytes, full, labeled_at) VALUES (?, ?, ?, ?, ?)', [tape.id, tape.library, tape.usedBytes, tape.full ? 1 : 0, tape.labeledAt]),
    );
  }

  /** Marks a device or tape unavailable (a tape whose label cannot be read, so no job writes on it). */
  setUnavailable(id: string, at: string): void {
    this.db.transaction((tx) => tx.run(`INSERT OR REPLACE INTO resource_state (id, state, job_id, stream, changed_at) VALUES (?, 'unavailable', NULL, NULL, ?)`, [id, at]));
  }

  addEvent(event: NewEvent): void {
    this.db.transaction((tx) =>
      tx.run('INSERT INTO event_log (at, level, job_id, device_id, message) VALUES (?, ?, ?, ?, ?)', [event.at, event.level, event.jobId, event.deviceId, event.message]),
    );
  }
}

/**
 * Builds a new catalog with `fill` in a directory of its own, then puts it in place of the
 * site's catalog files (moved to `catalog-before-rebuild-<stamp>/`, returned; null when the
 * site had none). The caller must hold the site's lock. If `fill` throws, the site's catalog is
 * left as it was.
 */
export async function replaceCatalog(siteDir: string, stamp: string, fill: (repository: RebuildRepository) => Promise<void>): Promise<string | null> {
  const work = path.join(siteDir, REBUILD_DIR);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work);
  try {
    const db = await CatalogDatabase.open(work);
    try {
      await fill(new RebuildRepository(db));
      db.checkpoint();
    } finally {
      db.close();
    }
    return swapIn(siteDir, path.join(work, SNAPSHOT_FILE), stamp);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Moves the site's catalog files aside and the new snapshot in; see the header for the order. */
function swapIn(siteDir: string, snapshot: string, stamp: string): string | null {
  const current = path.join(siteDir, SNAPSHOT_FILE);
  // A checksum without its snapshot (the snapshot was deleted) belongs to nothing.
  if (!fs.existsSync(current)) for (const name of [SUM_FILE, `${SUM_FILE}.tmp`]) fs.rmSync(path.join(siteDir, name), { force: true });
  const files = [SNAPSHOT_FILE, SUM_FILE, JOURNAL_FILE, `${SNAPSHOT_FILE}.tmp`, `${SUM_FILE}.tmp`].filter((name) => fs.existsSync(path.join(siteDir, name)));
  let aside: string | null = null;
  if (files.length > 0) {
    aside = path.join(siteDir, `${REPLACED_PREFIX}${stamp}`);
    for (let n = 2; fs.existsSync(aside); n++) aside = path.join(siteDir, `${REPLACED_PREFIX}${stamp}-${n}`);
    fs.mkdirSync(aside);
    // Second names for the old snapshot and its checksum: they stay in place until the new ones replace them.
    for (const name of [SNAPSHOT_FILE, SUM_FILE].filter((f) => files.includes(f))) {
      try {
        fs.linkSync(path.join(siteDir, name), path.join(aside, name));
      } catch {
        fs.copyFileSync(path.join(siteDir, name), path.join(aside, name));
      }
    }
    for (const name of files.filter((f) => f !== SNAPSHOT_FILE && f !== SUM_FILE)) fs.renameSync(path.join(siteDir, name), path.join(aside, name));
    fsyncDir(aside);
    fsyncDir(siteDir);
  }
  // The new checksum waits beside the snapshot it belongs to until that is in place.
  fs.renameSync(path.join(path.dirname(snapshot), SUM_FILE), path.join(siteDir, `${SUM_FILE}.tmp`));
  fs.renameSync(snapshot, current);
  fs.renameSync(path.join(siteDir, `${SUM_FILE}.tmp`), path.join(siteDir, SUM_FILE));
  fsyncDir(siteDir);
  return aside;
}
