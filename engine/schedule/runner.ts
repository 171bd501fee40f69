// The scheduler's runner: while it runs, every enabled schedule's run that falls due starts a
// backup job through the engine. A run that cannot get its independent streams (devices busy
// with other jobs or unavailable) waits and tries again every 30 s of clock time until its window
// closes, then is recorded missed with the reason. Runs that fell due while no runner was up
// (between the last time one was, persisted every minute, and its start) are recorded missed,
// never started late. Time comes from an injectable clock and timer.
//
// What an interrupted run leaves behind: runs recorded `planned` (waiting for streams), which
// the next open of the site marks missed (ScheduleService.recover), and the last time it was up.
import type { BackupRequestInput } from '../contract';
import type { TimerHandle } from './clock';
import type { ScheduleHost, StoredSchedule } from './host';
import { moverOf } from './settings';
import { nextDue, windowClose } from './timing';

/** How often a waiting run tries again to reserve its streams (clock time). */
export const RETRY_MS = 30_000;
/** How often the runner records that it is up. */
export const HEARTBEAT_MS = 60_000;
/** A run noticed this long after it fell due (the machine slept, the process stalled) is missed. */
export const LATE_MS = 120_000;
/** A run without a window waits at most this long (or until its schedule's next run). */
export const MAX_WAIT_MS = 24 * 3600_000;
/** At most this many missed runs are recorded per schedule at start-up. */
export const MAX_MISSED = 1000;

export const NOT_RUNNING = 'the manager was not running';

export interface SchedulerOptions {
  /** Clock milliseconds between tries of a waiting run (default 30 s). */
  retryMs?: number;
  /** Clock milliseconds between records that the runner is up (default 60 s). */
  heartbeatMs?: number;
}

/** A run that fell due and waits for streams. */
interface WaitingRun {
  runId: number;
  scheduleId: number;
  dueAt: string;
  deadline: number;
  windowed: boolean;
  reason: string | null;
  timer: TimerHandle | null;
}

