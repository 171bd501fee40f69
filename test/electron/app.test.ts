// The desktop app's lifecycle against a fake `electron`: single instance, the demo site on first
// run and the site last opened after, the secure window, IPC refused to foreign senders and bad
// payloads, catalog closed on quit.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../electron/main/app';
import { DEMO_MIN_SIZE, Engine } from '../../engine';
import { CHOOSE_FOLDER_CHANNEL, CONTRACT, EVENT_CHANNEL, METHOD_NAMES, methodChannel, SiteView, UNSAVED_CHANNEL, type Reply } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';
import { FakeApp, FakeBrowserWindow, FakeDialog, FakeIpcMain, FakeNotification } from './fake-electron';

const APP_URL = 'file:///opt/app/out/renderer/index.html';
const PRELOAD = '/opt/app/out/preload/index.cjs';

describe('desktop app', () => {
  const tempDir = useTempDirs('mpb-app-');
  beforeEach(() => {
    FakeBrowserWindow.created = [];
    FakeNotification.shown = [];
  });

  async function started(userData: string, dialog = new FakeDialog([])) {
    const app = new FakeApp(userData);
    const ipcMain = new FakeIpcMain();
    await startApp({ app, BrowserWindow: FakeBrowserWindow, dialog, ipcMain, Notification: FakeNotification } as never, { preload: PRELOAD, rendererUrl: APP_URL });
    return { app, ipcMain, window: FakeBrowserWindow.created.at(-1)! };
  }

  it('quits when another instance already runs', async () => {
    const app = new FakeApp(tempDir(), false);
    await startApp({ app, BrowserWindow: FakeBrowserWindow, dialog: new FakeDialog([]), ipcMain: new FakeIpcMain(), Notification: FakeNotification } as never, { preload: PRELOAD, rendererUrl: APP_URL });
    expect(app.quitCalled).toBe(true);
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('offers the desktop folder chooser to its own page only, with checked options', async () => {
    const dialog = new FakeDialog([]);
    const { app, ipcMain } = await started(tempDir(), dialog);
    try {
      dialog.folder = '/srv/restore';
      expect(await ipcMain.invoke(CHOOSE_FOLDER_CHANNEL, APP_URL, [{ title: 'Restore into', defaultPath: '/srv' }])).toEqual({ ok: true, value: '/srv/restore' });
      expect(dialog.opened.at(-1)).toEqual({ properties: ['openDirectory', 'createDirectory'], title: 'Restore into', defaultPath: '/srv' });
      dialog.folder = null;
      expect(await ipcMain.invoke(CHOOSE_FOLDER_CHANNEL, APP_URL, [])).toEqual({ ok: true, value: null });
      const opened = dialog.opened.length;
      expect(await ipcMain.invoke(CHOOSE_FOLDER_CHANNEL, 'https://evil.example/', [])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      for (const args of [[{ defaultPath: 'relative' }], [{ shell: true }], ['text'], [{}, {}]]) {
        expect(await ipcMain.invoke(CHOOSE_FOLDER_CHANNEL, APP_URL, args)).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^chooseFolder: /) } });
      }
      expect(dialog.opened).toHaveLength(opened);
    } finally {
      app.emit('will-quit');
    }
  });

  it('asks before closing a window whose page holds unsaved changes, and closes it when the operator agrees', async () => {
    const dialog = new FakeDialog([0, 1]);
    const { app, ipcMain, window } = await started(tempDir(), dialog);
    try {
      expect(await ipcMain.invoke(UNSAVED_CHANNEL, 'https://evil.example/', [true])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await ipcMain.invoke(UNSAVED_CHANNEL, APP_URL, ['yes'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      // Nothing unsaved: it closes without a question.
      expect(window.fire('close')).toBe(false);
      expect(await ipcMain.invoke(UNSAVED_CHANNEL, APP_URL, [true])).toEqual({ ok: true, value: null });
      // "Keep editing": it stays open.
      expect(window.fire('close')).toBe(true);
      await expect.poll(() => dialog.asked.length).toBe(1);
      expect(dialog.asked[0]).toMatchObject({ message: expect.stringMatching(/unsaved changes/), buttons: ['Keep editing', 'Discard and close'] });
      expect(window.closed).toBe(false);
      // "Discard and close": closed.
      expect(window.fire('close')).toBe(true);
      await expect.poll(() => window.closed).toBe(true);
      expect(dialog.asked).toHaveLength(2);
    } finally {
      app.emit('will-quit');
    }
  });

  it('creates the demo site on first run, opens a secure window, remembers its size, and closes the catalog on quit', async () => {
    const userData = tempDir();
    const { app, window } = await started(userData);
    try {
      expect(fs.existsSync(path.join(userData, 'site', 'site.json'))).toBe(true);
      expect(window.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: PRELOAD } });
      expect(window.loadedUrl).toBe(APP_URL);
      expect(window.shown).toBe(true);
      expect(window.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
      // Closing the window remembers its size and place; the next start opens it there.
      window.bounds = { x: 5, y: 6, width: 1111, height: 777 };
      expect(window.fire('close')).toBe(false);
    } finally {
      app.emit('will-quit');
    }
    const again = await started(userData);
    try {
      expect(again.window.options).toMatchObject({ x: 5, y: 6, width: 1111, height: 777 });
    } finally {
      again.app.emit('will-quit');
    }
    // On quit the catalog is closed and the site's lock released: it opens again.
    const engine = await Engine.open(path.join(userData, 'site'));
    engine.close();
  });

  it('opens the site last opened or created from the console, and the user-data one when that is gone', async () => {
    const userData = tempDir();
    const elsewhere = path.join(tempDir(), 'branch-office');
    const first = await started(userData);
    try {
      const created = (await first.ipcMain.invoke(methodChannel('createSite'), APP_URL, [{ dir: elsewhere, name: 'Branch office' }])) as Reply;
      expect(created.ok).toBe(true);
    } finally {
      first.app.emit('will-quit');
    }
    const describe = async (ipcMain: FakeIpcMain) => SiteView.parse(((await ipcMain.invoke(methodChannel('describeSite'), APP_URL, [])) as { value: unknown }).value);
    const second = await started(userData);
    try {
      expect(await describe(second.ipcMain)).toMatchObject({ name: 'Branch office', dir: elsewhere });
    } finally {
      second.app.emit('will-quit');
    }
    // The remembered site removed: the user-data site opens, and its log says why.
    fs.rmSync(elsewhere, { recursive: true, force: true });
    const third = await started(userData);
    try {
      expect(await describe(third.ipcMain)).toMatchObject({ name: 'Demo site', dir: path.join(userData, 'site') });
      const log = ((await third.ipcMain.invoke(methodChannel('listEvents'), APP_URL, [{ level: 'warning' }])) as { value: Array<{ message: string }> }).value;
      expect(log.map((e) => e.message)).toContainEqual(expect.stringContaining(`the site last opened, in ${elsewhere}`));
    } finally {
      third.app.emit('will-quit');
    }
  });

  it('serves the contract over IPC, pushes events, notifies and runs schedules', async () => {
    // A small demo site from an earlier run, without library delays, so its backups are quick.
    const userData = tempDir();
    await makeBackupSite(path.join(userData, 'site'), { size: DEMO_MIN_SIZE });
    const { app, ipcMain, window } = await started(userData);
    try {
      // One handler per contract method, the folder chooser and the unsaved-changes flag, and nothing else.
      expect([...ipcMain.handlers.keys()].sort()).toEqual([...Object.keys(CONTRACT).map((m) => methodChannel(m as keyof typeof CONTRACT)), CHOOSE_FOLDER_CHANNEL, UNSAVED_CHANNEL].sort());
      expect(METHOD_NAMES.length).toBe(Object.keys(CONTRACT).length);
      const reply = (await ipcMain.invoke(methodChannel('describeSite'), APP_URL, [])) as Reply;
      expect(reply.ok).toBe(true);
      const view = SiteView.parse((reply as { value: unknown }).value);
      expect(view.name).toBe('Demo site');
      expect(view.devices.find((d) => d.id === 'library-A')?.tapes).toHaveLength(8);

      // A foreign page, a subframe of ours, a bad payload, extra arguments: refused before the engine runs.
      const jobs = (await ipcMain.invoke(methodChannel('listJobs'), APP_URL, [])) as { value: unknown[] };
      for (const [url, parent] of [['https://evil.example/', null], [APP_URL, { url: APP_URL }], ['file:///tmp/other.html', null]] as const) {
        expect(await ipcMain.invoke(methodChannel('runBackup'), url, [{ target: '/pictures' }], parent)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      expect(await ipcMain.invoke(methodChannel('runBackup'), APP_URL, [{ target: 42 }])).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^runBackup: /) } });
      expect(await ipcMain.invoke(methodChannel('describeSite'), APP_URL, [{}, 'extra'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect((await ipcMain.invoke(methodChannel('listJobs'), APP_URL, [])) as { value: unknown[] }).toEqual(jobs);

      // Job events are pushed to the window.
      const done = (await ipcMain.invoke(methodChannel('runBackup'), APP_URL, [{ target: '/pictures', chunkSize: 65536 }])) as { ok: boolean; value: { job: { id: number; state: string } } };
      expect(done.value.job.state).toBe('succeeded');
      const pushed = window.webContents.sent.filter((s) => s.channel === EVENT_CHANNEL).map((s) => s.message as { event: string; payload: { type: string; jobId: number } });
      expect(pushed.some((m) => m.event === 'job' && m.payload.type === 'job-finished' && m.payload.jobId === done.value.job.id)).toBe(true);

      // A job that ends degraded (or failed) is notified on the desktop; one that succeeded is not.
      expect(FakeNotification.shown).toEqual([]);
      const plan = (await ipcMain.invoke(methodChannel('planStreams'), APP_URL, [{ streams: 2 }])) as { value: { streams: Array<{ mover: string }> } };
      const faults = [{ device: plan.value.streams[1]!.mover, kind: 'io-error', at: { chunk: 1 } }];
      const degraded = (await ipcMain.invoke(methodChannel('runBackup'), APP_URL, [{ target: '/pictures', chunkSize: 65536, faults }])) as { value: { job: { id: number; state: string } } };
      expect(degraded.value.job.state).toBe('succeeded-degraded');
      expect(FakeNotification.shown).toEqual([{ title: `The backup of /pictures (job ${degraded.value.job.id}) ended degraded`, body: expect.stringMatching(/^It completed, but not on every stream/) }]);

      // The scheduler runs while the app does: a schedule due in a moment starts its job by itself.
      const at = new Date(Date.now() + 1500).toISOString();
      const schedule = (await ipcMain.invoke(methodChannel('createSchedule'), APP_URL, [{ target: '/pictures', when: { kind: 'once', at }, chunkSize: 65536 }])) as { ok: boolean; value: { id: number } };
      expect(schedule.ok).toBe(true);
      await expect
        .poll(async () => ((await ipcMain.invoke(methodChannel('listJobs'), APP_URL, [])) as { value: Array<{ scheduleId: number | null; state: string }> }).value.find((j) => j.scheduleId === schedule.value.id)?.state, { timeout: 20_000, interval: 200 })
        .toBe('succeeded');
    } finally {
      app.emit('will-quit');
    }
  });

  it('quitting while a job runs asks; keeping it runs on, quitting cancels it, releases everything and closes the catalog', async () => {
    const userData = tempDir();
    await makeBackupSite(path.join(userData, 'site'), { size: DEMO_MIN_SIZE });
    const dialog = new FakeDialog([0, 1]);
    const { app, ipcMain, window } = await started(userData, dialog);
    let closed = false;
    try {
      // A backup slowed down so that it is still running when the operator quits.
      const plan = (await ipcMain.invoke(methodChannel('planStreams'), APP_URL, [{ streams: 2 }])) as { value: { streams: Array<{ mover: string }> } };
      const faults = plan.value.streams.map((s) => ({ device: s.mover, kind: 'slow', at: { chunk: 0 }, rate: 16 * 1024 }));
      const started = (await ipcMain.invoke(methodChannel('startBackup'), APP_URL, [{ target: '/pictures', chunkSize: 65536, faults }])) as { ok: boolean; value: { jobId: number } };
      expect(started.ok).toBe(true);
      const jobId = started.value.jobId;
      const stateOf = async () => ((await ipcMain.invoke(methodChannel('getJob'), APP_URL, [{ jobId }])) as { value: { job: { state: string } } }).value.job.state;
      await expect.poll(stateOf, { timeout: 10_000 }).toBe('running');

      // Closing the window asks, and "Keep running" keeps the app and the job.
      expect(window.fire('close')).toBe(true);
      await expect.poll(() => dialog.asked.length).toBe(1);
      expect(dialog.asked[0]).toEqual({ message: 'A job is running. Quit and cancel it?', detail: expect.stringContaining(`backup of /pictures (job ${jobId})`), buttons: ['Keep running', 'Cancel the job and quit'] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(app.quitCalled).toBe(false);
      expect(await stateOf()).toBe('running');

      // Quitting asks again; "Cancel the job and quit" cancels it, waits for its end, then quits.
      app.quit();
      await expect.poll(() => app.quitCalled, { timeout: 20_000 }).toBe(true);
      closed = true;
      expect(dialog.asked).toHaveLength(2);
    } finally {
      if (!closed) app.emit('will-quit');
    }
    const engine = await Engine.open(path.join(userData, 'site'));
    try {
      const job = engine.jobs()[0]!;
      expect(job.state).toBe('cancelled');
      expect(engine.describe().devices.filter((d) => d.state === 'in-use')).toEqual([]);
      expect(engine.catalogTargets().map((t) => t.completeBackups)).toEqual([0]);
    } finally {
      engine.close();
    }
  });
});
