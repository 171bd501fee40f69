// Schedules [410]: their settings checked against the site, recurrences and windows computed by
// croner in each schedule's time zone, the runner that starts due runs as backup jobs (waiting for
// streams within a run's window, recording missed runs), and the forecast of planned runs.
// What an interrupted run leaves behind: see runner.ts.
export { systemClock, type Clock, type TimerHandle } from './clock';
export { ScheduleNotFoundError, ScheduleRequestError } from './errors';
export { DEFAULT_RATE, MAX_FORECAST_RUNS } from './forecast';
export type { PastBackup, ScheduleHost, ScheduleSettings, ScheduleStore, StoredSchedule } from './host';
export { HEARTBEAT_MS, LATE_MS, NOT_RUNNING, RETRY_MS, Scheduler, type SchedulerOptions } from './runner';
export { describe as describeSchedule, MAX_FORECAST_DAYS, ScheduleService } from './service';
export { cronPattern, dueTimes, instantOf, machineTimeZone, nextDue, windowClose } from './timing';
