// The desktop app's lifecycle: one instance per user, the site in the user-data directory (the
// demo site on first run), the secure window, IPC bound to the engine, the catalog closed on quit.
import fs from 'node:fs';
import path from 'node:path';
import type { App, BrowserWindow as BrowserWindowType, IpcMain, Notification as NotificationType } from 'electron';
import { Engine, initSite, WARM_MOVERS } from '../../engine';
import { engineHandlers, subscribe } from '../../engine/service';
import { pushEvent, registerIpc } from './ipc';
import { notifyOnJobEnd } from './notify';
import { applyContentSecurityPolicy, lockNavigation, windowOptions } from './window';

export interface ElectronParts {
  app: App;
  BrowserWindow: typeof BrowserWindowType;
  ipcMain: IpcMain;
  Notification: typeof NotificationType;
}

export interface AppPaths {
  preload: string;
  /** The renderer's URL: the dev server's in development, else the built index.html. */
  rendererUrl: string;
}

/** Opens the user's site, creating the demo site the first time. */
export async function openUserSite(userData: string): Promise<Engine> {
  const dir = path.join(userData, 'site');
  if (!fs.existsSync(path.join(dir, 'site.json'))) await initSite(dir, { demo: true });
  return Engine.open(dir, { warmMovers: WARM_MOVERS });
}

export async function startApp({ app, BrowserWindow, ipcMain, Notification }: ElectronParts, paths: AppPaths): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let engine: Engine | null = null;
  let window: BrowserWindowType | null = null;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    engine?.close();
    engine = null;
  });

  await app.whenReady();
  engine = await openUserSite(app.getPath('userData'));
  const handlers = engineHandlers(engine);
  registerIpc(ipcMain, () => handlers, paths.rendererUrl);

  window = new BrowserWindow(windowOptions(paths.preload));
  const contents = window.webContents;
  const unsubscribe = subscribe(engine, (event, payload) => pushEvent(contents, { event, payload }));
  const current = engine;
  const stopNotifying = current.onJobEvent(notifyOnJobEnd(Notification, (jobId) => current.catalog.jobs.get(jobId)));
  window.on('closed', () => {
    unsubscribe();
    stopNotifying();
  });
  applyContentSecurityPolicy(window.webContents.session);
  lockNavigation(window, paths.rendererUrl);
  window.once('ready-to-show', () => window?.show());
  // While the app runs, due schedules start their jobs; runs missed while it was closed are recorded as missed.
  current.startScheduler();
  await window.loadURL(paths.rendererUrl);
}
