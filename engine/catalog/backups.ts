// Repository of backups, their copies, their fragments (table [460]) and their file index. Every
// stored chunk is one transaction that extends the fragment it continues (or starts a new one),
// advances its tape's fill and counts the stream's bytes, so the catalog never calls stored what
// is not on a tape and a tape is never written over what the catalog points at.
import { BackupView, FragmentView, type BackupMode, type BackupState, type CopyState } from '../contract';
import type { CatalogDatabase, Transaction } from './database';

export interface NewBackup {
  jobId: number;
  target: string;
  mode: BackupMode;
  sourceKind: 'directory' | 'file' | 'volume';
  dataTime: string;
  startedAt: string;
  size: number;
  chunkSize: number;
  files: number;
  /** The copies the job will try to make (mirrored: one per stream; failover: just 0). */
  copies: number[];
}

export interface FileIndexEntry {
  no: number;
  parent: number | null;
  name: string;
  type: string;
  size: number;
  mtimeMs: number;
  mode: number;
  offset: number;
  /** What a symlink points to. */
  linkTarget?: string;
}

/** A chunk a mover reports as durable on a tape. */
export interface StoredChunk {
  backupId: number;
  jobId: number;
  copy: number;
  stream: number;
  chunkIndex: number;
  /** Where the chunk starts in the backup stream, and its length. */
  offset: number;
  size: number;
  library: string;
  tape: string;
  /** Position of the chunk's record on the tape and the byte after it. */
  position: number;
  end: number;
  /** The contiguous run of records this chunk ends: where it starts and the SHA-256 of its records' digests. */
  run: { position: number; sha256: string };
}

/** A row of the `backup` table. */
export interface BackupRow {
  id: number;
  job_id: number;
  target: string;
  mode: string;
  data_time: string;
  started_at: string;
  ended_at: string | null;
  size: number;
  state: string;
  chunk_size: number;
  files: number;
  source_kind: string;
}

interface FragmentRow {
  id: number;
  copy: number;
  stream: number;
  library_id: string;
  tape_id: string;
  position: number;
  end_position: number;
  size: number;
  stream_offset: number;
  chunks: number;
  sha256: string;
}

const FILE_BATCH = 500;

export class BackupRepository {
  constructor(private readonly db: CatalogDatabase) {}

