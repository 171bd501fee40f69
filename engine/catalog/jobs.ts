// Repository of jobs (the spec's process numbers) and their lifecycle.
import { FINISHED_JOB_STATES, Job, StreamOutcome, type BackupMode, type JobKind, type JobState, type PlannedStream, type StreamStatus } from '../contract';
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
  schedule_id: number | null;
}

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
    scheduleId: row.schedule_id ?? null,
  });
}

export interface NewJob {
  kind: JobKind;
  target: string;
  mode: BackupMode | null;
  streams: number;
  createdAt: string;
  /** The schedule that started it. */
  scheduleId?: number | null;
}

export class JobRepository {
  constructor(private readonly db: CatalogDatabase) {}

  create(job: NewJob): Job {
    const id = this.db.transaction(
      (tx) =>
        tx.run('INSERT INTO job (kind, target, mode, streams, state, created_at, schedule_id) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          job.kind,
          job.target,
          job.mode,
          job.streams,
          'queued',
          job.createdAt,
          job.scheduleId ?? null,
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
          [state, message, state, at, FINISHED_JOB_STATES.includes(state) ? 1 : 0, at, id],
        ).changes,
    );
    if (changed === 0) throw new Error(`no job ${id}`);
    return this.get(id)!;
  }

  /** Marks every queued or running job interrupted, in one transaction; returns their ids. */
  interruptUnfinished(at: string): number[] {
    const ids = this.db.all<{ id: number }>(`SELECT id FROM job WHERE state IN ('queued', 'reserving', 'running') ORDER BY id`).map((r) => r.id);
    if (ids.length === 0) return [];
    this.db.transaction((tx) => {
      tx.run(`UPDATE job SET state = 'interrupted', ended_at = ?, message = coalesce(message, ?) WHERE state IN ('queued', 'reserving', 'running')`, [
        at,
        'the manager stopped while the job ran',
      ]);
      tx.run(`UPDATE job_stream SET state = 'failed', error = 'interrupted' WHERE state IN ('reserved', 'running')`);
    });
    return ids;
  }

  /** Records what each stream of a job was given: its mover, library, tape and switches. */
  recordStreams(jobId: number, streams: readonly PlannedStream[]): void {
    this.db.transaction((tx) => {
      for (const s of streams) {
        tx.run('INSERT INTO job_stream (job_id, stream, mover, library_id, tape_id, switches, state, tapes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          jobId,
          s.stream,
          s.mover,
          s.library,
          s.tape,
          JSON.stringify(s.switches),
          'reserved',
          JSON.stringify([s.tape]),
        ]);
      }
    });
  }

  /** A stream's progress through its life: its status, why it failed, the tapes it wrote on. */
  setStream(jobId: number, stream: number, change: { status?: StreamStatus; error?: string; tapes?: readonly string[] }): void {
    this.db.transaction((tx) => {
      if (change.status !== undefined) tx.run('UPDATE job_stream SET state = ? WHERE job_id = ? AND stream = ?', [change.status, jobId, stream]);
      if (change.error !== undefined) tx.run('UPDATE job_stream SET error = ? WHERE job_id = ? AND stream = ?', [change.error, jobId, stream]);
      if (change.tapes !== undefined) {
        tx.run('UPDATE job_stream SET tapes = ? WHERE job_id = ? AND stream = ?', [JSON.stringify(change.tapes), jobId, stream]);
      }
    });
  }

  /** The streams of a job as they ended (or stand). */
  /** Stores what a restore or verification reported at its end (JSON), to be shown again later. */
  saveReport(jobId: number, kind: 'restore' | 'verify', report: unknown): void {
    this.db.transaction((tx) => tx.run('INSERT OR REPLACE INTO job_report (job_id, kind, report) VALUES (?, ?, ?)', [jobId, kind, JSON.stringify(report)]));
  }

  /** The report of a restore or verification job, as stored; undefined when it has none (yet). */
  report(jobId: number): { kind: 'restore' | 'verify'; report: unknown } | undefined {
    const row = this.db.get<{ kind: 'restore' | 'verify'; report: string }>('SELECT kind, report FROM job_report WHERE job_id = ?', [jobId]);
    return row ? { kind: row.kind, report: JSON.parse(row.report) as unknown } : undefined;
  }

  streams(jobId: number): StreamOutcome[] {
    const rows = this.db.all<{ stream: number; mover: string; library_id: string; tapes: string; switches: string; state: string; bytes: number; error: string | null }>(
      'SELECT stream, mover, library_id, tapes, switches, state, bytes, error FROM job_stream WHERE job_id = ? ORDER BY stream',
      [jobId],
    );
    return rows.map((r) =>
      StreamOutcome.parse({
        stream: r.stream,
        mover: r.mover,
        library: r.library_id,
        tapes: JSON.parse(r.tapes),
        switches: JSON.parse(r.switches),
        status: r.state,
        bytes: r.bytes,
        error: r.error,
      }),
    );
  }

  /**
   * Recent backup jobs that succeeded (degraded too), newest first: their target, how long they
   * ran and how many bytes they stored; of one target or of all.
   */
  completedBackups(target?: string, limit = 20): { target: string; durationMs: number; size: number }[] {
    const rows = this.db.all<{ target: string; started_at: string; ended_at: string; size: number | null }>(
      `SELECT job.target, job.started_at, job.ended_at, backup.size FROM job LEFT JOIN backup ON backup.job_id = job.id
       WHERE job.kind = 'backup' AND job.state IN ('succeeded', 'succeeded-degraded') AND job.started_at IS NOT NULL AND job.ended_at IS NOT NULL
         AND (? IS NULL OR job.target = ?)
       ORDER BY job.id DESC LIMIT ?`,
      [target ?? null, target ?? null, limit],
    );
    return rows.map((r) => ({ target: r.target, durationMs: Math.max(0, Date.parse(r.ended_at) - Date.parse(r.started_at)), size: r.size ?? 0 }));
  }

  /** How many streams of the last `jobs` jobs used each mover, library and switch. */
  recentUse(jobs: number): Map<string, number> {
    const rows = this.db.all<{ mover: string; library_id: string; switches: string }>(
      // The last jobs that reserved streams: a job just created (none yet) does not shift the window.
      'SELECT mover, library_id, switches FROM job_stream WHERE job_id IN (SELECT DISTINCT job_id FROM job_stream ORDER BY job_id DESC LIMIT ?)',
      [jobs],
    );
    const uses = new Map<string, number>();
    for (const row of rows) {
      for (const id of [row.mover, row.library_id, ...(JSON.parse(row.switches) as string[])]) uses.set(id, (uses.get(id) ?? 0) + 1);
    }
    return uses;
  }
}
