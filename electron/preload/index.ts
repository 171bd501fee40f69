// Preload: exposes `window.backupApi`, one function per contract method and `on(event, listener)`
// for pushed events, and nothing else (no generic invoke, no ipcRenderer, no process). A failed
// call rejects with an Error whose message starts with its code (`[not-found] ...`): only the
// message crosses the context bridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, EVENT_NAMES, METHOD_NAMES, methodChannel, type EventMessage, type Reply } from '../../engine/contract/wire';

const api: Record<string, unknown> = {};
for (const name of METHOD_NAMES) {
  api[name] = async (input?: unknown): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(methodChannel(name), input)) as Reply;
    if (reply.ok) return reply.value;
    throw new Error(`[${reply.error.code}] ${reply.error.message}`);
  };
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

contextBridge.exposeInMainWorld('backupApi', api);
