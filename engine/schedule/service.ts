// Schedules as the engine offers them: create, edit, remove and list them (checked before
// anything is stored), their runs, the forecast, "run now", the runner, and the recovery at
// open (runs left waiting by a manager that stopped are recorded missed).
import { ScheduleRunFilter, type BackupResult, type ForecastEntry, type Schedule, type ScheduleRun, type ScheduleRunFilterInput } from '../contract';
import { ScheduleNotFoundError, ScheduleRequestError } from './errors';
import { forecast } from './forecast';
import type { ScheduleHost, StoredSchedule } from './host';
import { backupRequest, Scheduler, type SchedulerOptions } from './runner';
import { editedSettings, newSettings } from './settings';
import { nextDue } from './timing';

/** The longest forecast range. */
export const MAX_FORECAST_DAYS = 366;

export class ScheduleService {
  private runner: Scheduler | null = null;

  constructor(private readonly host: ScheduleHost) {}

  list(): Schedule[] {
    return this.host.store.list().map((s) => this.view(s));
  }

  get(id: number): Schedule {
    return this.view(this.stored(id));
  }

  create(input: unknown): Schedule {
    const settings = newSettings(this.host, input);
    const schedule = this.host.store.create(settings, this.nowText());
    this.host.log('info', `schedule ${schedule.id} created: ${describe(schedule)}`);
    this.runner?.replan();
    return this.view(schedule);
  }

  edit(id: number, edit: unknown): Schedule {
    const current = this.stored(id);
    const settings = editedSettings(this.host, current, edit);
    const schedule = this.host.store.update(id, settings, this.nowText());
    this.host.log('info', `schedule ${id} changed: ${describe(schedule)}`);
    this.runner?.replan();
    return this.view(schedule);
  }

  remove(id: number): void {
    this.stored(id);
    this.host.store.delete(id);
    this.host.log('info', `schedule ${id} removed`);
    this.runner?.replan();
  }

  runs(filter: ScheduleRunFilterInput = {}): ScheduleRun[] {
    const valid = ScheduleRunFilter.parse(filter);
    return this.host.store.runs(valid);
  }

  forecast(from: Date, to: Date): ForecastEntry[] {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new ScheduleRequestError('a forecast needs two date-times');
    if (to.getTime() <= from.getTime()) throw new ScheduleRequestError(`the forecast's end ${to.toISOString()} is not after its start ${from.toISOString()}`);
    if (to.getTime() - from.getTime() > MAX_FORECAST_DAYS * 86_400_000) throw new ScheduleRequestError(`a forecast covers at most ${MAX_FORECAST_DAYS} days`);
    return forecast(this.host, this.host.store.list(), from, to);
  }

  /**
   * Starts a schedule's backup at once (disabled schedules too: the operator asked), recorded as
   * a manual run; resolves with the job's result when it ends. Bad input throws before anything.
   */
  runNow(id: number): Promise<BackupResult> {
    const schedule = this.stored(id);
    const dueAt = this.nowText();
    return this.host.backup(backupRequest(schedule), (jobId) => {
      this.host.store.addRun({ scheduleId: id, dueAt, state: 'started', reason: null, jobId, manual: true, at: dueAt });
      this.host.log('info', `schedule ${id}: run now started job ${jobId}, backup of ${schedule.target}`, { jobId });
      this.host.emit({ type: 'schedule-fired', scheduleId: id, dueAt, jobId, reason: null });
    });
  }

  /** Starts the runner; returns it (its stop() stops it). One runner per engine. */
  start(options: SchedulerOptions = {}): Scheduler {
    if (this.runner?.active) throw new ScheduleRequestError('the scheduler is already running');
    this.runner = new Scheduler(this.host, options);
    this.runner.start();
    return this.runner;
  }

  /** Stops the runner, if one runs. */
  stop(): void {
    this.runner?.stop();
  }

  /** The schedules changed wholesale (a catalog rebuild): the runner looks at their due times now. */
  replan(): void {
    this.runner?.replan();
  }

  /** Runs waiting for streams now. */
  get waitingRuns(): number {
    return this.runner?.waitingRuns ?? 0;
  }

  /** Runs left planned (waiting for streams) when the manager stopped are missed. */
  recover(): void {
    for (const run of this.host.store.runs({ states: ['planned'], limit: 10_000 })) {
      const reason = 'the manager stopped while the run waited for streams';
      this.host.store.setRun(run.id, { state: 'missed', reason, jobId: null, at: this.nowText() });
      this.host.log('warning', `schedule ${run.scheduleId}: the run due ${run.dueAt} was missed: ${reason}`);
    }
  }

  private stored(id: number): StoredSchedule {
    if (!Number.isSafeInteger(id) || id < 1) throw new ScheduleRequestError(`a schedule id is a positive whole number, not ${String(id)}`);
    const schedule = this.host.store.get(id);
    if (!schedule) throw new ScheduleNotFoundError(`no schedule ${id}`);
    return schedule;
  }

  private view(schedule: StoredSchedule): Schedule {
    const now = this.host.clock.now();
    const last = this.host.store.lastDue(schedule.id);
    const after = Math.max(now.getTime(), Date.parse(schedule.updatedAt), last === null ? -Infinity : Date.parse(last));
    const next = schedule.enabled ? nextDue(schedule, new Date(after)) : null;
    return { ...schedule, nextDueAt: next?.toISOString() ?? null };
  }

  private nowText(): string {
    return this.host.clock.now().toISOString();
  }
}

/** One line for the event log: target, mode, streams and when. */
export function describe(schedule: StoredSchedule): string {
  const when = schedule.when;
  const timing =
    when.kind === 'once'
      ? `once at ${when.at}`
      : when.kind === 'daily'
        ? `daily at ${when.time}`
        : when.kind === 'weekly'
          ? `weekly on ${when.days.join(',')} at ${when.time}`
          : when.kind === 'monthly'
            ? `monthly on day ${when.day} at ${when.time}`
            : `cron "${when.expression}"`;
  const window = schedule.windowEnd ? `, window ends ${schedule.windowEnd}` : '';
  return `${schedule.target} ${schedule.mode} over ${schedule.streams} streams, ${timing} (${schedule.timeZone})${window}${schedule.enabled ? '' : ', disabled'}`;
}
