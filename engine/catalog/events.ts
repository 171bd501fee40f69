// Repository of the event log: what happened, when, to which job or device.
import { LogEvent, type EventLevel } from '../contract';
import type { CatalogDatabase } from './database';

interface EventRow {
  id: number;
  at: string;
  level: string;
  job_id: number | null;
  device_id: string | null;
  message: string;
}

export interface NewEvent {
  at: string;
  level: EventLevel;
  jobId: number | null;
  deviceId: string | null;
  message: string;
}

function toEvent(row: EventRow): LogEvent {
  return LogEvent.parse({ id: row.id, at: row.at, level: row.level, jobId: row.job_id, deviceId: row.device_id, message: row.message });
}

export class EventRepository {
  constructor(private readonly db: CatalogDatabase) {}

  append(event: NewEvent): LogEvent {
    const id = this.db.transaction(
      (tx) =>
        tx.run('INSERT INTO event_log (at, level, job_id, device_id, message) VALUES (?, ?, ?, ?, ?)', [
          event.at,
          event.level,
          event.jobId,
          event.deviceId,
          event.message,
        ]).lastInsertRowid,
    );
    return { id, ...event };
  }

  /** Newest first; `beforeId` pages back through older events; `level` keeps it and the more severe. */
  list(options: { limit?: number; beforeId?: number; jobId?: number; deviceId?: string; level?: EventLevel } = {}): LogEvent[] {
    const conditions: string[] = [];
    const params: Array<number | string> = [];
    if (options.beforeId !== undefined) {
      conditions.push('id < ?');
      params.push(options.beforeId);
    }
    if (options.jobId !== undefined) {
      conditions.push('job_id = ?');
      params.push(options.jobId);
    }
    if (options.deviceId !== undefined) {
      conditions.push('device_id = ?');
      params.push(options.deviceId);
    }
    if (options.level !== undefined && options.level !== 'info') {
      const levels = options.level === 'warning' ? ['warning', 'error'] : ['error'];
      conditions.push(`level IN (${levels.map(() => '?').join(', ')})`);
      params.push(...levels);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.all<EventRow>(`SELECT * FROM event_log ${where} ORDER BY id DESC LIMIT ?`, [...params, options.limit ?? 100]).map(toEvent);
  }
}