  create(backup: NewBackup): number {
    return this.db.transaction((tx) => {
      const id = tx.run(
        `INSERT INTO backup (job_id, target, mode, data_time, started_at, size, state, chunk_size, source_kind, files)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        [backup.jobId, backup.target, backup.mode, backup.dataTime, backup.startedAt, backup.size, backup.chunkSize, backup.sourceKind, backup.files],
      ).lastInsertRowid;
      for (const copy of backup.copies) tx.run(`INSERT INTO backup_copy (backup_id, copy, state) VALUES (?, ?, 'writing')`, [id, copy]);
      return id;
    });
  }

  /** Records the file index of a backup, in batches of one transaction each. */
  addFiles(backupId: number, entries: readonly FileIndexEntry[]): void {
    insertFiles(this.db, backupId, entries);
  }

  /** Marks files whose data could not be stored as listed (`changed`, `vanished`). */
  markFiles(backupId: number, marks: ReadonlyArray<{ no: number; status: string }>): void {
    if (marks.length === 0) return;
    this.db.transaction((tx) => {
      for (const m of marks) tx.run('UPDATE file_index SET status = ? WHERE backup_id = ? AND file_no = ?', [m.status, backupId, m.no]);
    });
  }

  /** Files marked as not stored as listed. */
  markedFiles(backupId: number): Array<{ no: number; name: string; status: string }> {
    return this.db.all<{ no: number; name: string; status: string }>(
      `SELECT file_no AS no, name, status FROM file_index WHERE backup_id = ? AND status != 'ok' ORDER BY file_no`,
      [backupId],
    );
  }

  /** One durable step: the chunk's fragment, its tape's fill and its stream's byte count. */
  commitChunk(chunk: StoredChunk): void {
    this.db.transaction((tx) => {
      const last = tx.get<{ id: number; tape_id: string; position: number; stream: number }>(
        'SELECT id, tape_id, position, stream FROM fragment WHERE backup_id = ? AND copy = ? ORDER BY stream_offset DESC LIMIT 1',
        [chunk.backupId, chunk.copy],
      );
      if (last && last.tape_id === chunk.tape && last.position === chunk.run.position && last.stream === chunk.stream) {
        tx.run('UPDATE fragment SET size = size + ?, chunks = chunks + 1, end_position = ?, sha256 = ? WHERE id = ?', [
          chunk.size,
          chunk.end,
          chunk.run.sha256,
          last.id,
        ]);
      } else {
        tx.run(
          `INSERT INTO fragment (backup_id, copy, stream, chunk_index, stream_offset, size, chunks, library_id, tape_id, position, end_position, sha256)
           VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
          [chunk.backupId, chunk.copy, chunk.stream, chunk.chunkIndex, chunk.offset, chunk.size, chunk.library, chunk.tape, chunk.position, chunk.end, chunk.run.sha256],
        );
      }
      setTapeUsed(tx, chunk.tape, chunk.library, chunk.end);
      tx.run('UPDATE backup_copy SET size = size + ? WHERE backup_id = ? AND copy = ?', [chunk.size, chunk.backupId, chunk.copy]);
      tx.run('UPDATE job_stream SET bytes = bytes + ? WHERE job_id = ? AND stream = ?', [chunk.size, chunk.jobId, chunk.stream]);
    });
  }

  /** Records a tape's end of data after something other than a chunk was written (its catalog record). */
  setTapeUsed(tape: string, library: string, usedBytes: number): void {
    this.db.transaction((tx) => setTapeUsed(tx, tape, library, usedBytes));
  }

  /** A tape that could not take the next record is full: no stream is given it again. */
  setTapeFull(tape: string, library: string): void {
    this.db.transaction((tx) =>
      tx.run(
        `INSERT INTO tape (id, library_id, used_bytes, full) VALUES (?, ?, 0, 1) ON CONFLICT (id) DO UPDATE SET full = 1`,
        [tape, library],
      ),
    );
  }

  /** Notes when a tape was first labeled. */
  setTapeLabeled(tape: string, library: string, at: string): void {
    this.db.transaction((tx) =>
      tx.run(
        `INSERT INTO tape (id, library_id, used_bytes, full, labeled_at) VALUES (?, ?, 0, 0, ?)
         ON CONFLICT (id) DO UPDATE SET labeled_at = coalesce(labeled_at, excluded.labeled_at)`,
        [tape, library, at],
      ),
    );
  }

  setCopy(backupId: number, copy: number, state: CopyState): void {
    this.db.transaction((tx) => tx.run('UPDATE backup_copy SET state = ? WHERE backup_id = ? AND copy = ?', [state, backupId, copy]));
  }

  /** Ends a backup; copies still being written become failed. */
  finish(backupId: number, state: Exclude<BackupState, 'running'>, at: string): void {
    this.db.transaction((tx) => {
      tx.run(`UPDATE backup_copy SET state = 'failed' WHERE backup_id = ? AND state = 'writing'`, [backupId]);
      tx.run('UPDATE backup SET state = ?, ended_at = ? WHERE id = ?', [state, at, backupId]);
    });
  }

  /** At start-up: backups left running were interrupted; their unfinished copies failed. */
  interruptUnfinished(at: string): number[] {
    const ids = this.db.all<{ id: number }>(`SELECT id FROM backup WHERE state = 'running' ORDER BY id`).map((r) => r.id);
    if (ids.length > 0) {
      this.db.transaction((tx) => {
        tx.run(`UPDATE backup_copy SET state = 'failed' WHERE state = 'writing'`);
        tx.run(`UPDATE backup SET state = 'interrupted', ended_at = ? WHERE state = 'running'`, [at]);
      });
    }
    return ids;
  }

  get(id: number): BackupView | undefined {
    const row = this.db.get<BackupRow>('SELECT * FROM backup WHERE id = ?', [id]);
    return row ? this.toView(row) : undefined;
  }

  byJob(jobId: number): BackupView | undefined {
    const row = this.db.get<BackupRow>('SELECT * FROM backup WHERE job_id = ?', [jobId]);
    return row ? this.toView(row) : undefined;
  }

  /** Newest first. */
  list(options: { limit?: number; target?: string } = {}): BackupView[] {
    const where = options.target === undefined ? '' : 'WHERE target = ?';
    const params = options.target === undefined ? [] : [options.target];
    return this.db.all<BackupRow>(`SELECT * FROM backup ${where} ORDER BY id DESC LIMIT ?`, [...params, options.limit ?? 100]).map((r) => this.toView(r));
  }

  /** The fragments of a backup by copy, in stream order. */
  fragments(backupId: number): FragmentView[] {
    return this.db
      .all<FragmentRow>('SELECT * FROM fragment WHERE backup_id = ? ORDER BY copy, stream_offset', [backupId])
      .map(toFragment);
  }

  /** The restorable (complete) backups with a fragment on each tape, by tape id, ids in order. */
  restorableByTape(): Map<string, number[]> {
    const byTape = new Map<string, number[]>();
    const rows = this.db.all<{ tape: string; id: number }>(
      `SELECT DISTINCT f.tape_id AS tape, f.backup_id AS id FROM fragment f JOIN backup b ON b.id = f.backup_id WHERE b.state = 'complete' ORDER BY f.tape_id, f.backup_id`,
    );
    for (const { tape, id } of rows) byTape.set(tape, [...(byTape.get(tape) ?? []), id]);
    return byTape;
  }

  /** Everything the catalog knows is on one tape: the backups and their fragments there. */
  onTape(tape: string): Array<{ backup: BackupView; fragments: FragmentView[] }> {
    const rows = this.db.all<FragmentRow & { backup_id: number }>('SELECT * FROM fragment WHERE tape_id = ? ORDER BY position', [tape]);
    const byBackup = new Map<number, FragmentView[]>();
    for (const row of rows) {
      const list = byBackup.get(row.backup_id) ?? [];
      list.push(toFragment(row));
      byBackup.set(row.backup_id, list);
    }
    return [...byBackup].map(([id, fragments]) => ({ backup: this.get(id)!, fragments }));
  }

  private toView(row: BackupRow): BackupView {
    const copies = this.db.all<{ copy: number; state: CopyState }>('SELECT copy, state FROM backup_copy WHERE backup_id = ? ORDER BY copy', [row.id]);
    return BackupView.parse(backupView(row, copies));
  }
}

