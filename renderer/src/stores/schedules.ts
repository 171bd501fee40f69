// Schedules [410]: every schedule with its next due time, the forecast of the next day's runs
// (expected durations, conflicts; the Overview's), and what the calendar shows of one range: its
// planned runs (the forecast from now on), its recorded runs (started, waiting, missed, skipped)
// and the jobs those started, whose states say how they ended. Creating, changing, enabling,
// removing a schedule, moving a run and "run now" are here too. Kept live: the scheduler's
// reports (fired, waiting, missed) reload the lists and the range; the jobs of recorded runs
// follow their `job` events. When the site changes, the old site's schedules and runs go and
// what was shown is read again.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { BackupResult, ForecastEntry, Job, JobEvent, MoveRunRequestInput, Schedule, ScheduleEdit, ScheduleEvent, ScheduleInputInput, ScheduleRun } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { failure, type Failure } from './failure';
import { latestReads } from './latest';

/** How far ahead the forecast looks. */
export const FORECAST_HOURS = 24;
/** Recorded runs read for a range at most. */
export const RANGE_RUNS = 10_000;
/** The newest jobs read to find how the range's started runs ended. */
export const RANGE_JOBS = 1000;
/** Older jobs than those read one at a time, at most this many per range. */
export const JOB_LOOKUPS = 100;
/** Scheduler reports kept. */
export const REPORTS_KEPT = 5;

/** The range the calendar shows, as UTC instants. */
export interface CalendarRange {
  from: string;
  to: string;
}

