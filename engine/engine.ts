// The Engine: one open site with its catalog, live inventory and stream allocator. Hosts (the
// command line, the Electron main process, the headless browser host) all drive this object.
import fs from 'node:fs';
import path from 'node:path';
import type {
  BackupRequestInput,
  BackupResult,
  EventLevel,
  ForecastEntry,
  EventLogQuery,
  InjectedFault,
  Job,
  JobEvent,
  LabelTapeRequest,
  LiveFault,
  LogEvent,
  MoverKind,
  MoveRunRequestInput,
  PlannedStream,
  ResourceState,
  ResourceStatus,
  RestorePlan,
  Schedule,
  ScheduleEdit,
  ScheduleEvent,
  ScheduleInputInput,
  ScheduleRun,
  ScheduleRunFilterInput,
  RebuildReport,
  RestoreRequestInput,
  SiteView,
  StartedJob,
  StreamCapacity,
  TapeView,
  StreamPlan,
  StreamRequestInput,
  VerifyRequestInput,
} from './contract';
import { FindInBackup, FindInTarget, type BackupDetail, type BackupsOptionsInput, type BackupSummary, type DirectoryListing, type FindRequestInput, type ListOptionsInput, type SearchHit, type TargetSummary } from './contract';
import { Allocator } from './allocation';
import { DEFAULT_SLOW_RATE, RestoreResult, VerifyResult } from './contract';
import { Catalog, CatalogRequestError, NotFoundError } from './catalog';
import {
  BackupProcessor,
  checkFaults,
  cleanInterruptedRestore,
  JobRequestError,
  JobStateError,
  libraryDriver,
  NotPermittedError,
  rebuildFromVolumes,
  RestoreProcessor,
  targetSize,
  type JobContext,
  type JobControl,
} from './jobs';
import { MoverPool } from './movers';
import { ScheduleService, systemClock, type Clock, type Scheduler, type SchedulerOptions } from './schedule';
import { addTape, Inventory, listTargets, loadSite, type SiteModel } from './site';

export type JobListener = (event: JobEvent) => void;
export type ScheduleListener = (event: ScheduleEvent) => void;
export type DeviceListener = (status: ResourceStatus) => void;
export type LogListener = (event: LogEvent) => void;

export interface EngineOptions {
  /** The clock, for tests. */
  now?: () => Date;
  /** The clock and timer of the scheduler (and, without `now`, of everything), for tests. */
  clock?: Clock;
  /**
   * Mover processes kept started and idle, so jobs do not wait for processes to start (for a
   * manager that stays up, such as the desktop app). Default 0: started when a job needs them.
   */
  warmMovers?: number;
}

/**
 * Idle mover processes a host that stays up (the desktop app, `mpbackup serve`) keeps started,
 * so a backup's streams start at once (up to 3 streams).
 */
export const WARM_MOVERS = 3;

/** How many recent jobs the allocator looks back on to spread work over devices. */
export const SPREAD_OVER_JOBS = 50;

export class Engine {
  readonly allocator: Allocator;
  /** Streams of recent jobs per device, the allocator's tie-breaker; null when stale. */
  private recentUse: Map<string, number> | null = null;
  private readonly jobWatchers = new Watchers<JobEvent>();
  private readonly scheduleWatchers = new Watchers<ScheduleEvent>();
  private readonly deviceWatchers = new Watchers<ResourceStatus>();
  private readonly logWatchers = new Watchers<LogEvent>();
  /** The jobs running now, by id. */
  private readonly running = new Map<number, JobControl>();
  /** Why no new job may start now (see holdJobs), or null. */
  private held: string | null = null;
  private readonly scheduling: ScheduleService;
  private readonly backups: BackupProcessor;
  private readonly restores: RestoreProcessor;
  private readonly movers: MoverPool;