/** A backup row and its copies as the contract shows them (not validated: see BackupView.parse). */
export function backupView(row: BackupRow, copies: Array<{ copy: number; state: CopyState }>): BackupView {
  return {
    id: row.id,
    jobId: row.job_id,
    target: row.target,
    mode: row.mode as BackupMode,
    state: row.state as BackupState,
    dataTime: row.data_time,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    size: row.size,
    chunkSize: row.chunk_size,
    sourceKind: row.source_kind as BackupView['sourceKind'],
    files: row.files,
    copies,
  };
}

/** Inserts file index rows of a backup, in batches of one transaction each. */
export function insertFiles(db: CatalogDatabase, backupId: number, entries: readonly FileIndexEntry[]): void {
  for (let i = 0; i < entries.length; i += FILE_BATCH) {
    const batch = entries.slice(i, i + FILE_BATCH);
    db.transaction((tx) => {
      for (const e of batch) {
        tx.run(
          `INSERT INTO file_index (backup_id, file_no, parent_no, name, type, size, mtime, mode, stream_offset, link_target)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [backupId, e.no, e.parent, e.name, e.type, e.size, Math.floor(e.mtimeMs), e.mode, e.offset, e.linkTarget ?? null],
        );
      }
    });
  }
}

function setTapeUsed(tx: Transaction, tape: string, library: string, usedBytes: number): void {
  tx.run(
    `INSERT INTO tape (id, library_id, used_bytes, full) VALUES (?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET used_bytes = excluded.used_bytes`,
    [tape, library, usedBytes],
  );
}

function toFragment(row: FragmentRow): FragmentView {
  return FragmentView.parse({
    copy: row.copy,
    stream: row.stream,
    library: row.library_id,
    tape: row.tape_id,
    position: row.position,
    size: row.size,
    offset: row.stream_offset,
    chunks: row.chunks,
    sha256: row.sha256,
  });
}
