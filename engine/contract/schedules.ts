// Backup schedules [410]: what to back up, how (mode, streams, chunk size, timeout) and when (one
// date-time, or daily / weekly / monthly / a cron expression, read in the schedule's IANA time
// zone), with an optional backup window (latest finish). Runs of a schedule (started, missed,
// skipped), the forecast of planned runs, and the events the scheduler sends.
import { z } from 'zod';
import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from './backups';
import { BackupMode } from './jobs';
import { MAX_STREAMS, MIN_STREAMS } from './streams';

/** A wall-clock time of day, `HH:MM` (00:00 to 23:59), in the schedule's time zone. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM, 00:00 to 23:59');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** The latest finish of a run: `HH:MM` on the day it falls due, or `HH:MM+1` on the next day. */
export const WindowEnd = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(\+1)?$/, 'a window end is HH:MM (the same day) or HH:MM+1 (the next day)');
export type WindowEnd = z.infer<typeof WindowEnd>;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/**
 * A date-time: with `Z` or an offset it is an instant; without, a wall-clock time in the
 * schedule's time zone. Stored schedules always hold the UTC instant (`...Z`).
 */
export const DateTimeText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, 'a date-time is like 2026-11-25T22:00 (in the schedule\'s time zone) or 2026-11-25T21:00:00Z');

/** When a schedule's runs fall due. */
export const ScheduleWhen = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: DateTimeText }).strict(),
  z.object({ kind: z.literal('daily'), time: TimeOfDay }).strict(),
  z.object({ kind: z.literal('weekly'), days: z.array(Weekday).min(1).max(7), time: TimeOfDay }).strict(),
  /** Months without that day (31, or 29-31 in February) have no run. */
  z.object({ kind: z.literal('monthly'), day: z.number().int().min(1).max(31), time: TimeOfDay }).strict(),
  /** Five fields: minute hour day-of-month month day-of-week. */
  z.object({ kind: z.literal('cron'), expression: z.string().min(1).max(200) }).strict(),
]);
export type ScheduleWhen = z.infer<typeof ScheduleWhen>;

const settings = {
  /** A volume such as `X:` or a path under the storage root such as `/pictures`. */
  target: z.string().min(1),
  mode: BackupMode,
  streams: z.number().int().min(MIN_STREAMS).max(MAX_STREAMS),
  /** Null: the backup's default chunk size. */
  chunkSize: z.number().int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE).nullable(),
  /** Null: the backup's default command timeout. */
  timeoutMs: z.number().int().min(10).max(24 * 3600_000).nullable(),
  when: ScheduleWhen,
  /** Null: no window (a run waiting for streams waits until its next run falls due). */
  windowEnd: WindowEnd.nullable(),
  /** An IANA zone such as `Europe/Berlin`; wall-clock times of the schedule are meant in it. */
  timeZone: z.string().min(1).max(100),
  enabled: z.boolean(),
};

/** What the operator gives to create a schedule; omitted settings take their defaults. */
export const ScheduleInput = z
  .object({
    ...settings,
    mode: settings.mode.default('mirrored'),
    streams: settings.streams.default(MIN_STREAMS),
    chunkSize: settings.chunkSize.default(null),
    timeoutMs: settings.timeoutMs.default(null),
    windowEnd: settings.windowEnd.default(null),
    /** Default: the machine's time zone. */
    timeZone: settings.timeZone.optional(),
    enabled: settings.enabled.default(true),
  })
  .strict();
export type ScheduleInputInput = z.input<typeof ScheduleInput>;
export type ScheduleInput = z.output<typeof ScheduleInput>;

/** An edit changes only the settings it gives. */
export const ScheduleEdit = z.object(settings).partial().strict();
export type ScheduleEdit = z.infer<typeof ScheduleEdit>;

/** One run of a recurring schedule moved to another time (on the calendar): its regular due time and where it went (UTC). */
export const ScheduleMove = z.object({ dueAt: z.string(), to: z.string() });
export type ScheduleMove = z.infer<typeof ScheduleMove>;