  private constructor(
    readonly site: SiteModel,
    readonly catalog: Catalog,
    readonly inventory: Inventory,
    private readonly clock: () => Date,
    schedulerClock: Clock,
  ) {
    this.movers = new MoverPool();
    // Among equally short streams, take the devices recent jobs used least.
    this.allocator = new Allocator(site, inventory, {
      preference: (id) => (this.recentUse ??= catalog.jobs.recentUse(SPREAD_OVER_JOBS)).get(id) ?? 0,
    });
    const context: JobContext = {
      site,
      catalog,
      inventory,
      allocator: this.allocator,
      movers: this.movers,
      now: () => this.now(),
      log: (level, message, about) => this.log(level, message, about),
      emit: (event) => this.emit(event),
      reserve: (jobId, request) => this.reserve(jobId, request),
      track: (jobId, control) => {
        this.running.set(jobId, control);
        return () => this.running.delete(jobId);
      },
      admit: () => {
        if (this.held !== null) throw new JobStateError(`no job can start now: ${this.held}`);
      },
    };
    inventory.onChange((change) => change.statuses.forEach((status) => this.deviceWatchers.emit(status)));
    this.backups = new BackupProcessor(context);
    this.restores = new RestoreProcessor(context);
    this.scheduling = new ScheduleService({
      store: catalog.schedules,
      clock: schedulerClock,
      checkBackup: (request) => {
        const { target } = this.backups.check(request);
        return { target: target.name, storage: target.storage };
      },
      targetSize: (name) => targetSize(site, name),
      backup: (request, onJob) => {
        this.recentUse = null;
        return this.backups.run(request, onJob);
      },
      plan: (request) => this.plan(request),
      feasibility: (mover, storage) => this.allocator.feasibility(mover, storage),
      history: (target) => catalog.jobs.completedBackups(target, target === undefined ? 200 : 20),
      log: (level, message, about) => this.log(level, message, about),
      emit: (event) => this.emitSchedule(event),
    });
  }

  /**
   * Opens the site in `dir`: validates its config (an invalid one changes nothing), takes the
   * site's lock, opens the catalog, and recovers from an earlier run that stopped abruptly.
   */
  static async open(dir: string, options: EngineOptions = {}): Promise<Engine> {
    const site = loadSite(dir);
    const catalog = await Catalog.open(site.dir);
    try {
      const inventory = new Inventory(site, catalog.inventory.load(), catalog.inventory);
      const clock = options.clock ?? systemClock;
      const engine = new Engine(site, catalog, inventory, options.now ?? (() => clock.now()), options.now ? { ...clock, now: options.now } : clock);
      await engine.recover();
      engine.movers.keep(options.warmMovers ?? 0);
      return engine;
    } catch (error) {
      catalog.close();
      throw error;
    }
  }

  close(): void {
    this.scheduling.stop();
    this.movers.close();
    this.catalog.close();
  }

  now(): string {
    return this.clock().toISOString();
  }

  /**
   * No job runs when a site is opened, so every unfinished job is marked interrupted (its backup
   * too, with its unfinished copies failed), every reservation still recorded is released and
   * the jobs' work files are removed.
   */
  private async recover(): Promise<void> {
    const at = this.now();
    for (const jobId of this.catalog.jobs.interruptUnfinished(at)) {
      this.log('warning', `job ${jobId} was interrupted: the manager stopped while it ran`, { jobId });
    }
    for (const backupId of this.catalog.backups.interruptUnfinished(at)) {
      this.log('warning', `backup ${backupId} is incomplete: its job was interrupted; it is not offered for restore`);
    }
    const work = path.join(this.site.dir, 'work');
    for (const dir of fs.existsSync(work) ? fs.readdirSync(work) : []) await cleanInterruptedRestore(path.join(work, dir));
    fs.rmSync(work, { recursive: true, force: true });
    this.scheduling.recover();
    for (const jobId of this.inventory.holders()) {
      const released = this.allocator.release(jobId);
      const ids = released.map((s) => s.id).join(', ');
      this.log('warning', `released what job ${jobId} still held after a restart: ${ids || 'its zones'}`, { jobId });
    }
  }

  log(level: EventLevel, message: string, about: { jobId?: number; deviceId?: string } = {}): void {
    this.logWatchers.emit(this.catalog.events.append({ at: this.now(), level, jobId: about.jobId ?? null, deviceId: about.deviceId ?? null, message }));
  }

  /** The event log, newest first, a page at a time (`beforeId`), filtered by job, device or level. */
  events(query: Partial<EventLogQuery> = {}): LogEvent[] {
    return this.catalog.events.list(query);
  }

