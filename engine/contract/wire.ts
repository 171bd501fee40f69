// What every transport of the contract shares, without zod (the preload script stays small):
// the names of the methods and events (a type check keeps them equal to the contract), the IPC
// channel names, the reply envelope and its errors, and the client that turns any wire into a
// `BackupApi`.
import type { BackupApi, EventName, EventPayload, MethodName } from './api';

export const METHOD_NAMES = [
  'describeSite',
  'openSite',
  'createSite',
  'getSiteConfig',
  'checkSiteConfig',
  'saveSiteConfig',
  'setDeviceState',
  'injectFault',
  'labelTape',
  'streamCapacity',
  'planStreams',
  'runBackup',
  'startBackup',
  'listJobs',
  'getJob',
  'getBackupJob',
  'cancelJob',
  'listEvents',
  'catalogTargets',
  'catalogBackups',
  'catalogBackup',
  'catalogList',
  'catalogFind',
  'planRestore',
  'runRestore',
  'startRestore',
  'getRestoreJob',
  'runVerify',
  'startVerify',
  'getVerifyJob',
  'rebuildCatalog',
  'listSchedules',
  'createSchedule',
  'editSchedule',
  'moveScheduleRun',
  'deleteSchedule',
  'scheduleRuns',
  'forecastSchedules',
  'runScheduleNow',
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = ['job', 'schedule', 'device', 'log', 'site'] as const satisfies readonly EventName[];

// Every method and event is listed: a missing name is a type error here.
const everyMethod: Exclude<MethodName, (typeof METHOD_NAMES)[number]> extends never ? true : false = true;
const everyEvent: Exclude<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : false = true;
void everyMethod;
void everyEvent;

/** The IPC channel of a method. */
export function methodChannel(name: MethodName): string {
  return `mpb:${name}`;
}

/** The one IPC channel events are pushed on, as `{ event, payload }`. */
export const EVENT_CHANNEL = 'mpb:event';

/**
 * What only the desktop app can do for the page, beside the contract (`window.desktopHost`; a
 * page in the browser host has none): the system's folder chooser, and the path of a folder
 * dropped from the file manager (Electron's webUtils.getPathForFile, reachable only in preload).
 */
export interface DesktopHost {
  /** The folder the operator chose, or null when the dialog was cancelled. */
  chooseFolder(options?: { title?: string; defaultPath?: string }): Promise<string | null>;
  /** The file system path of a dropped File ('' when it is not backed by a file on disk). */
  pathForFile(file: object): string;
  /** Whether the page holds unsaved changes (the site config): closing the window asks first while it does. */
  setUnsavedChanges(unsaved: boolean): Promise<void>;
}

/** The IPC channel of DesktopHost.chooseFolder. */
export const CHOOSE_FOLDER_CHANNEL = 'mpb-host:choose-folder';
/** The IPC channel of DesktopHost.setUnsavedChanges. */
export const UNSAVED_CHANNEL = 'mpb-host:unsaved';

/** Why a call failed, as every transport reports it. */
export const ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'forbidden', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Reply = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } };

/** A pushed event as it travels. */
export interface EventMessage {
  event: EventName;
  payload: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The output of a reply, or its error thrown as an ApiError. */
export function unwrap(reply: Reply): unknown {
  if (reply.ok) return reply.value;
  throw new ApiError(reply.error.code, reply.error.message);
}

/**
 * An Error that crossed Electron's context bridge keeps only its message, so the preload writes
 * the code in front of it (`[not-found] no job 9`); this gives the ApiError back.
 */
export function fromBridgeError(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\[(bad-request|not-found|conflict|forbidden|internal)\] ([\s\S]*)$/.exec(message);
  return match ? new ApiError(match[1] as ErrorCode, match[2]!) : new ApiError('internal', message);
}

/** A transport: one call, one reply; and the events it pushes. */
export interface Wire {
  call(method: MethodName, input: unknown): Promise<Reply>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

/** A `BackupApi` over a wire. */
export function remoteApi(wire: Wire): BackupApi {
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) api[name] = async (input?: unknown) => unwrap(await wire.call(name, input));
  api.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
    wire.onEvent((message) => {
      if (message.event === event) listener(message.payload as EventPayload<E>);
    });
  return api as BackupApi;
}

/** `window.backupApi` as the renderer uses it: the same calls, with failures as ApiErrors again. */
export function bridgedApi(exposed: BackupApi): BackupApi {
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) {
    const call = exposed[name] as (input?: unknown) => Promise<unknown>;
    api[name] = async (input?: unknown) => {
      try {
        return await call(input);
      } catch (error) {
        throw fromBridgeError(error);
      }
    };
  }
  api.on = exposed.on;
  return api as BackupApi;
}
