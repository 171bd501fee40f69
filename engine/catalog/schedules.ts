// Repository of backup schedules [410].
import { Schedule, ScheduleInput } from '../contract';
import type { CatalogDatabase } from './database';

interface ScheduleRow {
  id: number;
  target: string;
  mode: string;
  streams: number;
  start_at: string;
  recurrence: string;
  window_minutes: number | null;
  enabled: number;
}

function toSchedule(row: ScheduleRow): Schedule {
  return Schedule.parse({
    id: row.id,
    target: row.target,
    mode: row.mode,
    streams: row.streams,
    startAt: row.start_at,
    recurrence: JSON.parse(row.recurrence),
    windowMinutes: row.window_minutes,
    enabled: row.enabled === 1,
  });
}

function values(input: ScheduleInput): (string | number | null)[] {
  const s = ScheduleInput.parse(input);
  return [s.target, s.mode, s.streams, s.startAt, JSON.stringify(s.recurrence), s.windowMinutes, s.enabled ? 1 : 0];
}

export class ScheduleRepository {
  constructor(private readonly db: CatalogDatabase) {}

  create(input: ScheduleInput): Schedule {
    const id = this.db.transaction(
      (tx) =>
        tx.run(
          'INSERT INTO schedule (target, mode, streams, start_at, recurrence, window_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)',
          values(input),
        ).lastInsertRowid,
    );
    return this.get(id)!;
  }

  update(id: number, input: ScheduleInput): Schedule {
    const changed = this.db.transaction(
      (tx) =>
        tx.run(
          'UPDATE schedule SET target = ?, mode = ?, streams = ?, start_at = ?, recurrence = ?, window_minutes = ?, enabled = ? WHERE id = ?',
          [...values(input), id],
        ).changes,
    );
    if (changed === 0) throw new Error(`no schedule ${id}`);
    return this.get(id)!;
  }

  delete(id: number): void {
    const changed = this.db.transaction((tx) => tx.run('DELETE FROM schedule WHERE id = ?', [id]).changes);
    if (changed === 0) throw new Error(`no schedule ${id}`);
  }

  get(id: number): Schedule | undefined {
    const row = this.db.get<ScheduleRow>('SELECT * FROM schedule WHERE id = ?', [id]);
    return row ? toSchedule(row) : undefined;
  }

  list(): Schedule[] {
    return this.db.all<ScheduleRow>('SELECT * FROM schedule ORDER BY start_at, id').map(toSchedule);
  }
}
