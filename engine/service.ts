// The engine as the contract's implementation: one handler per method, and the one entry every
// host calls, `dispatch`, which refuses unknown methods, parses the input with the method's
// schema before the engine sees it, checks the output against its schema, and turns every error
// into a reply with a code. Events are pushed through `subscribe`. Hosts carry replies and events
// and decide nothing.
import { z } from 'zod';
import { AllocationError, StreamRequestError } from './allocation';
import { CatalogRequestError, NotFoundError, SiteInUseError } from './catalog';
import {
  CONTRACT,
  isMethodName,
  METHOD_NAMES,
  type Contract,
  type ErrorCode,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodOutput,
  type Reply,
  type Wire,
} from './contract';
import type { Engine } from './engine';
import { SiteExistsError } from './init';
import type { SiteSession } from './session';
import { JobRequestError, JobStateError, NotPermittedError } from './jobs';
import { ScheduleNotFoundError } from './schedule';
import { InventoryError, SiteConfigError } from './site';

/** The engine's side of each method, given the input its schema parsed. */
export type Handlers = { [M in MethodName]: (input: z.output<Contract[M]['input']>) => MethodOutput<M> | Promise<MethodOutput<M>> };

/** Every method of the contract on the site a session has open (whichever it is at the call). */
export function sessionHandlers(session: SiteSession): Handlers {
  const cache = new WeakMap<Engine, Handlers>();
  const current = (): Handlers => {
    let handlers = cache.get(session.engine);
    if (!handlers) cache.set(session.engine, (handlers = engineHandlers(session.engine)));
    return handlers;
  };
  const handlers = Object.fromEntries(METHOD_NAMES.map((name) => [name, (input: never) => (current()[name] as (input: never) => unknown)(input)])) as Handlers;
  return {
    ...handlers,
    openSite: async ({ dir }) => (await session.openSite(dir)).describe(),
    createSite: async ({ dir, name, demo }) => (await session.createSite(dir, { demo, ...(name !== undefined ? { name } : {}) })).describe(),
    getSiteConfig: () => session.siteConfig(),
    checkSiteConfig: ({ config }) => session.checkConfig(config),
    saveSiteConfig: async ({ config, base }) => (await session.saveConfig(config, base)).describe(),
  };
}

/** Every method but those of a session (open, create, reconfigure a site), which an engine alone refuses. */
export function engineHandlers(engine: Engine): Handlers {
  const needsSession = (): never => {
    throw new NotPermittedError('this host has one site open and cannot change it');
  };
  return {
    describeSite: () => engine.describe(),
    openSite: needsSession,
    createSite: needsSession,
    getSiteConfig: needsSession,
    checkSiteConfig: needsSession,
    saveSiteConfig: needsSession,
    setDeviceState: ({ id, state }) => engine.setState(id, state),
    injectFault: (fault) => engine.injectFault(fault),
    labelTape: (request) => engine.labelTape(request),
    streamCapacity: () => engine.streamCapacity(),
    planStreams: (request) => engine.plan(request),
    runBackup: (request) => engine.backup(request),
    startBackup: (request) => engine.startBackup(request),
    listJobs: (input) => engine.jobs({ limit: input?.limit ?? 100 }),
    getJob: ({ jobId }) => {
      const job = engine.catalog.jobs.get(jobId);
      if (!job) throw new NotFoundError(`no job ${jobId}`);
      return { job, log: engine.jobLog(jobId) };
    },
    getBackupJob: ({ jobId }) => engine.backupResult(jobId),
    cancelJob: ({ jobId }) => engine.cancelJob(jobId),
    listEvents: (query) => engine.events(query ?? {}),
    catalogTargets: () => engine.catalogTargets(),
    catalogBackups: ({ target, ...options }) => engine.catalogBackups(target, options),
    catalogBackup: ({ backupId }) => engine.catalogBackup(backupId),
    catalogList: ({ backupId, path, ...options }) => engine.catalogList(backupId, path, options),
    catalogFind: (request) => engine.catalogFind(request),
    planRestore: (request) => engine.restorePlan(request),
    runRestore: (request) => engine.restore(request),
    startRestore: (request) => engine.startRestore(request),
    getRestoreJob: ({ jobId }) => engine.restoreResult(jobId),
    runVerify: (request) => engine.verify(request),
    startVerify: (request) => engine.startVerify(request),
    getVerifyJob: ({ jobId }) => engine.verifyResult(jobId),
    rebuildCatalog: () => engine.rebuildCatalog(),
    listSchedules: () => engine.schedules(),
    createSchedule: (input) => engine.createSchedule(input),
    editSchedule: ({ id, edit }) => engine.editSchedule(id, edit),
    moveScheduleRun: (request) => engine.moveScheduleRun(request),
    deleteSchedule: ({ id }) => {
      engine.removeSchedule(id);
      return { id };
    },
    scheduleRuns: (filter) => engine.scheduleRuns(filter),
    forecastSchedules: ({ from, to }) => engine.forecast(new Date(from), new Date(to)),
    runScheduleNow: ({ id }) => engine.runNow(id),
  };
}

