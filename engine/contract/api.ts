// The API contract: every operation the UI needs, as a method with a zod schema for its input
// and its output, and every event a host pushes, with its schema. The engine implements it
// (engine/service.ts); hosts only carry it: in-process (tests), Electron IPC (electron/) and the
// WebSocket bridge of `mpbackup serve` (cli/serve/). A client on any transport is `BackupApi`.
import { z } from 'zod';
import { BackupRequest, BackupResult } from './backups';
import { BackupDetail, BackupsOptions, BackupSummary, DirectoryListing, FindRequest, ListOptions, SearchHit, TargetSummary } from './catalog';
import { JobEvent } from './events';
import { InjectedFault, LiveFault } from './faults';
import { ResourceStatus } from './inventory';
import { RebuildReport } from './rebuild';
import { EventLevel, Job, LogEvent } from './jobs';
import { RestorePlan, RestoreRequest, RestoreResult, VerifyRequest, VerifyResult } from './restore';
import { ConfigCheck, MIN_TAPE_CAPACITY, SiteChange, SiteConfigDocument, SiteDir, SiteView, TapeView } from './site';
import { ForecastEntry, MoveRunRequest, Schedule, ScheduleEdit, ScheduleEvent, ScheduleInput, ScheduleRun, ScheduleRunFilter } from './schedules';
import { StreamPlan, StreamRequest } from './streams';
import { ERROR_CODES } from './wire';

const Id = z.number().int().positive();
const NoInput = z.object({}).strict().optional();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string) {
  return { input, output, summary };
}

/** A started job: its id, at once; its progress and end come as `job` events. */
export const StartedJob = z.object({ jobId: Id });
export type StartedJob = z.infer<typeof StartedJob>;

/** How many independent streams could be reserved right now, per mode (its mover kind). */
export const StreamCapacity = z.object({ mirrored: z.number().int().nonnegative(), failover: z.number().int().nonnegative() });
export type StreamCapacity = z.infer<typeof StreamCapacity>;

/** A new blank tape for a file-backed library: its id (the next free one when omitted) and capacity. */
export const LabelTapeRequest = z
  .object({
    library: z.string().min(1),
    tape: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).optional(),
    capacity: z.number().int().min(MIN_TAPE_CAPACITY, `a tape holds at least ${MIN_TAPE_CAPACITY} bytes (64 KiB)`).optional(),
  })
  .strict();
export type LabelTapeRequest = z.infer<typeof LabelTapeRequest>;

/** Which entries of the event log to list: newest first, a page at a time. */
export const EventLogQuery = z
  .object({
    limit: z.number().int().min(1).max(1000).default(200),
    /** Entries older than this one (paging back). */
    beforeId: Id.optional(),
    jobId: Id.optional(),
    deviceId: z.string().min(1).optional(),
    /** This level and the more severe ones. */
    level: EventLevel.optional(),
  })
  .strict();
export type EventLogQuery = z.infer<typeof EventLogQuery>;

/** A job with what the catalog recorded about it while it ran. */
export const JobDetail = z.object({ job: Job, log: z.array(LogEvent) });
export type JobDetail = z.infer<typeof JobDetail>;