export const useSchedulesStore = defineStore('schedules', () => {
  const api = useApi();
  const schedules = ref<Schedule[]>([]);
  // Lists replaced whole (never changed in place) are shallow: a month's 2,000 runs need no deep proxies.
  const forecast = shallowRef<ForecastEntry[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<Failure | null>(null);
  const forecastError = ref<Failure | null>(null);
  /** Schedules whose "run now" is still running. */
  const runningNow = ref<number[]>([]);
  /** The job a "run now" still running started, by schedule (from the scheduler's report). */
  const startedNow = ref<Record<number, number>>({});
  /** The last "run now" result of each schedule. */
  const lastRun = ref<Record<number, BackupResult>>({});
  /** The last action that failed: run now, enable or disable, remove. */
  const actionError = ref<Failure | null>(null);

  // The calendar's range.
  const range = ref<CalendarRange | null>(null);
  const rangeForecast = shallowRef<ForecastEntry[]>([]);
  const rangeRuns = shallowRef<ScheduleRun[]>([]);
  /** Jobs of the range's started runs, by id. */
  const runJobs = shallowRef<Record<number, Job>>({});
  /** The range's runs have been read (for the range now shown). */
  const rangeLoaded = ref(false);
  const rangeLoading = ref(false);
  const rangeError = ref<Failure | null>(null);
  let rangeRead = 0;

  const saving = ref(false);
  const formError = ref<Failure | null>(null);
  const moving = ref(false);
  const moveError = ref<Failure | null>(null);
  /** Schedules being enabled, disabled or removed. */
  const busy = ref<number[]>([]);
  /** The scheduler's latest reports, newest first. */
  const reports = ref<ScheduleEvent[]>([]);

  /** Enabled schedules that will run again, soonest first. */
  const upcoming = computed(() =>
    schedules.value.filter((s) => s.enabled && s.nextDueAt !== null).sort((a, b) => Date.parse(a.nextDueAt!) - Date.parse(b.nextDueAt!)),
  );

  function schedule(id: number): Schedule | null {
    return schedules.value.find((s) => s.id === id) ?? null;
  }

  const scheduleReads = latestReads();
  async function load(now: Date = new Date()): Promise<void> {
    const isLatest = scheduleReads();
    loading.value = true;
    try {
      const read = await api.listSchedules();
      if (!isLatest()) return;
      schedules.value = read;
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      if (isLatest()) error.value = failure('failures.listSchedules', cause);
    } finally {
      if (isLatest()) loading.value = false;
    }
    if (!isLatest()) return;
    try {
      const to = new Date(now.getTime() + FORECAST_HOURS * 3600_000);
      const read = await api.forecastSchedules({ from: now.toISOString(), to: to.toISOString() });
      if (!isLatest()) return;
      forecast.value = read;
      forecastError.value = null;
    } catch (cause) {
      if (isLatest()) forecastError.value = failure('failures.forecast', cause);
    }
  }
  const reload = coalesce(() => load(), 300);

  /** The jobs of started runs: the newest at once, older ones one by one (a bounded number). */
  async function jobsOf(runs: readonly ScheduleRun[]): Promise<Record<number, Job>> {
    const wanted = new Set(runs.flatMap((r) => (r.jobId === null ? [] : [r.jobId])));
    const found: Record<number, Job> = {};
    if (wanted.size === 0) return found;
    for (const job of await api.listJobs({ limit: RANGE_JOBS })) if (wanted.has(job.id)) found[job.id] = job;
    const missing = [...wanted].filter((id) => !found[id]).slice(0, JOB_LOOKUPS);
    const details = await Promise.allSettled(missing.map((jobId) => api.getJob({ jobId })));
    for (const detail of details) if (detail.status === 'fulfilled') found[detail.value.job.id] = detail.value.job;
    return found;
  }

  /**
   * Reads what the calendar shows from `from` to `to`: the forecast from now on (the runs still
   * to come), the runs recorded before now and their jobs. An answer for a range no longer shown
   * is dropped.
   */
  async function loadRange(from: Date, to: Date, now: Date = new Date()): Promise<void> {
    const read = ++rangeRead;
    const next = { from: from.toISOString(), to: to.toISOString() };
    if (range.value?.from !== next.from || range.value?.to !== next.to) {
      range.value = next;
      rangeLoaded.value = false;
    }
    rangeLoading.value = true;
    const forecastFrom = new Date(Math.max(from.getTime(), now.getTime()));
    const [planned, runs] = await Promise.allSettled([
      forecastFrom < to ? api.forecastSchedules({ from: forecastFrom.toISOString(), to: next.to }) : Promise.resolve([]),
      from < now ? api.scheduleRuns({ from: next.from, to: next.to, limit: RANGE_RUNS }) : Promise.resolve([]),
    ]);
    let jobs: Record<number, Job> = {};
    let jobsFailure: unknown = null;
    if (runs.status === 'fulfilled') {
      try {
        jobs = await jobsOf(runs.value);
      } catch (cause) {
        jobsFailure = cause;
      }
    }
    if (read !== rangeRead) return;
    if (planned.status === 'fulfilled') rangeForecast.value = planned.value;
    if (runs.status === 'fulfilled') {
      rangeRuns.value = runs.value;
      runJobs.value = jobs;
    }
    const failed = planned.status === 'rejected' ? planned.reason : runs.status === 'rejected' ? runs.reason : jobsFailure;
    rangeError.value = failed === null ? null : failure('schedule.failures.calendar', failed);
    rangeLoaded.value = true;
    rangeLoading.value = false;
  }
  const reloadRange = coalesce(() => range.value && loadRange(new Date(range.value.from), new Date(range.value.to)), 300);

  /** Reads the schedules, the forecast and the calendar's range again, at once. */
  async function refresh(): Promise<void> {
    await Promise.all([load(), range.value ? loadRange(new Date(range.value.from), new Date(range.value.to)) : null]);
  }

  /** Creates a schedule; null when the engine refused (its reason is in formError). */
  async function create(input: ScheduleInputInput): Promise<Schedule | null> {
    saving.value = true;
    try {
      const made = await api.createSchedule(input);
      formError.value = null;
      await refresh();
      return made;
    } catch (cause) {
      formError.value = failure('schedule.failures.create', cause, { target: input.target });
      return null;
    } finally {
      saving.value = false;
    }
  }

  /** Changes the settings an edit gives; null when the engine refused (formError says why). */
  async function edit(id: number, change: ScheduleEdit): Promise<Schedule | null> {
    saving.value = true;
    try {
      const changed = await api.editSchedule({ id, edit: change });
      formError.value = null;
      await refresh();
      return changed;
    } catch (cause) {
      formError.value = failure('schedule.failures.edit', cause, { id });
      return null;
    } finally {
      saving.value = false;
    }
  }

  async function withBusy(id: number, doing: string, call: () => Promise<unknown>): Promise<boolean> {
    busy.value = [...busy.value, id];
    try {
      await call();
      actionError.value = null;
      await refresh();
      return true;
    } catch (cause) {
      actionError.value = failure(doing, cause, { id });
      return false;
    } finally {
      busy.value = busy.value.filter((s) => s !== id);
    }
  }

  function setEnabled(id: number, enabled: boolean): Promise<boolean> {
    return withBusy(id, enabled ? 'schedule.failures.enable' : 'schedule.failures.disable', () => api.editSchedule({ id, edit: { enabled } }));
  }

  /** Removes a schedule (its recorded runs and jobs stay). */
  function remove(id: number): Promise<boolean> {
    return withBusy(id, 'schedule.failures.remove', () => api.deleteSchedule({ id }));
  }

  /** Moves one planned run (or with `series` every run); null when the engine refused (moveError says why). */
  async function moveRun(request: MoveRunRequestInput): Promise<Schedule | null> {
    moving.value = true;
    try {
      const moved = await api.moveScheduleRun(request);
      moveError.value = null;
      await refresh();
      return moved;
    } catch (cause) {
      moveError.value = failure('schedule.failures.move', cause, { id: request.id });
      return null;
    } finally {
      moving.value = false;
    }
  }

  /** Runs a schedule's backup now; answers when it has ended (its start is reported by the scheduler meanwhile). */
  async function runNow(id: number): Promise<BackupResult | null> {
    runningNow.value = [...runningNow.value, id];
    try {
      const result = await api.runScheduleNow({ id });
      lastRun.value[id] = result;
      actionError.value = null;
      return result;
    } catch (cause) {
      actionError.value = failure('failures.runScheduleNow', cause, { id });
      return null;
    } finally {
      runningNow.value = runningNow.value.filter((s) => s !== id);
      delete startedNow.value[id];
      reload();
      reloadRange();
    }
  }

  function clearFormError(): void {
    formError.value = null;
  }

  function clearMoveError(): void {
    moveError.value = null;
  }

  function onScheduleEvent(event: ScheduleEvent): void {
    reports.value = [event, ...reports.value].slice(0, REPORTS_KEPT);
    if (event.type === 'schedule-fired' && event.jobId !== null && runningNow.value.includes(event.scheduleId)) startedNow.value[event.scheduleId] = event.jobId;
    if (loaded.value) reload();
    if (range.value) reloadRange();
  }

  function onJobEvent(event: JobEvent): void {
    if (event.type !== 'job-state' && event.type !== 'job-finished') return;
    const job = runJobs.value[event.jobId];
    if (!job) return;
    const ended = event.type === 'job-finished' ? (job.endedAt ?? new Date().toISOString()) : job.endedAt;
    runJobs.value = { ...runJobs.value, [job.id]: { ...job, state: event.state, message: event.message, endedAt: ended } };
    if (event.type === 'job-finished') reloadRange();
  }

  /** Another site (or this one reopened): its schedules and runs replace the old ones. */
  function siteChanged(): void {
    const wasLoaded = loaded.value;
    const shown = range.value;
    rangeRead++;
    schedules.value = [];
    forecast.value = [];
    loaded.value = false;
    error.value = null;
    forecastError.value = null;
    startedNow.value = {};
    lastRun.value = {};
    actionError.value = null;
    rangeForecast.value = [];
    rangeRuns.value = [];
    runJobs.value = {};
    rangeLoaded.value = false;
    rangeLoading.value = false;
    rangeError.value = null;
    formError.value = null;
    moveError.value = null;
    busy.value = [];
    reports.value = [];
    if (wasLoaded) void load();
    if (shown) void loadRange(new Date(shown.from), new Date(shown.to));
  }

  api.on('schedule', onScheduleEvent);
  api.on('job', onJobEvent);
  api.on('site', siteChanged);

  return {
    schedules,
    forecast,
    loaded,
    loading,
    error,
    forecastError,
    runningNow,
    startedNow,
    lastRun,
    actionError,
    range,
    rangeForecast,
    rangeRuns,
    runJobs,
    rangeLoaded,
    rangeLoading,
    rangeError,
    saving,
    formError,
    moving,
    moveError,
    busy,
    reports,
    upcoming,
    schedule,
    load,
    loadRange,
    refresh,
    create,
    edit,
    setEnabled,
    remove,
    moveRun,
    runNow,
    clearFormError,
    clearMoveError,
  };
});