  /** Watches the events of running jobs; returns the function that stops watching. */
  onJobEvent(listener: JobListener): () => void {
    return this.jobWatchers.add(listener);
  }

  /** Watches devices and tapes change state or holder (reserved, released, set by the operator). */
  onDeviceEvent(listener: DeviceListener): () => void {
    return this.deviceWatchers.add(listener);
  }

  /** Watches entries being added to the event log. */
  onLogEvent(listener: LogListener): () => void {
    return this.logWatchers.add(listener);
  }

  private emit(event: JobEvent): void {
    this.jobWatchers.emit(event);
  }

  /**
   * Runs a backup job to its end (mirrored or failover, SPEC "Backup, mode A/B"). Bad input
   * (an unknown target, an impossible fault) throws before anything starts; every other outcome,
   * failures included, is in the result and the catalog.
   */
  backup(request: BackupRequestInput): Promise<BackupResult> {
    this.recentUse = null;
    return this.backups.run(request);
  }

  /**
   * Starts a backup and answers with its job as soon as the job is recorded; its progress and end
   * come as job events. Bad input throws (rejects) before anything starts.
   */
  startBackup(request: BackupRequestInput): Promise<StartedJob> {
    this.recentUse = null;
    return this.start('backup', (onJob) => this.backups.run(request, onJob));
  }

  /** Starts a restore, answering with its job at once (see startBackup); `restoreResult` has its report at the end. */
  startRestore(request: RestoreRequestInput): Promise<StartedJob> {
    return this.start('restore', (onJob) => this.restores.run(request, onJob));
  }

  /** Starts a verification, answering with its job at once; `verifyResult` has its report at the end. */
  startVerify(request: VerifyRequestInput): Promise<StartedJob> {
    return this.start('verification', (onJob) => this.restores.verify(request, onJob));
  }

  /** Runs a job in the background: resolves with its id once it is recorded, rejects for bad input. */
  private start(what: string, run: (onJob: (jobId: number) => void) => Promise<unknown>): Promise<StartedJob> {
    return new Promise((resolve, reject) => {
      let started = false;
      run((jobId) => {
        started = true;
        resolve({ jobId });
      }).catch((error: unknown) => {
        if (!started) return reject(error);
        this.log('error', `a ${what} started in the background stopped on an unexpected error: ${(error as Error).message}`);
      });
    });
  }

  /** What a restore job reported at its end. */
  restoreResult(jobId: number): RestoreResult {
    return RestoreResult.parse({ ...this.report(jobId, 'restore'), job: this.catalog.jobs.get(jobId) });
  }

  /** What a verification job reported at its end. */
  verifyResult(jobId: number): VerifyResult {
    return VerifyResult.parse({ ...this.report(jobId, 'verify'), job: this.catalog.jobs.get(jobId) });
  }

  private report(jobId: number, kind: 'restore' | 'verify'): object {
    const job = this.catalog.jobs.get(jobId);
    if (!job) throw new NotFoundError(`no job ${jobId}`);
    if (job.kind !== kind) throw new JobRequestError(`job ${jobId} is a ${job.kind} job, not a ${kind}`);
    const stored = this.catalog.jobs.report(jobId);
    if (stored) return stored.report as object;
    if (this.running.has(jobId)) throw new JobStateError(`job ${jobId} is still running: its report comes when it ends`);
    throw new NotFoundError(`job ${jobId} ended ${job.state} without a report (the manager stopped while it ran)`);
  }

  /** A backup job as recorded: the job, its backup, its streams and fragments. */
  backupResult(jobId: number): BackupResult {
    const job = this.catalog.jobs.get(jobId);
    if (!job) throw new NotFoundError(`no job ${jobId}`);
    if (job.kind !== 'backup') throw new JobRequestError(`job ${jobId} is a ${job.kind} job, not a backup`);
    return this.backups.result(jobId);
  }

  /**
   * Refuses every new job (backup, restore, verification, scheduled run: JobStateError naming
   * `reason`, nothing recorded) and catalog rebuild until the returned function is called; for
   * the time the site is being changed under this engine (engine/session.ts).
   */
  holdJobs(reason: string): () => void {
    this.held = reason;
    return () => {
      if (this.held === reason) this.held = null;
    };
  }