export class Scheduler {
  private timer: TimerHandle | null = null;
  private running = false;
  private readonly waiting = new Map<number, WaitingRun>();
  private readonly jobs = new Set<Promise<unknown>>();
  private readonly retryMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly host: ScheduleHost,
    options: SchedulerOptions = {},
  ) {
    this.retryMs = options.retryMs ?? RETRY_MS;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  }

  get active(): boolean {
    return this.running;
  }

  /** Records the runs missed since the runner was last up, then runs schedules as they fall due. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.recordMissed(this.host.clock.now());
    this.tick();
  }

  /** Stops firing; runs waiting for streams are recorded missed. Started jobs run on. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== null) this.host.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const wait of [...this.waiting.values()]) this.end(wait, 'missed', 'the scheduler stopped while the run waited for streams');
    this.host.store.setUpAt(this.host.clock.now().toISOString());
  }

  /** A schedule was created, changed or removed: its next due time is looked at now, not at the next heartbeat. */
  replan(): void {
    if (!this.running) return;
    if (this.timer !== null) this.host.clock.clearTimeout(this.timer);
    this.tick();
  }

  /** Resolves when every backup this runner started has ended. */
  async settled(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  /** How many runs wait for streams now. */
  get waitingRuns(): number {
    return this.waiting.size;
  }

  private recordMissed(now: Date): void {
    const upAt = this.host.store.upAt();
    for (const schedule of this.host.store.list()) {
      if (!schedule.enabled) continue;
      let after = this.cursor(schedule);
      if (upAt !== null && Date.parse(upAt) > after) after = Date.parse(upAt);
      let due = nextDue(schedule, new Date(after));
      for (let n = 0; due !== null && due.getTime() <= now.getTime() && n < MAX_MISSED; n++) {
        this.miss(schedule, due.toISOString(), NOT_RUNNING);
        due = nextDue(schedule, due);
      }
    }
  }

  /** Due times after this have not been handled: the later of its last change and last run. */
  private cursor(schedule: StoredSchedule): number {
    const last = this.host.store.lastDue(schedule.id);
    return Math.max(Date.parse(schedule.updatedAt), last === null ? -Infinity : Date.parse(last));
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (!this.running) return;
    const now = this.host.clock.now();
    let wake = now.getTime() + this.heartbeatMs;
    try {
      for (const schedule of this.host.store.list()) {
        if (!schedule.enabled) continue;
        let due = nextDue(schedule, new Date(this.cursor(schedule)));
        for (let n = 0; due !== null && due.getTime() <= now.getTime() && n < MAX_MISSED; n++) {
          this.fall(schedule, due, now);
          due = nextDue(schedule, due);
        }
        if (due !== null) wake = Math.min(wake, due.getTime());
      }
      this.host.store.setUpAt(now.toISOString());
    } catch (error) {
      this.host.log('error', `scheduler: ${(error as Error).message}`);
    }
    this.timer = this.host.clock.setTimeout(this.tick, Math.max(0, wake - now.getTime()));
  };

  /** A run falls due: it is missed (noticed too late, or after its window) or tries to start. */
  private fall(schedule: StoredSchedule, due: Date, now: Date): void {
    const dueAt = due.toISOString();
    const late = now.getTime() - due.getTime();
    if (late > LATE_MS) {
      this.miss(schedule, dueAt, `${NOT_RUNNING} (noticed ${Math.round(late / 60_000)} min after it fell due)`);
      return;
    }
    const close = windowClose(schedule, due);
    if (close !== null && close.getTime() <= due.getTime()) {
      this.miss(schedule, dueAt, `it fell due after its window end ${schedule.windowEnd}`);
      return;
    }
    const run = this.host.store.addRun({ scheduleId: schedule.id, dueAt, state: 'planned', reason: null, jobId: null, manual: false, at: now.toISOString() });
    const next = nextDue(schedule, due);
    const deadline = close?.getTime() ?? Math.min(next?.getTime() ?? Infinity, due.getTime() + MAX_WAIT_MS);
    this.attempt({ runId: run.id, scheduleId: schedule.id, dueAt, deadline, windowed: close !== null, reason: null, timer: null });
  }

  /** Starts the run's backup if its streams can be reserved now; else waits and tries again. */
  private readonly attempt = (wait: WaitingRun): void => {
    wait.timer = null;
    this.waiting.delete(wait.runId);
    if (!this.running) return;
    const schedule = this.host.store.get(wait.scheduleId);
    if (!schedule) return this.end(wait, 'skipped', 'its schedule was removed');
    if (!schedule.enabled) return this.end(wait, 'skipped', 'its schedule was disabled');
    const now = this.host.clock.now().getTime();
    if (now >= wait.deadline) {
      const closed = wait.windowed ? `its window closed at ${new Date(wait.deadline).toISOString()}` : `it waited until ${new Date(wait.deadline).toISOString()}`;
      return this.end(wait, 'missed', `${closed} before ${schedule.streams} independent streams were free: ${wait.reason ?? 'not enough streams'}`);
    }
    let storage: string;
    try {
      storage = this.host.checkBackup(backupRequest(schedule)).storage;
    } catch (error) {
      return this.end(wait, 'missed', `its backup cannot be asked for: ${(error as Error).message}`);
    }
    const plan = this.host.plan({ streams: schedule.streams, mover: moverOf(schedule.mode), storage });
    if (!plan.feasible) {
      const first = wait.reason === null;
      wait.reason = plan.reason ?? 'not enough independent streams';
      if (first) {
        this.host.log('warning', `schedule ${schedule.id}: the run due ${wait.dueAt} waits for streams: ${wait.reason}`);
        this.host.emit({ type: 'schedule-waiting', scheduleId: schedule.id, dueAt: wait.dueAt, jobId: null, reason: wait.reason });
      }
      wait.timer = this.host.clock.setTimeout(() => this.attempt(wait), Math.min(this.retryMs, wait.deadline - now));
      this.waiting.set(wait.runId, wait);
      return;
    }
    this.startBackup(schedule, wait);
  };

  private startBackup(schedule: StoredSchedule, wait: WaitingRun): void {
    let started = false;
    const job = this.host
      .backup(backupRequest(schedule), (jobId) => {
        started = true;
        this.host.store.setRun(wait.runId, { state: 'started', reason: null, jobId, at: this.host.clock.now().toISOString() });
        this.host.log('info', `schedule ${schedule.id}: started job ${jobId}, backup of ${schedule.target} due ${wait.dueAt}`, { jobId });
        this.host.emit({ type: 'schedule-fired', scheduleId: schedule.id, dueAt: wait.dueAt, jobId, reason: null });
      })
      .catch((error: Error) => {
        if (!started) this.end(wait, 'missed', `its backup could not start: ${error.message}`);
        else this.host.log('error', `schedule ${schedule.id}: its job stopped: ${error.message}`);
      })
      .finally(() => this.jobs.delete(job));
    this.jobs.add(job);
  }

  /** A run that had a row (planned) ends without a job. */
  private end(wait: WaitingRun, state: 'missed' | 'skipped', reason: string): void {
    if (wait.timer !== null) this.host.clock.clearTimeout(wait.timer);
    this.waiting.delete(wait.runId);
    this.host.store.setRun(wait.runId, { state, reason, jobId: null, at: this.host.clock.now().toISOString() });
    this.told(wait.scheduleId, wait.dueAt, state, reason);
  }

  /** A run that never got a row is recorded missed. */
  private miss(schedule: StoredSchedule, dueAt: string, reason: string): void {
    this.host.store.addRun({ scheduleId: schedule.id, dueAt, state: 'missed', reason, jobId: null, manual: false, at: this.host.clock.now().toISOString() });
    this.told(schedule.id, dueAt, 'missed', reason);
  }

  private told(scheduleId: number, dueAt: string, state: 'missed' | 'skipped', reason: string): void {
    this.host.log(state === 'missed' ? 'warning' : 'info', `schedule ${scheduleId}: the run due ${dueAt} was ${state}: ${reason}`);
    if (state === 'missed') this.host.emit({ type: 'schedule-missed', scheduleId, dueAt, jobId: null, reason });
  }
}

/** The backup a schedule asks for. */
export function backupRequest(schedule: StoredSchedule): BackupRequestInput {
  return {
    target: schedule.target,
    mode: schedule.mode,
    streams: schedule.streams,
    scheduleId: schedule.id,
    ...(schedule.chunkSize !== null ? { chunkSize: schedule.chunkSize } : {}),
    ...(schedule.timeoutMs !== null ? { timeoutMs: schedule.timeoutMs } : {}),
  };
}
