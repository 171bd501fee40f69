// Preload: exposes `window.backupApi`, one function per contract method and `on(event, listener)`
// for pushed events, and `window.desktopHost` (the folder chooser, the path of a dropped folder,
// saying the page holds unsaved changes), and nothing else (no generic invoke, no ipcRenderer, no process). A failed call rejects with an
// Error whose message starts with its code (`[not-found] ...`): only the message crosses the
// context bridge.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHOOSE_FOLDER_CHANNEL, EVENT_CHANNEL, EVENT_NAMES, METHOD_NAMES, methodChannel, UNSAVED_CHANNEL, type DesktopHost, type EventMessage, type Reply } from '../../engine/contract/wire';

/** A channel's reply: its value, or an Error with the code in front of the message. */
async function call(channel: string, input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, input)) as Reply;
  if (reply.ok) return reply.value;
  throw new Error(`[${reply.error.code}] ${reply.error.message}`);
}

const api: Record<string, unknown> = {};
for (const name of METHOD_NAMES) {
  api[name] = (input?: unknown): Promise<unknown> => call(methodChannel(name), input);
}
api.on = (event: unknown, listener: unknown): (() => void) => {
  if (!(EVENT_NAMES as readonly unknown[]).includes(event)) throw new Error(`[bad-request] there is no event ${String(event)}`);
  if (typeof listener !== 'function') throw new Error('[bad-request] a listener is a function');
  const handler = (_event: IpcRendererEvent, message: EventMessage) => {
    if (message.event === event) (listener as (payload: unknown) => void)(message.payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
};

export const backupApi = api;

export const desktopHost: DesktopHost = {
  async chooseFolder(options = {}) {
    return (await call(CHOOSE_FOLDER_CHANNEL, options)) as string | null;
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
  async setUnsavedChanges(unsaved) {
    await call(UNSAVED_CHANNEL, unsaved === true);
  },
};

contextBridge.exposeInMainWorld('backupApi', api);
contextBridge.exposeInMainWorld('desktopHost', desktopHost);
