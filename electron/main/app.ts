// The desktop app's lifecycle: one instance per user, the site last opened (at first the demo
// site, made in the user-data directory; the operator may open or create another from the page:
// see last-site.ts), the secure window, IPC bound to the site's session, the catalog closed on quit.
// Quitting (or closing the window) while jobs run asks first; if the operator goes on, the jobs
// are cancelled and seen to their end (movers fenced, reservations released, the catalog
// consistent) before the app exits. Closing the window while the page holds unsaved changes to
// the site config asks too.
import type { App, BrowserWindow as BrowserWindowType, Dialog, IpcMain, Notification as NotificationType } from 'electron';
import type { SiteSession } from '../../engine';
import { sessionService } from '../../engine/service';
import { pushEvent, registerFolderChooser, registerIpc, registerUnsavedFlag } from './ipc';
import { openUserSite } from './last-site';
import { notifyOnJobEnd } from './notify';
import { applyContentSecurityPolicy, lockNavigation, windowOptions } from './window';
import { loadWindowState, saveWindowState } from './window-state';

export interface ElectronParts {
  app: App;
  BrowserWindow: typeof BrowserWindowType;
  dialog: Pick<Dialog, 'showMessageBox' | 'showOpenDialog'>;
  ipcMain: IpcMain;
  Notification: typeof NotificationType;
}

/** What closing the window asks while the page holds unsaved changes, and its two answers (the first keeps them). */
export const UNSAVED_QUESTION = {
  message: "The site's devices and wiring have unsaved changes. Close and discard them?",
  detail: 'They are lost when the window closes. Save them in the Site view first to keep them.',
  buttons: ['Keep editing', 'Discard and close'] as [string, string],
};

/** What the quit question says about the running jobs, and its two answers (the first keeps them). */
export function quitQuestion(jobs: ReadonlyArray<{ id: number; kind: string; target: string }>): { message: string; detail: string; buttons: [string, string] } {
  const list = jobs.map((j) => `${j.kind} of ${j.target} (job ${j.id})`).join(', ');
  return {
    message: jobs.length === 1 ? 'A job is running. Quit and cancel it?' : `${jobs.length} jobs are running. Quit and cancel them?`,
    detail: `Running: ${list}. Cancelled jobs stop at once and release their devices; a cancelled backup is not offered for restore.`,
    buttons: ['Keep running', jobs.length === 1 ? 'Cancel the job and quit' : 'Cancel the jobs and quit'],
  };
}

export interface AppPaths {
  preload: string;
  /** The renderer's URL: the dev server's in development, else the built index.html. */
  rendererUrl: string;
}

export async function startApp({ app, BrowserWindow, dialog, ipcMain, Notification }: ElectronParts, paths: AppPaths): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let session: SiteSession | null = null;
  let window: BrowserWindowType | null = null;
  /** The operator agreed to quit (or nothing ran): quitting goes ahead. */
  let quitting = false;
  let asking = false;
  /** The page holds unsaved changes; closing the window asks first, once. */
  let unsaved = false;
  let discardAgreed = false;
  /** The jobs running now; none while the site is being reopened (a change of site waits for none). */
  const runningJobs = (): number[] => {
    try {
      return session?.engine.runningJobs() ?? [];
    } catch {
      return [];
    }
  };

  /** Whether to hold a quit back (jobs run) — asks the operator, and quits once the jobs are cancelled. */
  const holdQuit = (): boolean => {
    const running = runningJobs();
    if (quitting || running.length === 0) return false;
    if (!asking) {
      asking = true;
      const current = session!.engine;
      const question = quitQuestion(running.map((id) => current.catalog.jobs.get(id)!).filter(Boolean));
      const options = { type: 'warning' as const, title: 'Multipath Backup Manager', ...question, defaultId: 0, cancelId: 0, noLink: true };
      const answer = window && !window.isDestroyed() ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
      void answer
        .then(async ({ response }) => {
          if (response !== 1) return;
          await current.settleJobs({ cancel: true });
          quitting = true;
          app.quit();
        })
        .finally(() => (asking = false));
    }
    return true;
  };
  app.on('before-quit', (event) => {
    if (holdQuit()) event.preventDefault();
  });

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    session?.close();
    session = null;
  });

  await app.whenReady();
  const opened = await openUserSite(app.getPath('userData'));
  session = opened;
  const service = sessionService(opened);
  registerIpc(ipcMain, () => service.handlers, paths.rendererUrl);
  registerFolderChooser(ipcMain, dialog, () => (window && !window.isDestroyed() ? window : null), paths.rendererUrl);
  registerUnsavedFlag(ipcMain, paths.rendererUrl, (flag) => {
    unsaved = flag;
    discardAgreed = false;
  });

  const userData = app.getPath('userData');
  const remembered = loadWindowState(userData);
  window = new BrowserWindow(windowOptions(paths.preload, remembered));
  if (remembered.maximized) window.maximize();
  const contents = window.webContents;
  const unsubscribe = service.subscribe((event, payload) => pushEvent(contents, { event, payload }));
  const stopNotifying = opened.onEngine((engine) => engine.onJobEvent(notifyOnJobEnd(Notification, (jobId) => engine.catalog.jobs.get(jobId))));
  /** Whether to hold the window's closing back for unsaved changes — asks, and closes it if the operator agrees. */
  const holdClose = (): boolean => {
    if (!unsaved || discardAgreed || !window || window.isDestroyed()) return false;
    const shown = window;
    const options = { type: 'warning' as const, title: 'Multipath Backup Manager', ...UNSAVED_QUESTION, defaultId: 0, cancelId: 0, noLink: true };
    void dialog.showMessageBox(shown, options).then(({ response }) => {
      if (response !== 1 || shown.isDestroyed()) return;
      discardAgreed = true;
      shown.close();
    });
    return true;
  };
  window.on('close', (event) => {
    if (holdQuit() || holdClose()) event.preventDefault();
    else if (window && !window.isDestroyed()) saveWindowState(userData, window);
  });
  window.on('closed', () => {
    unsubscribe();
    stopNotifying();
  });
  applyContentSecurityPolicy(window.webContents.session);
  lockNavigation(window, paths.rendererUrl);
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(paths.rendererUrl);
}