/** Runs one call from a host: never throws; the reply holds the output or the error. */
export async function dispatch(handlers: Handlers, method: unknown, input: unknown): Promise<Reply> {
  if (!isMethodName(method)) return failure('bad-request', `there is no method ${JSON.stringify(String(method)).slice(0, 80)}`);
  const spec = CONTRACT[method];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) return failure('bad-request', `${method}: ${z.prettifyError(parsed.error)}`);
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const value: unknown = await handler(parsed.data);
    return { ok: true, value: spec.output.parse(value) };
  } catch (error) {
    return failure(codeOf(error), error instanceof Error ? error.message : String(error));
  }
}

/** Pushes every event of the session's open engine, whichever it is, and its site changes; returns the function that stops. */
export function subscribeSession(session: SiteSession, send: EventSender): () => void {
  const stops = [session.onEngine((engine) => subscribe(engine, send)), session.onSiteChange((change) => send('site', change))];
  return () => stops.forEach((stop) => stop());
}

/** Pushes every engine event to `send` as the contract names it; returns the function that stops. */
export function subscribe(engine: Engine, send: EventSender): () => void {
  const stops = [
    engine.onJobEvent((payload) => send('job', payload)),
    engine.onScheduleEvent((payload) => send('schedule', payload)),
    engine.onDeviceEvent((payload) => send('device', payload)),
    engine.onLogEvent((payload) => send('log', payload)),
  ];
  return () => stops.forEach((stop) => stop());
}

function codeOf(error: unknown): ErrorCode {
  if (error instanceof NotFoundError || error instanceof ScheduleNotFoundError) return 'not-found';
  if (error instanceof StreamRequestError) return 'bad-request';
  if (error instanceof AllocationError || error instanceof JobStateError || error instanceof SiteInUseError || error instanceof SiteExistsError) return 'conflict';
  if (error instanceof NotPermittedError) return 'forbidden';
  if (error instanceof JobRequestError || error instanceof CatalogRequestError || error instanceof SiteConfigError || error instanceof InventoryError || error instanceof z.ZodError) {
    return 'bad-request';
  }
  return 'internal';
}

function failure(code: ErrorCode, message: string): Reply {
  return { ok: false, error: { code, message } };
}

/** Sends one event as the contract names it. */
export type EventSender = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** What a host carries: the contract's handlers, and its events. */
export interface Service {
  handlers: Handlers;
  subscribe(send: EventSender): () => void;
}

/** The service of a session: whichever site it has open, and changing sites. Hosts use this. */
export function sessionService(session: SiteSession): Service {
  return { handlers: sessionHandlers(session), subscribe: (send) => subscribeSession(session, send) };
}

/** The service of one open engine (tests and embedding): the session's methods are refused. */
export function engineService(engine: Engine): Service {
  return { handlers: engineHandlers(engine), subscribe: (send) => subscribe(engine, send) };
}

/**
 * The contract in the engine's own process (tests; a host that embeds the engine): inputs,
 * replies and events go through JSON, as they would on a real wire.
 */
export function inProcessWire(service: Service): Wire {
  const json = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
  return {
    call: async (method, input) => json(await dispatch(service.handlers, method, json(input))),
    onEvent: (listener) => service.subscribe((event, payload) => listener({ event, payload: json(payload) })),
  };
}
