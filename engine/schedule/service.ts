// Schedules as the engine offers them: create, edit, remove and list them (checked before
// anything is stored), their runs, the forecast, "run now", the runner, and the recovery at
// open (runs left waiting by a manager that stopped are recorded missed).
import { MoveRunRequest, ScheduleRunFilter, WEEKDAYS, type BackupResult, type ForecastEntry, type Schedule, type ScheduleRun, type ScheduleRunFilterInput, type ScheduleWhen } from '../contract';
import { ScheduleNotFoundError, ScheduleRequestError } from './errors';
import { forecast } from './forecast';
import type { ScheduleHost, StoredSchedule } from './host';
import { backupRequest, Scheduler, type SchedulerOptions } from './runner';
import { editedSettings, newSettings } from './settings';
import { instantOf, localDay, localTime, nextDue, regularDue, windowClose } from './timing';

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
    let schedule = this.host.store.update(id, settings, this.nowText());
    // Moved runs belong to the old timing.
    const timing = (s: Pick<StoredSchedule, 'when' | 'timeZone'>) => JSON.stringify([s.when, s.timeZone]);
    if (schedule.moves.length > 0 && timing(schedule) !== timing(current)) schedule = this.host.store.setMoves(id, [], this.nowText());
    this.host.log('info', `schedule ${id} changed: ${describe(schedule)}`);
    this.runner?.replan();
    return this.view(schedule);
  }

  /**
   * Moves one planned run of a schedule to another time (`series`: every run, by as much). Only
   * a run still to come moves, and only to a time still to come and inside its window; a
   * one-time schedule's run is its whole series. Bad input throws and changes nothing.
   */
  move(input: unknown): Schedule {
    const request = MoveRunRequest.parse(input);
    const current = this.stored(request.id);
    const now = this.host.clock.now();
    const dueAt = instantOf(request.dueAt, current.timeZone);
    const to = instantOf(request.to, current.timeZone);
    if (to.getTime() <= now.getTime()) throw new ScheduleRequestError(`${request.to} is in the past (now ${now.toISOString()})`);
    if (!this.plannedAt(current, dueAt)) throw new ScheduleRequestError(`schedule ${current.id} has no planned run due at ${dueAt.toISOString()}`);
    let schedule: StoredSchedule;
    if (request.series || current.when.kind === 'once') {
      const settings = editedSettings(this.host, current, { when: shiftedWhen(current, dueAt, to) });
      this.host.store.update(current.id, settings, this.nowText());
      schedule = this.host.store.setMoves(current.id, [], this.nowText());
      this.host.log('info', `schedule ${current.id}: every run moved by ${describeShift(to.getTime() - dueAt.getTime())}: ${describe(schedule)}`);
    } else {
      const close = windowClose(current, to);
      if (close !== null && close.getTime() <= to.getTime()) throw new ScheduleRequestError(`at ${to.toISOString()} the run would start after its window end ${current.windowEnd}`);
      const earlier = current.moves.find((m) => Date.parse(m.to) === dueAt.getTime());
      const original = earlier?.dueAt ?? dueAt.toISOString();
      const clash = regularDue(current, new Date(to.getTime() - 1));
      if (to.getTime() !== Date.parse(original) && clash?.getTime() === to.getTime()) throw new ScheduleRequestError(`schedule ${current.id} already has a run due at ${to.toISOString()}`);
      // Moves whose runs are both past are dropped; the one being moved is replaced.
      const moves = current.moves.filter((m) => m.dueAt !== original && (Date.parse(m.to) > now.getTime() || Date.parse(m.dueAt) > now.getTime()));
      if (to.getTime() !== Date.parse(original)) moves.push({ dueAt: original, to: to.toISOString() });
      schedule = this.host.store.setMoves(current.id, moves.sort((a, b) => a.dueAt.localeCompare(b.dueAt)), this.nowText());
      this.host.log('info', `schedule ${current.id}: the run due ${original} moved to ${to.toISOString()}`);
    }
    this.runner?.replan();
    return this.view(schedule);
  }

  /** Whether a run of the schedule is planned at `dueAt` (still to come, not handled yet). */
  private plannedAt(schedule: StoredSchedule, dueAt: Date): boolean {
    let due = nextDue(schedule, new Date(this.after(schedule)));
    for (let n = 0; due !== null && due.getTime() <= dueAt.getTime() && n < 100_000; n++) {
      if (due.getTime() === dueAt.getTime()) return true;
      due = nextDue(schedule, due);
    }
    return false;
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
    const next = schedule.enabled ? nextDue(schedule, new Date(this.after(schedule))) : null;
    return { ...schedule, nextDueAt: next?.toISOString() ?? null };
  }

  /** Due times after this are still to come: now, or the schedule's last change or run when later. */
  private after(schedule: StoredSchedule): number {
    const last = this.host.store.lastDue(schedule.id);
    return Math.max(this.host.clock.now().getTime(), Date.parse(schedule.updatedAt), last === null ? -Infinity : Date.parse(last));
  }

  private nowText(): string {
    return this.host.clock.now().toISOString();
  }
}

/** A schedule's timing with every run moved from `from` to `to` (its time of day, and days for weekly and monthly ones). */
function shiftedWhen(schedule: StoredSchedule, from: Date, to: Date): ScheduleWhen {
  const when = schedule.when;
  const time = localTime(to, schedule.timeZone);
  const days = localDay(to, schedule.timeZone) - localDay(from, schedule.timeZone);
  switch (when.kind) {
    case 'once':
      return { kind: 'once', at: to.toISOString() };
    case 'daily':
      return { kind: 'daily', time };
    case 'weekly':
      return { kind: 'weekly', time, days: when.days.map((d) => WEEKDAYS[(((WEEKDAYS.indexOf(d) + days) % 7) + 7) % 7]!) };
    case 'monthly': {
      const day = when.day + days;
      if (day < 1 || day > 31) throw new ScheduleRequestError(`moving every run from day ${when.day} by ${days} days leaves the month; move this one run, or edit the schedule`);
      return { kind: 'monthly', day, time };
    }
    case 'cron':
      throw new ScheduleRequestError('every run of a cron schedule cannot be moved at once: edit its expression, or move this one run');
  }
}

function describeShift(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes >= 1440 && minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `${ms < 0 ? '-' : '+'}${text}`;
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