export const CONTRACT = {
  // Site and devices
  describeSite: method(NoInput, SiteView, 'the site: devices with states and holders, links, targets, zones'),
  openSite: method(z.object({ dir: SiteDir }).strict(), SiteView, 'opens another site directory in place of this one (no job may run)'),
  createSite: method(z.object({ dir: SiteDir, name: z.string().min(1).max(100).optional(), demo: z.boolean().default(false) }).strict(), SiteView, 'creates a site (empty, or the demo site) in an empty or new directory and opens it'),
  getSiteConfig: method(NoInput, SiteConfigDocument, "the open site's site.json, as written"),
  checkSiteConfig: method(z.object({ config: z.unknown() }).strict(), ConfigCheck, 'checks a site config as the file is checked; changes nothing'),
  saveSiteConfig: method(
    z.object({ config: z.unknown(), base: z.unknown().optional() }).strict(),
    SiteView,
    'writes a checked site config and reopens the site with it (no job may run); with `base`, the config the changes started from, refused as a conflict when site.json holds another by now',
  ),
  setDeviceState: method(z.object({ id: z.string().min(1), state: z.enum(['available', 'unavailable']) }).strict(), ResourceStatus, 'the operator marks a device or tape available or unavailable'),
  injectFault: method(LiveFault, InjectedFault, 'demo sites only: makes a device fail now in the running jobs that use it'),
  labelTape: method(LabelTapeRequest, TapeView, 'adds a new tape to a file-backed library (and the site config) and labels it'),
  streamCapacity: method(NoInput, StreamCapacity, 'how many independent streams each mode could reserve right now (site health)'),
  // Streams and backups
  planStreams: method(StreamRequest, StreamPlan, 'the independent streams a backup would reserve now, or why it cannot'),
  runBackup: method(BackupRequest, BackupResult, 'runs a backup and answers when it has ended'),
  startBackup: method(BackupRequest, StartedJob, 'starts a backup and answers with its job at once; its progress and end come as job events'),
  // Jobs
  listJobs: method(z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict().optional(), z.array(Job), 'recent jobs, newest first'),
  getJob: method(z.object({ jobId: Id }).strict(), JobDetail, 'one job and its log'),
  getBackupJob: method(z.object({ jobId: Id }).strict(), BackupResult, 'a backup job as recorded: its backup, streams and fragments'),
  cancelJob: method(z.object({ jobId: Id }).strict(), Job, 'stops a running job: its movers are stopped, what it reserved is released'),
  listEvents: method(EventLogQuery.optional(), z.array(LogEvent), 'the event log, newest first'),
  // Catalog browsing
  catalogTargets: method(NoInput, z.array(TargetSummary), 'every target that has backups'),
  catalogBackups: method(BackupsOptions.extend({ target: z.string().min(1) }).strict(), z.array(BackupSummary), 'the backups of a target, newest first'),
  catalogBackup: method(z.object({ backupId: Id }).strict(), BackupDetail, 'one backup: outcome, copies, tapes, fragments'),
  catalogList: method(ListOptions.extend({ backupId: Id, path: z.string().max(4096) }).strict(), DirectoryListing, 'one page of a directory of a backup'),
  catalogFind: method(FindRequest, z.array(SearchHit), 'entries whose name holds a text, in a backup or a target'),
  // Restore and verify
  planRestore: method(RestoreRequest, RestorePlan, 'which tapes and chunks a restore would read, in order'),
  runRestore: method(RestoreRequest, RestoreResult, 'runs a restore and answers when it has ended'),
  startRestore: method(RestoreRequest, StartedJob, 'starts a restore and answers with its job at once; its progress and end come as job events'),
  getRestoreJob: method(z.object({ jobId: Id }).strict(), RestoreResult, 'what a restore job reported at its end: restored, skipped and failed entries'),
  runVerify: method(VerifyRequest, VerifyResult, 'reads every chunk of every copy of a backup'),
  startVerify: method(VerifyRequest, StartedJob, 'starts a verification and answers with its job at once'),
  getVerifyJob: method(z.object({ jobId: Id }).strict(), VerifyResult, 'what a verification job reported at its end, per copy'),
  rebuildCatalog: method(NoInput, RebuildReport, 'reads every tape of every library and makes the catalog anew from them (no job may run)'),
  // Schedules [410]
  listSchedules: method(NoInput, z.array(Schedule), 'every schedule, with its next due time'),
  createSchedule: method(ScheduleInput, Schedule, 'a new schedule, checked against the site'),
  editSchedule: method(z.object({ id: Id, edit: ScheduleEdit }).strict(), Schedule, 'changes only the settings given'),
  moveScheduleRun: method(MoveRunRequest, Schedule, 'moves one planned run of a schedule to another time, or with series every run by as much'),
  deleteSchedule: method(z.object({ id: Id }).strict(), z.object({ id: Id }), 'removes a schedule; its recorded runs and jobs stay'),
  scheduleRuns: method(ScheduleRunFilter.optional(), z.array(ScheduleRun), 'runs of schedules (started, missed, skipped, planned), newest due first'),
  forecastSchedules: method(z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict(), z.array(ForecastEntry), 'planned runs in a time range, with expected durations and conflicts'),
  runScheduleNow: method(z.object({ id: Id }).strict(), BackupResult, "runs a schedule's backup at once and answers when it has ended"),
} as const;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** Every event a host pushes to its clients, by name. */
export const EVENTS = {
  job: JobEvent,
  schedule: ScheduleEvent,
  /** A device or tape changed state or holder (reserved, released, set by the operator). */
  device: ResourceStatus,
  /** An entry was added to the event log. */
  log: LogEvent,
  /** Another site is open, or this one reopened with a new config: everything shown is to be read again. */
  site: SiteChange,
} as const;

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** A method as a client calls it: methods whose input may be omitted take it optionally. */
export type ApiMethod<M extends MethodName> = undefined extends MethodInput<M>
  ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
  : (input: MethodInput<M>) => Promise<MethodOutput<M>>;

/** `window.backupApi`, and a client on any transport: one function per method, and `on`. */
export type BackupApi = { [M in MethodName]: ApiMethod<M> } & {
  /** Calls `listener` with every event of that name; returns the function that stops it. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** What a call answers on the wire: its output, or an error with a code. */
export const ReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }) }),
]);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(CONTRACT, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}
