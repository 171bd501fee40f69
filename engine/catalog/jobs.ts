// Repository of jobs (the spec's process numbers) and their lifecycle.
import { Job, type BackupMode, type JobKind, type JobState, type PlannedStream } from '../contract';
import type { CatalogDatabase } from './database';

interface JobRow {
  id: number;
  kind: string;
  target: string;
  mode: string | null;
  streams: number;
  state: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  message: string | null;
}

const TERMINAL: readonly JobState[] = ['succeeded', 'degraded', 'failed', 'cancelled', 'interrupted'];

function toJob(row: JobRow): Job {
  return Job.parse({
    id: row.id,
    kind: row.kind,
    target: row.target,
    mode: row.mode,
    streams: row.streams,
    state: row.state,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    message: row.message,
  });
}

export interface NewJob {
  kind: JobKind;
  target: string;
  mode: BackupMode | null;
  streams: number;
  createdAt: string;
}

export class JobRepository {
  constructor(private readonly db: CatalogDatabase) {}

  create(job: NewJob): Job {
    const id = this.db.transaction(
      (tx) =>
        tx.run('INSERT INTO job (kind, target, mode, streams, state, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          job.kind,
          job.target,
          job.mode,
          job.streams,
          'queued',
          job.createdAt,
        ]).lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): Job | undefined {
    const row = this.db.get<JobRow>('SELECT * FROM job WHERE id = ?', [id]);
    return row ? toJob(row) : undefined;
  }

  /** Newest first. */
  list(options: { limit?: number; states?: JobState[] } = {}): Job[] {
    const states = options.states ?? [];
    const where = states.length > 0 ? `WHERE state IN (${states.map(() => '?').join(', ')})` : '';
    return this.db
      .all<JobRow>(`SELECT * FROM job ${where} ORDER BY id DESC LIMIT ?`, [...states, options.limit ?? 100])
      .map(toJob);
  }

  /** Moves a job to a new state; the start and end times follow from it. */
  setState(id: number, state: JobState, at: string, message: string | null = null): Job {
    const changed = this.db.transaction(
      (tx) =>
        tx.run(
          `UPDATE job SET state = ?, message = coalesce(?, message),
             started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? ELSE started_at END,
             ended_at = CASE WHEN ? THEN ? ELSE ended_at END
           WHERE id = ?`,
          [state, message, state, at, TERMINAL.includes(state) ? 1 : 0, at, id],
        ).changes,
    );
    if (changed === 0) throw new Error(`no job ${id}`);
    return this.get(id)!;
  }

  /** Marks every queued or running job interrupted, in one transaction; returns their ids. */
  interruptUnfinished(at: string): number[] {
    const ids = this.db.all<{ id: number }>(`SELECT id FROM job WHERE state IN ('queued', 'running') ORDER BY id`).map((r) => r.id);
    if (ids.length === 0) return [];
    this.db.transaction((tx) =>
      tx.run(`UPDATE job SET state = 'interrupted', ended_at = ?, message = coalesce(message, ?) WHERE state IN ('queued', 'running')`, [
        at,
        'the manager stopped while the job ran',
      ]),
    );
    return ids;
  }

  /** Records what each stream of a job was given: its mover, library, tape and switches. */
  recordStreams(jobId: number, streams: readonly PlannedStream[]): void {
    this.db.transaction((tx) => {
      for (const s of streams) {
        tx.run('INSERT INTO job_stream (job_id, stream, mover, library_id, tape_id, switches, state) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          jobId,
          s.stream,
          s.mover,
          s.library,
          s.tape,
          JSON.stringify(s.switches),
          'reserved',
        ]);
      }
    });
  }

  /** How many streams of the last `jobs` jobs used each mover, library and switch. */
  recentUse(jobs: number): Map<string, number> {
    const rows = this.db.all<{ mover: string; library_id: string; switches: string }>(
      'SELECT mover, library_id, switches FROM job_stream WHERE job_id IN (SELECT id FROM job ORDER BY id DESC LIMIT ?)',
      [jobs],
    );
    const uses = new Map<string, number>();
    for (const row of rows) {
      for (const id of [row.mover, row.library_id, ...(JSON.parse(row.switches) as string[])]) uses.set(id, (uses.get(id) ?? 0) + 1);
    }
    return uses;
  }
}
