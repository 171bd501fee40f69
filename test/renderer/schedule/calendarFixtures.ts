// Test data and a fake engine for the schedule calendar, on top of the shared fixtures: planned
// and recorded runs, the jobs they started, and handlers whose forecast and runs answer for the
// range asked (as the engine does) from lists the test holds and may change between calls.
import type { ForecastEntry, Job, MethodInput, Schedule, ScheduleRun } from '../../../engine/contract';
import type { Handlers } from '../fakeApi';
import { forecastEntry, job, site } from '../fixtures';

export function run(id: number, over: Partial<ScheduleRun> = {}): ScheduleRun {
  return { id, scheduleId: 1, dueAt: '2026-11-30T22:00:00.000Z', state: 'started', reason: null, jobId: null, manual: false, recordedAt: '2026-11-30T22:00:01.000Z', ...over };
}

/** A planned run of a schedule, its expected end `minutes` after its due time. */
export function planned(scheduleId: number, dueAt: string, over: Partial<ForecastEntry> = {}, minutes = 30): ForecastEntry {
  const end = new Date(Date.parse(dueAt) + minutes * 60_000).toISOString();
  return forecastEntry(scheduleId, { dueAt, expectedEndAt: end, expectedDurationMs: minutes * 60_000, ...over });
}

export function scheduledJob(id: number, scheduleId: number, state: Job['state'], startedAt: string, minutes = 20): Job {
  const ended = ['queued', 'reserving', 'running'].includes(state) ? null : new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
  return job(id, { scheduleId, state, target: 'X:', createdAt: startedAt, startedAt, endedAt: ended });
}

export interface CalendarEngine {
  schedules: Schedule[];
  forecast: ForecastEntry[];
  runs: ScheduleRun[];
  jobs: Job[];
}

function inRange(at: string, range: { from?: string; to?: string } | undefined): boolean {
  const t = Date.parse(at);
  return (!range?.from || t >= Date.parse(range.from)) && (!range?.to || t < Date.parse(range.to));
}

/** An engine answering the calendar's reads from `data` (which the test may change between calls). */
export function calendarHandlers(data: CalendarEngine): Handlers {
  return {
    describeSite: () => site(),
    streamCapacity: () => ({ mirrored: 3, failover: 2 }),
    listSchedules: () => data.schedules,
    forecastSchedules: (range: MethodInput<'forecastSchedules'>) => data.forecast.filter((e) => inRange(e.dueAt, range)),
    scheduleRuns: (filter) => data.runs.filter((r) => inRange(r.dueAt, filter ?? undefined)),
    listJobs: () => data.jobs,
    getJob: ({ jobId }) => {
      const found = data.jobs.find((j) => j.id === jobId);
      if (!found) throw new Error(`no job ${jobId}`);
      return { job: found, log: [] };
    },
  };
}
