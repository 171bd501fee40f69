// The contract suite over Electron IPC: the real main-process handlers (electron/main/ipc.ts)
// and the real preload script (electron/preload), joined by a fake `electron` whose ipcRenderer
// calls the registered handlers as the app's own page would, cloning values as IPC does.
import { vi } from 'vitest';
import { bridgedApi, type BackupApi } from '../../engine/contract';
import { sessionService } from '../../engine/service';
import { pushEvent, registerIpc } from '../../electron/main/ipc';
import { FakeIpcMain } from '../electron/fake-electron';
import { contractSuite } from './suite';

const APP_URL = 'file:///opt/app/out/renderer/index.html';

const wiring = vi.hoisted(() => ({
  ipcMain: null as null | { invoke(channel: string, url: string, args: unknown[]): Promise<unknown> },
  listeners: new Map<string, Set<(event: unknown, message: unknown) => void>>(),
  exposed: {} as Record<string, unknown>,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (wiring.exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => structuredClone(await wiring.ipcMain!.invoke(channel, APP_URL, structuredClone(args))),
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      const set = wiring.listeners.get(channel) ?? new Set();
      set.add(listener);
      wiring.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => wiring.listeners.get(channel)?.delete(listener),
  },
}));

/** The window's webContents as the main process sees it: what it sends reaches the preload's listeners. */
const contents = {
  isDestroyed: () => false,
  send: (channel: string, message: unknown) => {
    for (const listener of wiring.listeners.get(channel) ?? []) listener({}, structuredClone(message));
  },
};

contractSuite('Electron IPC', async (session) => {
  const ipcMain = new FakeIpcMain();
  wiring.ipcMain = ipcMain;
  const service = sessionService(session);
  registerIpc(ipcMain as never, () => service.handlers, APP_URL);
  const unsubscribe = service.subscribe((event, payload) => pushEvent(contents as never, { event, payload }));
  await import('../../electron/preload/index');
  return { api: bridgedApi(wiring.exposed.backupApi as BackupApi), close: unsubscribe };
});