  /** Why the site cannot be closed or changed under its work now (jobs running, scheduled runs waiting for streams, a change under way), or null. */
  busy(): string | null {
    if (this.held !== null) return this.held;
    const running = this.runningJobs();
    if (running.length > 0) return `job ${running.join(', ')} ${running.length > 1 ? 'are' : 'is'} running (cancel ${running.length > 1 ? 'them' : 'it'} or wait for ${running.length > 1 ? 'their' : 'its'} end)`;
    const waiting = this.scheduling.waitingRuns;
    if (waiting > 0) return `${waiting} scheduled run${waiting > 1 ? 's wait' : ' waits'} for streams`;
    return null;
  }

  /** Ids of the jobs running now. */
  runningJobs(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /**
   * Cancels a running job: its movers are fenced at once (they never write again), what it holds
   * is released, and it ends `cancelled`. Answers with the job once its end is recorded.
   */
  async cancelJob(jobId: number): Promise<Job> {
    const job = this.catalog.jobs.get(jobId);
    if (!job) throw new NotFoundError(`no job ${jobId}`);
    const control = this.running.get(jobId);
    if (!control) throw new JobStateError(`job ${jobId} is not running (it is ${job.state})`);
    control.cancel();
    await control.ended;
    return this.catalog.jobs.get(jobId)!;
  }

  /** Waits for every running job to end (after cancelling them when `cancel`). */
  async settleJobs({ cancel = false } = {}): Promise<void> {
    for (;;) {
      const controls = [...this.running.values()];
      if (controls.length === 0) return;
      if (cancel) controls.forEach((c) => c.cancel());
      await Promise.all(controls.map((c) => c.ended));
    }
  }

  /**
   * Demo sites: a fault on a device, now, in the running jobs that use it (a mover's crash kills
   * its process; anything else fires as the device handles its next chunk). A fault nobody can
   * feel (no running job uses the device) is refused and changes nothing.
   */
  injectFault(fault: LiveFault): InjectedFault {
    if (!this.site.config.demo) throw new NotPermittedError(`faults are injected only in a demo site; ${this.site.name} is not one (for drills, list them as "faults" in its site.json)`);
    if (this.site.device(fault.device)?.kind === 'host') throw new JobRequestError(`a host's agent fails when it prepares a target: give "${fault.device}:${fault.kind}" with the backup instead`);
    checkFaults(this.site, [{ ...fault, at: { chunk: 0 } }]);
    const live = fault.kind === 'slow' ? { ...fault, rate: fault.rate ?? DEFAULT_SLOW_RATE } : fault;
    const reached = [...this.running].map(([jobId, control]) => ({ jobId, streams: control.inject(live) })).filter((r) => r.streams.length > 0);
    if (reached.length === 0) throw new JobStateError(`no running job uses ${fault.device} now: start a backup first, or give the fault with the backup`);
    for (const { jobId, streams } of reached) {
      this.log('warning', `the operator injected ${fault.kind} into ${fault.device} (job ${jobId}, stream ${streams.join(', ')})`, { jobId, deviceId: fault.device });
    }
    return { fault: live, reached };
  }

  /**
   * Restores files of a backup into a destination (SPEC "Restore"). Bad input (an unknown backup,
   * a path not in it, a destination that cannot be written) throws before anything starts.
   */
  restore(request: RestoreRequestInput): Promise<RestoreResult> {
    return this.restores.run(request);
  }

  /** What a restore would read, from which tapes, in which order; changes nothing. */
  restorePlan(request: RestoreRequestInput): RestorePlan {
    return this.restores.plan(request);
  }

  /** Reads every chunk of every copy of a backup and checks it. */
  verify(request: VerifyRequestInput): Promise<VerifyResult> {
    return this.restores.verify(request);
  }

  jobs(options: { limit?: number } = {}): Job[] {
    return this.catalog.jobs.list(options);
  }

  /** The event log of a job, oldest first. */
  jobLog(jobId: number): LogEvent[] {
    return this.catalog.events.list({ jobId, limit: 10_000 }).reverse();
  }

  describe(): SiteView {
    const inventory = this.inventory;
    return {
      name: this.site.name,
      dir: this.site.dir,
      demo: this.site.config.demo,
      devices: this.site.devices.map((device) => {
        const { state, holder } = inventory.status(device.id);
        const view = { id: device.id, kind: device.kind, name: device.name, state, holder, ports: device.ports };
        if (device.kind !== 'library') return view;
        const tapes = this.site.tapesOf(device.id).map((tape) => {
          const usage = inventory.tapeUsage(tape.id);
          const status = inventory.status(tape.id);
          return { id: tape.id, state: status.state, holder: status.holder, capacity: usage.capacity, usedBytes: usage.usedBytes, full: usage.full };
        });
        return { ...view, tapes };
      }),
      links: this.site.config.links.map((link) => ({ a: link.a, b: link.b })),
      targets: listTargets(this.site),
      zones: [...inventory.zones()],
    };
  }

  /** The operator marks a device or tape available or unavailable. */
  setState(id: string, state: Exclude<ResourceState, 'in-use'>): ResourceStatus {
    const before = this.inventory.status(id).state;
    const status = this.inventory.setState(id, state);
    if (before !== state) this.log('info', `${id} set ${state} by the operator`, { deviceId: id });
    return status;
  }

  plan(request: StreamRequestInput): StreamPlan {
    return this.allocator.plan(request);
  }

  /** Reserves the streams of a job (which must exist in the catalog) and records them with it. */
  reserve(jobId: number, request: StreamRequestInput): PlannedStream[] {
    const streams = this.allocator.reserve(jobId, request);
    this.catalog.jobs.recordStreams(jobId, streams);
    this.recentUse = null;
    return streams;
  }

  release(jobId: number): ResourceStatus[] {
    return this.allocator.release(jobId);
  }

  /** How many independent streams of this mover kind are possible right now. */
  feasibility(mover: MoverKind): number {
    return this.allocator.feasibility(mover);
  }

  /** Site health: the independent streams each mode could reserve right now. */
  streamCapacity(): StreamCapacity {
    return { mirrored: this.feasibility('backup-server'), failover: this.feasibility('copy-device') };
  }

  /**
   * Adds a new tape to a file-backed library: written into the site config (atomically, checked
   * like the file), then labelled. Its id is the next free one of the library's pattern when not given.
   */
  async labelTape(request: LabelTapeRequest): Promise<TapeView> {
    const tape = addTape(this.site, request);
    // Without delays: the operator is not waiting for a robot.
    const volume = await libraryDriver(this.site, request.library, { delays: false }).load(tape.id);
    await volume.unload();
    this.catalog.backups.setTapeLabeled(tape.id, request.library, this.now());
    this.log('info', `tape ${tape.id} (${tape.capacity} bytes) added to ${request.library} and labelled by the operator`, { deviceId: request.library });
    const status = this.inventory.status(tape.id);
    return { id: tape.id, state: status.state, holder: status.holder, capacity: tape.capacity, usedBytes: 0, full: false };
  }

  /**
   * Reads every tape of every library and makes the catalog anew from them (docs/catalog.md,
   * "Rebuilding the catalog"), with the site kept open: refused while jobs run or scheduled runs
   * wait for streams. Schedules, the event log and device states are not on tape and start empty.
   */
  async rebuildCatalog(): Promise<RebuildReport> {
    const busy = this.busy();
    if (busy) throw new JobStateError(`cannot rebuild the catalog now: ${busy}`);
    const report = await this.catalog.replaceFiles(() => rebuildFromVolumes(this.site, { lockHeld: true, now: this.clock }));
    this.inventory.reload(this.catalog.inventory.load());
    this.recentUse = null;
    this.scheduling.replan();
    this.log('warning', `the catalog was rebuilt from the tapes: ${report.summary.backupsComplete} restorable backups, ${report.summary.volumesUnreadable} unreadable volumes${report.previousCatalog ? `; the previous catalog is in ${report.previousCatalog}` : ''}`);
    return report;
  }

  // Schedules [410]: bad input (an unknown target or schedule, a bad cron expression, day or
  // time zone, a window that ends before its start) throws ScheduleRequestError (a
  // JobRequestError) or a ZodError and changes nothing.

  /** Every schedule, by id, with when its next run falls due. */
  schedules(): Schedule[] {
    return this.scheduling.list();
  }

  schedule(id: number): Schedule {
    return this.scheduling.get(id);
  }

  createSchedule(input: ScheduleInputInput): Schedule {
    return this.scheduling.create(input);
  }

  /** Changes only the settings given. */
  editSchedule(id: number, edit: ScheduleEdit): Schedule {
    return this.scheduling.edit(id, edit);
  }

  /** Removes a schedule; its recorded runs and jobs stay. */
  /** Moves one planned run of a schedule to another time, or (series) every run by as much. */
  moveScheduleRun(request: MoveRunRequestInput): Schedule {
    return this.scheduling.move(request);
  }

  removeSchedule(id: number): void {
    this.scheduling.remove(id);
  }

  /** Runs of schedules (started, missed, skipped, planned), newest due first. */
  scheduleRuns(filter: ScheduleRunFilterInput = {}): ScheduleRun[] {
    return this.scheduling.runs(filter);
  }

  /** Planned runs due in [from, to), with expected durations and stream conflicts. */
  forecast(from: Date, to: Date): ForecastEntry[] {
    return this.scheduling.forecast(from, to);
  }

  /** Starts a schedule's backup now; resolves with the job's result when it ends. */
  runNow(scheduleId: number): Promise<BackupResult> {
    return this.scheduling.runNow(scheduleId);
  }

  /**
   * Starts the scheduler: due runs of enabled schedules start backups until it is stopped (runs
   * missed since it last ran are recorded first). `scheduler.stop()` stops it.
   */
  startScheduler(options: SchedulerOptions = {}): Scheduler {
    return this.scheduling.start(options);
  }

  /** Watches what the scheduler does (fired, waiting, missed); returns the function that stops watching. */
  onScheduleEvent(listener: ScheduleListener): () => void {
    return this.scheduleWatchers.add(listener);
  }

  private emitSchedule(event: ScheduleEvent): void {
    this.scheduleWatchers.emit(event);
  }

  // The restore browser (SPEC "Restore", 2000-2010): what the catalog holds, read-only. Bad input
  // (an id that is not a positive whole number, a malformed path) throws CatalogRequestError or a
  // ZodError; something that is not in the catalog throws NotFoundError.

  /** Every target that has backups, by name. */
  catalogTargets(): TargetSummary[] {
    return this.catalog.browse.targets();
  }

  /** The backups of a target, newest data time first; `before` (a backup id) gives the next page. */
  catalogBackups(target: string, options: BackupsOptionsInput = {}): BackupSummary[] {
    if (typeof target !== 'string' || target === '') throw new CatalogRequestError('a target is a non-empty name such as X: or /pictures');
    return this.catalog.browse.backups(target, options);
  }

  /** One backup, its outcome, copies and tapes, and its fragments by copy in stream order. */
  catalogBackup(backupId: number): BackupDetail {
    const summary = this.catalog.browse.backup(checkBackupId(backupId));
    return { ...summary, fragments: this.catalog.backups.fragments(summary.id) };
  }

  /** One page of a directory of a backup ('' or '/' for its root), by name. */
  catalogList(backupId: number, path: string, options: ListOptionsInput = {}): DirectoryListing {
    if (typeof path !== 'string') throw new CatalogRequestError('a path inside a backup is a string (\'\' for its root)');
    return this.catalog.browse.list(checkBackupId(backupId), path, options);
  }

  /** Entries whose name holds `name` (any case), in one backup or in every complete backup of a target. */
  catalogFind(request: FindRequestInput): SearchHit[] {
    const valid = 'backupId' in request ? FindInBackup.parse({ ...request, backupId: checkBackupId(request.backupId) }) : FindInTarget.parse(request);
    const scope = 'backupId' in valid ? { backupId: valid.backupId } : { target: valid.target };
    return this.catalog.browse.find(scope, valid.name, { limit: valid.limit });
  }
}

/** Listeners of one kind of event; a listener's failure never reaches the job, scheduler or device that emitted it. */
class Watchers<T> {
  private readonly listeners = new Set<(event: T) => void>();

  add(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Watching never stops what is watched.
      }
    }
  }
}

function checkBackupId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new CatalogRequestError(`a backup id is a positive whole number, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return value;
}