/**
 * Moves a planned run (`dueAt`, as the forecast or the schedule gives it) to `to`; with `series`,
 * every run of the schedule moves by as much (its time of day, and its days for weekly and
 * monthly schedules). `to` without an offset is a wall-clock time in the schedule's zone.
 */
export const MoveRunRequest = z
  .object({ id: z.number().int().positive(), dueAt: DateTimeText, to: DateTimeText, series: z.boolean().default(false) })
  .strict();
export type MoveRunRequest = z.infer<typeof MoveRunRequest>;
export type MoveRunRequestInput = z.input<typeof MoveRunRequest>;

export const Schedule = z.object({
  id: z.number().int().positive(),
  ...settings,
  /** Runs moved away from their regular time, soonest regular time first (cleared when the timing changes). */
  moves: z.array(ScheduleMove),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When its next run falls due (UTC), null when it never will again (or it is disabled). */
  nextDueAt: z.string().nullable(),
});
export type Schedule = z.infer<typeof Schedule>;

/**
 * planned: fell due and waits for two streams to be free (until its window closes);
 * started: its backup job started; missed: it never started (the reason says why);
 * skipped: it was waiting when its schedule was disabled, edited or removed.
 */
export const ScheduleRunState = z.enum(['planned', 'started', 'missed', 'skipped']);
export type ScheduleRunState = z.infer<typeof ScheduleRunState>;

export const ScheduleRun = z.object({
  id: z.number().int().positive(),
  scheduleId: z.number().int().positive(),
  /** When it fell due (UTC); for "run now", when the operator asked. */
  dueAt: z.string(),
  state: ScheduleRunState,
  reason: z.string().nullable(),
  jobId: z.number().int().positive().nullable(),
  /** Started by "run now" rather than by its time. */
  manual: z.boolean(),
  /** When the state was last recorded. */
  recordedAt: z.string(),
});
export type ScheduleRun = z.infer<typeof ScheduleRun>;

export const ScheduleRunFilter = z
  .object({
    scheduleId: z.number().int().positive().optional(),
    states: z.array(ScheduleRunState).optional(),
    /** Runs due at or after this instant. */
    from: z.string().optional(),
    /** Runs due before this instant. */
    to: z.string().optional(),
    limit: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();
export type ScheduleRunFilterInput = z.input<typeof ScheduleRunFilter>;

/** A planned run in a forecast: when, for how long, and whether enough streams will be free. */
export const ForecastEntry = z.object({
  scheduleId: z.number().int().positive(),
  target: z.string(),
  mode: BackupMode,
  streams: z.number().int(),
  dueAt: z.string(),
  expectedDurationMs: z.number().int().nonnegative(),
  /** history: the median of the target's completed backups; size: its size at a rate. */
  durationBasis: z.enum(['history', 'size']),
  expectedEndAt: z.string(),
  /** When its window closes, null without a window. */
  windowEndAt: z.string().nullable(),
  /** Independent streams of its mover kind the site can give now. */
  streamsAvailable: z.number().int().nonnegative(),
  /** Streams asked for by this run and the planned runs overlapping it. */
  streamsNeeded: z.number().int().nonnegative(),
  /** Schedules whose planned runs overlap this one. */
  overlapsWith: z.array(z.number().int().positive()),
  conflict: z.boolean(),
  /** Why it conflicts (streams, window), empty when it does not. */
  reasons: z.array(z.string()),
});
export type ForecastEntry = z.infer<typeof ForecastEntry>;

/** What the scheduler tells its watchers (and writes to the event log). */
export const ScheduleEvent = z.object({
  /** fired: its job started; waiting: two streams are not free, it retries; missed: it will not run. */
  type: z.enum(['schedule-fired', 'schedule-waiting', 'schedule-missed']),
  scheduleId: z.number().int().positive(),
  dueAt: z.string(),
  jobId: z.number().int().positive().nullable(),
  reason: z.string().nullable(),
});
export type ScheduleEvent = z.infer<typeof ScheduleEvent>;
