// The calendar's events: the forecast's planned runs (with their expected length, conflicts and
// whether they were moved) and the recorded runs (started, waiting, missed, skipped; a started
// run lasts from its due time until its job ended), one list in time order, and the same list
// by local day. A forecast entry that has become a recorded run is shown once, as the run.
import type { BackupMode, ForecastEntry, Job, Schedule, ScheduleRun } from '../../../engine/contract';
import { dayKey } from './calendarTime';
import { runOutcome, type Outcome } from './outcomes';

export interface CalendarEvent {
  /** Unique on the calendar: `plan:<schedule>:<due>` or `run:<id>`. */
  key: string;
  scheduleId: number;
  /** Null when neither the schedule nor a job says any more (a removed schedule's missed run). */
  target: string | null;
  mode: BackupMode | null;
  streams: number | null;
  /** When it starts and ends (or is expected to), ms since 1970; an end is never before the start. */
  start: number;
  end: number;
  /** A run still to come: it can be moved. */
  planned: boolean;
  outcome: Outcome;
  /** When it falls due as the forecast lists it (what moveScheduleRun takes), or fell due. */
  dueAt: string;
  /** Its regular due time when it was moved away from it. */
  movedFrom: string | null;
  conflict: boolean;
  reasons: string[];
  streamsAvailable: number | null;
  streamsNeeded: number | null;
  overlapsWith: number[];
  windowEndAt: string | null;
  expectedDurationMs: number | null;
  durationBasis: ForecastEntry['durationBasis'] | null;
  jobId: number | null;
  /** Why it was missed, skipped or waits; a job's last message. */
  reason: string | null;
  /** Started by "run now". */
  manual: boolean;
}

export interface CalendarData {
  forecast: readonly ForecastEntry[];
  runs: readonly ScheduleRun[];
  jobs: Readonly<Record<number, Job>>;
  schedules: readonly Schedule[];
  now: number;
}

/** The regular due time of each moved run, by `<schedule> <where it went, ms>`. */
type MovedRuns = Map<string, string>;

function movedRuns(schedules: readonly Schedule[]): MovedRuns {
  const moved: MovedRuns = new Map();
  for (const schedule of schedules) for (const move of schedule.moves) moved.set(`${schedule.id} ${Date.parse(move.to)}`, move.dueAt);
  return moved;
}

function plannedEvent(entry: ForecastEntry, moved: MovedRuns): CalendarEvent {
  const start = Date.parse(entry.dueAt);
  return {
    key: `plan:${entry.scheduleId}:${entry.dueAt}`,
    scheduleId: entry.scheduleId,
    target: entry.target,
    mode: entry.mode,
    streams: entry.streams,
    start,
    end: Math.max(start, Date.parse(entry.expectedEndAt)),
    planned: true,
    outcome: 'planned',
    dueAt: entry.dueAt,
    movedFrom: moved.get(`${entry.scheduleId} ${start}`) ?? null,
    conflict: entry.conflict,
    reasons: entry.reasons,
    streamsAvailable: entry.streamsAvailable,
    streamsNeeded: entry.streamsNeeded,
    overlapsWith: entry.overlapsWith,
    windowEndAt: entry.windowEndAt,
    expectedDurationMs: entry.expectedDurationMs,
    durationBasis: entry.durationBasis,
    jobId: null,
    reason: null,
    manual: false,
  };
}

function recordedEvent(run: ScheduleRun, job: Job | undefined, schedule: Schedule | undefined, moved: MovedRuns, now: number): CalendarEvent {
  const due = Date.parse(run.dueAt);
  const outcome = runOutcome(run, job);
  // From when it fell due (a wait for streams included) to when its job ended, or now.
  const end = job?.endedAt ? Date.parse(job.endedAt) : outcome === 'running' || outcome === 'waiting' ? now : due;
  return {
    key: `run:${run.id}`,
    scheduleId: run.scheduleId,
    target: schedule?.target ?? job?.target ?? null,
    mode: schedule?.mode ?? job?.mode ?? null,
    streams: schedule?.streams ?? job?.streams ?? null,
    start: due,
    end: Math.max(due, end),
    planned: false,
    outcome,
    dueAt: run.dueAt,
    movedFrom: moved.get(`${run.scheduleId} ${due}`) ?? null,
    conflict: false,
    reasons: [],
    streamsAvailable: null,
    streamsNeeded: null,
    overlapsWith: [],
    windowEndAt: null,
    expectedDurationMs: null,
    durationBasis: null,
    jobId: run.jobId,
    reason: run.reason ?? job?.message ?? null,
    manual: run.manual,
  };
}

/** Every event of the data, in time order (then by schedule). */
export function calendarEvents(data: CalendarData): CalendarEvent[] {
  const schedules = new Map(data.schedules.map((s) => [s.id, s]));
  const moved = movedRuns(data.schedules);
  const recorded = new Set(data.runs.filter((r) => !r.manual).map((r) => `${r.scheduleId} ${Date.parse(r.dueAt)}`));
  const events: CalendarEvent[] = [];
  for (const run of data.runs) events.push(recordedEvent(run, run.jobId === null ? undefined : data.jobs[run.jobId], schedules.get(run.scheduleId), moved, data.now));
  for (const entry of data.forecast) {
    if (!recorded.has(`${entry.scheduleId} ${Date.parse(entry.dueAt)}`)) events.push(plannedEvent(entry, moved));
  }
  return events.sort((a, b) => a.start - b.start || a.scheduleId - b.scheduleId);
}

/** Events by the local day they start on (`YYYY-MM-DD`), each day's in time order. */
export function eventsByDay(events: readonly CalendarEvent[]): Map<string, CalendarEvent[]> {
  const days = new Map<string, CalendarEvent[]>();
  for (const event of events) {
    const key = dayKey(event.start);
    const list = days.get(key);
    if (list) list.push(event);
    else days.set(key, [event]);
  }
  return days;
}
