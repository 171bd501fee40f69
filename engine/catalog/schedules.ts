// Repository of backup schedules [410], their runs (planned, started, missed, skipped) and the
// time the scheduler was last known to be up (catalog_meta `scheduler_up_at`). Settings are
// validated by engine/schedule before they get here; rows are checked again when read.
import { Schedule, ScheduleRun, type ScheduleMove, type ScheduleRunState, type ScheduleWhen } from '../contract';
import type { CatalogDatabase } from './database';
import { NotFoundError } from './errors';

/** A schedule as stored (without what is computed from it). */
export type StoredSchedule = Omit<Schedule, 'nextDueAt'>;
/** Everything of a schedule but its id, times and moved runs. */
export type ScheduleSettings = Omit<StoredSchedule, 'id' | 'createdAt' | 'updatedAt' | 'moves'>;

const StoredSchedule = Schedule.omit({ nextDueAt: true });
const UP_KEY = 'scheduler_up_at';

interface ScheduleRow {
  id: number;
  target: string;
  mode: string;
  streams: number;
  chunk_size: number | null;
  timeout_ms: number | null;
  timing: string;
  window_end: string | null;
  time_zone: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

interface RunRow {
  id: number;
  schedule_id: number;
  due_at: string;
  state: string;
  reason: string | null;
  job_id: number | null;
  manual: number;
  recorded_at: string;
}

function toSchedule(row: ScheduleRow, moves: ScheduleMove[]): StoredSchedule {
  return StoredSchedule.parse({
    moves,
    id: row.id,
    target: row.target,
    mode: row.mode,
    streams: row.streams,
    chunkSize: row.chunk_size,
    timeoutMs: row.timeout_ms,
    when: JSON.parse(row.timing) as ScheduleWhen,
    windowEnd: row.window_end,
    timeZone: row.time_zone,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function toRun(row: RunRow): ScheduleRun {
  return ScheduleRun.parse({
    id: row.id,
    scheduleId: row.schedule_id,
    dueAt: row.due_at,
    state: row.state,
    reason: row.reason,
    jobId: row.job_id,
    manual: row.manual === 1,
    recordedAt: row.recorded_at,
  });
}

function values(s: ScheduleSettings): (string | number | null)[] {
  return [s.target, s.mode, s.streams, s.chunkSize, s.timeoutMs, JSON.stringify(s.when), s.windowEnd, s.timeZone, s.enabled ? 1 : 0];
}

export interface NewScheduleRun {
  scheduleId: number;
  dueAt: string;
  state: ScheduleRunState;
  reason: string | null;
  jobId: number | null;
  manual: boolean;
  at: string;
}

export interface RunQuery {
  scheduleId?: number;
  states?: readonly ScheduleRunState[];
  from?: string;
  to?: string;
  limit?: number;
}

export class ScheduleRepository {
  constructor(private readonly db: CatalogDatabase) {}

  create(settings: ScheduleSettings, at: string): StoredSchedule {
    const id = this.db.transaction(
      (tx) =>
        tx.run(
          `INSERT INTO schedule (target, mode, streams, chunk_size, timeout_ms, timing, window_end, time_zone, enabled, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [...values(settings), at, at],
        ).lastInsertRowid,
    );
    return this.get(id)!;
  }

  update(id: number, settings: ScheduleSettings, at: string): StoredSchedule {
    const changed = this.db.transaction(
      (tx) =>
        tx.run(
          `UPDATE schedule SET target = ?, mode = ?, streams = ?, chunk_size = ?, timeout_ms = ?, timing = ?, window_end = ?, time_zone = ?, enabled = ?, updated_at = ?
           WHERE id = ?`,
          [...values(settings), at, id],
        ).changes,
    );
    if (changed === 0) throw new NotFoundError(`no schedule ${id}`);
    return this.get(id)!;
  }

  delete(id: number): void {
    const changed = this.db.transaction((tx) => {
      tx.run('DELETE FROM schedule_move WHERE schedule_id = ?', [id]);
      return tx.run('DELETE FROM schedule WHERE id = ?', [id]).changes;
    });
    if (changed === 0) throw new NotFoundError(`no schedule ${id}`);
  }

  /** Replaces a schedule's moved runs (and stamps it changed). */
  setMoves(id: number, moves: readonly ScheduleMove[], at: string): StoredSchedule {
    const changed = this.db.transaction((tx) => {
      const n = tx.run('UPDATE schedule SET updated_at = ? WHERE id = ?', [at, id]).changes;
      tx.run('DELETE FROM schedule_move WHERE schedule_id = ?', [id]);
      for (const move of moves) tx.run('INSERT INTO schedule_move (schedule_id, due_at, moved_to) VALUES (?, ?, ?)', [id, move.dueAt, move.to]);
      return n;
    });
    if (changed === 0) throw new NotFoundError(`no schedule ${id}`);
    return this.get(id)!;
  }

  get(id: number): StoredSchedule | undefined {
    const row = this.db.get<ScheduleRow>('SELECT * FROM schedule WHERE id = ?', [id]);
    return row ? toSchedule(row, this.moves(id).get(id) ?? []) : undefined;
  }

  list(): StoredSchedule[] {
    const moves = this.moves(null);
    return this.db.all<ScheduleRow>('SELECT * FROM schedule ORDER BY id').map((row) => toSchedule(row, moves.get(row.id) ?? []));
  }

  /** Moved runs of one schedule (or of all), soonest regular time first. */
  private moves(id: number | null): Map<number, ScheduleMove[]> {
    const rows = this.db.all<{ schedule_id: number; due_at: string; moved_to: string }>(
      `SELECT schedule_id, due_at, moved_to FROM schedule_move ${id === null ? '' : 'WHERE schedule_id = ?'} ORDER BY schedule_id, due_at`,
      id === null ? [] : [id],
    );
    const byId = new Map<number, ScheduleMove[]>();
    for (const row of rows) {
      let list = byId.get(row.schedule_id);
      if (!list) byId.set(row.schedule_id, (list = []));
      list.push({ dueAt: row.due_at, to: row.moved_to });
    }
    return byId;
  }

  /** Schedules carried over from catalog version 1 had no zone: they take `zone`. */
  adoptTimeZone(zone: string): void {
    if (this.db.get('SELECT 1 AS x FROM schedule WHERE time_zone = \'\'') === undefined) return;
    this.db.transaction((tx) => tx.run(`UPDATE schedule SET time_zone = ? WHERE time_zone = ''`, [zone]));
  }

  addRun(run: NewScheduleRun): ScheduleRun {
    const id = this.db.transaction(
      (tx) =>
        tx.run('INSERT INTO schedule_run (schedule_id, due_at, state, reason, job_id, manual, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          run.scheduleId,
          run.dueAt,
          run.state,
          run.reason,
          run.jobId,
          run.manual ? 1 : 0,
          run.at,
        ]).lastInsertRowid,
    );
    return this.run(id)!;
  }

  /** A planned run ends: started with its job, missed or skipped with the reason. */
  setRun(id: number, change: { state: ScheduleRunState; reason: string | null; jobId: number | null; at: string }): ScheduleRun {
    const changed = this.db.transaction(
      (tx) => tx.run('UPDATE schedule_run SET state = ?, reason = ?, job_id = ?, recorded_at = ? WHERE id = ?', [change.state, change.reason, change.jobId, change.at, id]).changes,
    );
    if (changed === 0) throw new NotFoundError(`no schedule run ${id}`);
    return this.run(id)!;
  }

  run(id: number): ScheduleRun | undefined {
    const row = this.db.get<RunRow>('SELECT * FROM schedule_run WHERE id = ?', [id]);
    return row ? toRun(row) : undefined;
  }

  /** Runs newest due first. */
  runs(query: RunQuery = {}): ScheduleRun[] {
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.scheduleId !== undefined) {
      conditions.push('schedule_id = ?');
      params.push(query.scheduleId);
    }
    if (query.states && query.states.length > 0) {
      conditions.push(`state IN (${query.states.map(() => '?').join(', ')})`);
      params.push(...query.states);
    }
    if (query.from !== undefined) {
      conditions.push('due_at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      conditions.push('due_at < ?');
      params.push(query.to);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.all<RunRow>(`SELECT * FROM schedule_run ${where} ORDER BY due_at DESC, id DESC LIMIT ?`, [...params, query.limit ?? 100]).map(toRun);
  }

  /** The latest due time recorded for a schedule's timed runs (not "run now"), if any. */
  lastDue(scheduleId: number): string | null {
    return this.db.get<{ due: string | null }>('SELECT max(due_at) AS due FROM schedule_run WHERE schedule_id = ? AND manual = 0', [scheduleId])?.due ?? null;
  }

  /** When the scheduler was last known to be running; null if it never ran. */
  upAt(): string | null {
    return this.db.get<{ value: string }>('SELECT value FROM catalog_meta WHERE key = ?', [UP_KEY])?.value ?? null;
  }

  setUpAt(at: string): void {
    this.db.transaction((tx) => tx.run('INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [UP_KEY, at]));
  }
}
