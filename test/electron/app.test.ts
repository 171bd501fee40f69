// The desktop app's lifecycle against a fake `electron`: single instance, the demo site on first
// run, the secure window, IPC refused to foreign senders and bad payloads, catalog closed on quit.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../electron/main/app';
import { Engine } from '../../engine';
import { IPC_CHANNELS, SiteView } from '../../engine/contract';
import { useTempDirs } from '../helpers/temp';
import { FakeApp, FakeBrowserWindow, FakeIpcMain } from './fake-electron';

const APP_URL = 'file:///opt/app/out/renderer/index.html';
const PRELOAD = '/opt/app/out/preload/index.cjs';

describe('desktop app', () => {
  const tempDir = useTempDirs('mpb-app-');
  beforeEach(() => {
    FakeBrowserWindow.created = [];
  });

  async function started(userData: string) {
    const app = new FakeApp(userData);
    const ipcMain = new FakeIpcMain();
    await startApp({ app, BrowserWindow: FakeBrowserWindow, ipcMain } as never, { preload: PRELOAD, rendererUrl: APP_URL });
    return { app, ipcMain, window: FakeBrowserWindow.created[0]! };
  }

  it('quits when another instance already runs', async () => {
    const app = new FakeApp(tempDir(), false);
    await startApp({ app, BrowserWindow: FakeBrowserWindow, ipcMain: new FakeIpcMain() } as never, { preload: PRELOAD, rendererUrl: APP_URL });
    expect(app.quitCalled).toBe(true);
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('creates the demo site on first run, opens a secure window and serves the site over IPC', async () => {
    const userData = tempDir();
    const { app, ipcMain, window } = await started(userData);
    try {
      expect(fs.existsSync(path.join(userData, 'site', 'site.json'))).toBe(true);
      expect(window.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: PRELOAD } });
      expect(window.loadedUrl).toBe(APP_URL);
      expect(window.shown).toBe(true);
      expect(window.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);

      expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
      const view = SiteView.parse(await ipcMain.invoke(IPC_CHANNELS.describeSite, APP_URL));
      expect(view.name).toBe('Demo site');
      expect(view.devices.find((d) => d.id === 'library-A')?.tapes).toHaveLength(8);

      await expect(ipcMain.invoke(IPC_CHANNELS.describeSite, 'https://evil.example/')).rejects.toThrow(/refused/);
      await expect(ipcMain.invoke(IPC_CHANNELS.describeSite, APP_URL, [], { url: APP_URL })).rejects.toThrow(/refused/);
      await expect(ipcMain.invoke(IPC_CHANNELS.describeSite, APP_URL, ['extra'])).rejects.toThrow(/takes no arguments/);
    } finally {
      app.emit('will-quit');
    }
    // On quit the catalog is closed and the site's lock released: it opens again.
    const engine = await Engine.open(path.join(userData, 'site'));
    engine.close();
  });
});
