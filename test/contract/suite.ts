// The contract suite: the same calls and events, with the same answers and the same errors, on
// every transport (in-process, Electron IPC through a fake `electron`, the WebSocket bridge of
// `mpbackup serve`), so the transports cannot drift apart. A transport file calls
// `contractSuite(name, connect)`; `connect` gets an open site session (as hosts have) and gives a
// `BackupApi` on it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteSession } from '../../engine';
import type {
  LogEvent} from '../../engine/contract';
import {
  ApiError,
  BackupResult,
  CONTRACT,
  JobEvent,
  RebuildReport,
  ResourceStatus,
  RestoreResult,
  SiteView,
  type BackupApi,
  type MethodName,
} from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { describeTree, describeTreeToSeconds, writeAwkwardTree } from '../helpers/trees';
import { useTempDirs } from '../helpers/temp';

export interface Connection {
  api: BackupApi;
  close(): void | Promise<void>;
}

const CHUNK = 64 * 1024;

/** The error a call rejects with, as an ApiError (every transport gives one). */
async function failure(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('the call did not fail');
}

export function contractSuite(transport: string, connect: (session: SiteSession) => Promise<Connection>): void {
  describe(`the contract over ${transport}`, () => {
    const tempDir = useTempDirs('mpb-contract-');
    let root: string;
    let session: SiteSession;
    let connection: Connection;
    let api: BackupApi;
    let source: string;

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'mpb-contract-site-'));
      const dir = await makeBackupSite(path.join(root, 'site'));
      source = path.join(dir, 'storage', 'awkward');
      writeAwkwardTree(source, CHUNK);
      session = await SiteSession.open(dir);
      connection = await connect(session);
      api = connection.api;
    });

    afterAll(async () => {
      await connection?.close();
      session?.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('describes the site as the engine does', async () => {
      const view = await api.describeSite();
      expect(SiteView.parse(view)).toEqual(view);
      expect(view).toEqual(JSON.parse(JSON.stringify(session.engine.describe())));
    });

    it('sets a device state, and refuses a bad one with bad-request, changing nothing', async () => {
      const library = session.engine.site.devicesOfKind('library')[0]!.id;
      await expect(api.setDeviceState({ id: library, state: 'unavailable' })).resolves.toEqual({ id: library, state: 'unavailable', holder: null });
      await expect(api.setDeviceState({ id: library, state: 'available' })).resolves.toMatchObject({ state: 'available' });
      const bad = await failure(api.setDeviceState({ id: library, state: 'in-use' as 'available' }));
      expect(bad.code).toBe('bad-request');
      expect(bad.message).toMatch(/^setDeviceState: /);
      expect((await failure(api.setDeviceState({ id: 'no-such-device', state: 'available' }))).code).toBe('bad-request');
      expect(session.engine.inventory.status(library).state).toBe('available');
    });

    it('plans streams, runs a backup with its events, lists and shows the job', async () => {
      const plan = await api.planStreams({ streams: 2 });
      expect(plan.streams).toHaveLength(2);
      const events: JobEvent[] = [];
      const off = api.on('job', (event) => events.push(event));
      const result = await api.runBackup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      expect(BackupResult.parse(result)).toEqual(result);
      expect(result.job.state).toBe('succeeded');
      await expect.poll(() => events.some((e) => e.type === 'job-finished' && e.jobId === result.job.id)).toBe(true);
      for (const event of events) expect(JobEvent.parse(event)).toEqual(event);
      expect(events.some((e) => e.type === 'progress')).toBe(true);
      off();
      const seen = events.length;
      await api.runBackup({ target: '/awkward', mode: 'failover', chunkSize: CHUNK });
      expect(events.length).toBe(seen);

      const jobs = await api.listJobs();
      expect(jobs.map((j) => j.id)).toContain(result.job.id);
      expect(await api.listJobs({ limit: 1 })).toHaveLength(1);
      const detail = await api.getJob({ jobId: result.job.id });
      expect(detail.job).toEqual(result.job);
      expect(detail.log.some((e) => /succeeded/.test(e.message))).toBe(true);
      expect((await failure(api.getJob({ jobId: 99_999 }))).code).toBe('not-found');
    });

    it('browses the catalog', async () => {
      const targets = await api.catalogTargets();
      expect(targets.map((t) => t.target)).toContain('/awkward');
      const backups = await api.catalogBackups({ target: '/awkward' });
      expect(backups.length).toBeGreaterThanOrEqual(2);
      const detail = await api.catalogBackup({ backupId: backups[0]!.id });
      expect(detail.fragments.length).toBeGreaterThan(0);
      const listing = await api.catalogList({ backupId: backups[0]!.id, path: '' });
      expect(listing.entries.map((e) => e.name).sort()).toEqual(fs.readdirSync(source).sort());
      const hits = await api.catalogFind({ target: '/awkward', name: 'deep' });
      expect(hits.some((h) => h.path.endsWith('deep.txt'))).toBe(true);
      expect((await failure(api.catalogBackup({ backupId: 99_999 }))).code).toBe('not-found');
      expect((await failure(api.catalogList({ backupId: backups[0]!.id, path: 'no/such/dir' }))).code).toBe('not-found');
    });

    it('plans and runs a restore, and verifies', async () => {
      const [backup] = await api.catalogBackups({ target: '/awkward' });
      const destination = path.join(tempDir(), 'restored');
      const plan = await api.planRestore({ backupId: backup!.id, destination });
      expect(plan.chunks.length).toBeGreaterThan(0);
      expect(plan.selections).toEqual([{ path: '', type: 'directory', firstChunk: 0, lastChunk: plan.chunks.at(-1)!.index, entries: plan.entries, bytes: plan.bytes }]);
      // Per path asked for: where in the stream it lies (a directory with its subtree).
      const some = await api.planRestore({ backupId: backup!.id, destination, paths: ['a/b', 'big/larger than a chunk.bin'] });
      expect(some.selections.map((p) => [p.path, p.type])).toEqual([['a/b', 'directory'], ['big/larger than a chunk.bin', 'file']]);
      for (const part of some.selections) {
        expect(part.firstChunk).toBeLessThanOrEqual(part.lastChunk);
        expect(some.chunks.some((c) => c.index === part.firstChunk) && some.chunks.some((c) => c.index === part.lastChunk)).toBe(true);
      }
      expect(some.selections.reduce((n, p) => n + p.entries, 0)).toBe(some.entries);
      const result = await api.runRestore({ backupId: backup!.id, destination });
      expect(RestoreResult.parse(result)).toEqual(result);
      expect(result.job.state).toBe('succeeded');
      expect(describeTree(destination)).toEqual(describeTree(source));
      const verify = await api.runVerify({ backupId: backup!.id });
      expect(verify.job.state).toBe('succeeded');

      // Started in the background: the job at once, its report when it has ended, kept in the catalog.
      const again = path.join(tempDir(), 'restored-again');
      const ended: JobEvent[] = [];
      const off = api.on('job', (e) => e.type === 'job-finished' && ended.push(e));
      const { jobId } = await api.startRestore({ backupId: backup!.id, destination: again });
      await expect.poll(() => ended.some((e) => e.jobId === jobId), { timeout: 20_000 }).toBe(true);
      const report = await api.getRestoreJob({ jobId });
      expect(report).toMatchObject({ job: { id: jobId, kind: 'restore', state: 'succeeded' }, destination: again, files: result.files });
      expect(describeTree(again)).toEqual(describeTree(source));
      const started = await api.startVerify({ backupId: backup!.id });
      await expect.poll(() => ended.some((e) => e.jobId === started.jobId), { timeout: 20_000 }).toBe(true);
      off();
      expect(await api.getVerifyJob({ jobId: started.jobId })).toEqual({ ...verify, job: (await api.getJob({ jobId: started.jobId })).job });
      expect((await failure(api.getRestoreJob({ jobId: started.jobId }))).code).toBe('bad-request');
      expect((await failure(api.getVerifyJob({ jobId: 99_999 }))).code).toBe('not-found');
      expect((await failure(api.startRestore({ backupId: 99_999, destination: again }))).code).toBe('bad-request');
    });

    it('creates, edits, forecasts, runs now and deletes a schedule, with its events', async () => {
      const created = await api.createSchedule({ target: '/awkward', when: { kind: 'daily', time: '23:30' }, mode: 'failover', chunkSize: CHUNK, timeZone: 'Europe/Berlin' });
      expect(created).toMatchObject({ target: '/awkward', mode: 'failover', when: { kind: 'daily', time: '23:30' }, timeZone: 'Europe/Berlin', enabled: true });
      expect(created.nextDueAt).toMatch(/T22:30:00(\.000)?Z$|T21:30:00(\.000)?Z$/);
      expect((await api.listSchedules()).map((s) => s.id)).toContain(created.id);
      const edited = await api.editSchedule({ id: created.id, edit: { enabled: false } });
      expect(edited).toMatchObject({ id: created.id, enabled: false, nextDueAt: null });
      await api.editSchedule({ id: created.id, edit: { enabled: true } });
      const from = new Date();
      const forecast = await api.forecastSchedules({ from: from.toISOString(), to: new Date(from.getTime() + 3 * 86_400_000).toISOString() });
      expect(forecast.filter((f) => f.scheduleId === created.id).length).toBeGreaterThanOrEqual(2);

      const fired: unknown[] = [];
      const off = api.on('schedule', (event) => fired.push(event));
      const run = await api.runScheduleNow({ id: created.id });
      expect(run.job).toMatchObject({ state: 'succeeded', scheduleId: created.id });
      await expect.poll(() => fired).toContainEqual(expect.objectContaining({ type: 'schedule-fired', scheduleId: created.id, jobId: run.job.id }));
      off();
      const runs = await api.scheduleRuns({ scheduleId: created.id });
      expect(runs.some((r) => r.jobId === run.job.id && r.state === 'started')).toBe(true);

      // A planned run dragged to another time; then, dragged again with "every run", the series takes its new time.
      const [first] = forecast.filter((f) => f.scheduleId === created.id);
      const to = new Date(Date.parse(first!.dueAt) + 3600_000).toISOString();
      const moved = await api.moveScheduleRun({ id: created.id, dueAt: first!.dueAt, to });
      expect(moved.moves).toEqual([{ dueAt: new Date(first!.dueAt).toISOString(), to }]);
      expect((await failure(api.moveScheduleRun({ id: created.id, dueAt: '2020-01-01T00:00:00Z', to }))).code).toBe('bad-request');
      const series = await api.moveScheduleRun({ id: created.id, dueAt: to, to: new Date(Date.parse(to) + 15 * 60_000).toISOString(), series: true });
      expect(series).toMatchObject({ when: { kind: 'daily', time: '00:45' }, moves: [] });

      const bad = await failure(api.createSchedule({ target: '/awkward', when: { kind: 'cron', expression: 'every full moon' } }));
      expect(bad.code).toBe('bad-request');
      expect((await failure(api.editSchedule({ id: 99_999, edit: { enabled: false } }))).code).toBe('not-found');
      await expect(api.deleteSchedule({ id: created.id })).resolves.toEqual({ id: created.id });
      expect((await api.listSchedules()).map((s) => s.id)).not.toContain(created.id);
      expect((await failure(api.runScheduleNow({ id: created.id }))).code).toBe('not-found');
    });

    it('starts backups at once, pushes device and log events, injects live faults and cancels a job', async () => {
      const devices: ResourceStatus[] = [];
      const logged: LogEvent[] = [];
      const jobEvents: JobEvent[] = [];
      const offs = [api.on('device', (e) => devices.push(e)), api.on('log', (e) => logged.push(e)), api.on('job', (e) => jobEvents.push(e))];
      try {
        expect(await api.streamCapacity()).toEqual({ mirrored: 3, failover: 3 });
        // Stream 0 crawls, so it is still writing when its server is made to crash; stream 1 completes.
        const plan = await api.planStreams({ streams: 2 });
        const slow = [{ device: plan.streams[0]!.mover, kind: 'slow' as const, at: { chunk: 0 }, rate: 64 * 1024 }];
        const { jobId } = await api.startBackup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK, faults: slow });
        await expect.poll(() => devices.some((d) => d.holder?.jobId === jobId && d.id === plan.streams[0]!.mover)).toBe(true);
        for (const d of devices) expect(ResourceStatus.parse(d)).toEqual(d);
        await expect.poll(async () => (await api.getBackupJob({ jobId })).streams.map((s) => s.status), { timeout: 10_000 }).toContain('running');
        expect((await api.streamCapacity()).mirrored).toBe(1);
        const injected = await api.injectFault({ device: plan.streams[0]!.mover, kind: 'crash' });
        expect(injected).toEqual({ fault: { device: plan.streams[0]!.mover, kind: 'crash' }, reached: [{ jobId, streams: [0] }] });
        await expect.poll(() => jobEvents.find((e) => e.type === 'job-finished' && e.jobId === jobId), { timeout: 20_000 }).toMatchObject({ state: 'succeeded-degraded' });
        const result = await api.getBackupJob({ jobId });
        expect(result.streams.map((s) => s.status)).toEqual(['failed', 'completed']);
        expect(devices.filter((d) => d.id === plan.streams[0]!.mover).at(-1)).toEqual({ id: plan.streams[0]!.mover, state: 'available', holder: null });
        expect(logged.some((e) => e.jobId === jobId && /injected crash/.test(e.message))).toBe(true);

        // A crawling backup cancelled: it ends cancelled, holds nothing, and is not restorable.
        const crawl = (await api.planStreams({ streams: 2 })).streams.map((p) => ({ device: p.mover, kind: 'slow' as const, at: { chunk: 0 }, rate: 64 * 1024 }));
        const second = await api.startBackup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK, faults: crawl });
        await expect.poll(async () => (await api.getJob({ jobId: second.jobId })).job.state, { timeout: 10_000 }).toBe('running');
        const cancelled = await api.cancelJob({ jobId: second.jobId });
        expect(cancelled).toMatchObject({ id: second.jobId, state: 'cancelled', message: 'cancelled by the operator' });
        expect(session.engine.inventory.heldBy(second.jobId)).toEqual([]);
        expect((await api.getBackupJob({ jobId: second.jobId })).backup?.state).toBe('failed');
        expect((await failure(api.cancelJob({ jobId: second.jobId }))).code).toBe('conflict');
        expect((await failure(api.cancelJob({ jobId: 99_999 }))).code).toBe('not-found');
        expect((await failure(api.getBackupJob({ jobId: 99_999 }))).code).toBe('not-found');

        // Faults nobody can feel, or a device cannot have, change nothing.
        expect((await failure(api.injectFault({ device: plan.streams[0]!.mover, kind: 'crash' }))).code).toBe('conflict');
        expect((await failure(api.injectFault({ device: 'switch-1', kind: 'crash' }))).code).toBe('bad-request');
        expect((await failure(api.startBackup({ target: '/no/such/target' }))).code).toBe('bad-request');

        // The event log: newest first, by job, by level, a page at a time.
        const ofJob = await api.listEvents({ jobId: second.jobId });
        expect(ofJob.length).toBeGreaterThan(2);
        expect(ofJob.every((e) => e.jobId === second.jobId)).toBe(true);
        expect(ofJob.some((e) => /cancel asked by the operator/.test(e.message))).toBe(true);
        const ids = ofJob.map((e) => e.id);
        expect(ids).toEqual([...ids].sort((a, b) => b - a));
        expect((await api.listEvents({ level: 'warning', limit: 50 })).every((e) => e.level !== 'info')).toBe(true);
        const page = await api.listEvents({ limit: 2 });
        expect(page).toHaveLength(2);
        expect((await api.listEvents({ limit: 1, beforeId: page[0]!.id }))[0]).toEqual(page[1]);
        await expect.poll(() => logged.some((e) => e.id === page[0]!.id)).toBe(true);
      } finally {
        offs.forEach((off) => off());
      }
    });

    it('labels a new tape into a library, with the next id of its numbering', async () => {
      const library = session.engine.site.devicesOfKind('library')[0]!;
      const before = library.tapes.map((t) => t.id);
      const tape = await api.labelTape({ library: library.id, capacity: 64 * 2 ** 20 });
      expect(tape).toEqual({ id: before.at(-1)!.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(n.length, '0')), state: 'available', holder: null, capacity: 64 * 2 ** 20, usedBytes: 0, full: false });
      expect((await api.describeSite()).devices.find((d) => d.id === library.id)!.tapes!.map((t) => t.id)).toEqual([...before, tape.id]);
      expect(fs.existsSync(path.join(session.engine.site.libraryDir(library), `${tape.id}.tape`))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(session.engine.site.dir, 'site.json'), 'utf8')).devices.find((d: { id: string }) => d.id === library.id).tapes.at(-1)).toEqual({ id: tape.id, capacity: 64 * 2 ** 20 });
      expect((await failure(api.labelTape({ library: library.id, tape: before[0]! }))).code).toBe('bad-request');
      expect((await failure(api.labelTape({ library: 'no-such-library' }))).code).toBe('bad-request');
      expect((await failure(api.labelTape({ library: library.id, tape: '../escape' }))).code).toBe('bad-request');
    });

    it('refuses bad payloads with bad-request before the engine sees them', async () => {
      const jobs = session.engine.jobs().length;
      const cases: Array<[MethodName, unknown]> = [
        ['runBackup', { target: 5 }],
        ['runBackup', { target: '/awkward', streams: 1 }],
        ['runRestore', { backupId: -1, destination: '/tmp/x' }],
        ['catalogList', { backupId: 1, path: '', extra: true }],
        ['getJob', 'one'],
        ['describeSite', { anything: 1 }],
      ];
      for (const [method, input] of cases) {
        const call = (api[method] as (input: unknown) => Promise<unknown>)(input);
        const error = await failure(call);
        expect(error.code, `${method} ${JSON.stringify(input)}`).toBe('bad-request');
        expect(error.message.startsWith(`${method}: `)).toBe(true);
      }
      expect(session.engine.jobs().length).toBe(jobs);
    });

    it('rebuilds the catalog from the tapes with the site open, and goes on working', async () => {
      const before = await api.catalogBackups({ target: '/awkward' });
      const report = await api.rebuildCatalog();
      expect(RebuildReport.parse(report)).toEqual(report);
      expect(report.previousCatalog).not.toBeNull();
      const after = await api.catalogBackups({ target: '/awkward' });
      // (The tapes may name more after a rebuild: a record a crashed mover committed but never reported is found there.)
      const restorable = (list: typeof before) => list.filter((b) => b.restorable).map((b) => [b.id, b.size, b.dataTime, b.completeCopies]);
      expect(restorable(after)).toEqual(restorable(before));
      const backup = after.find((b) => b.restorable);
      const destination = path.join(tempDir(), 'after-rebuild');
      expect((await api.runRestore({ backupId: backup!.id, destination })).job.state).toBe('succeeded');
      expect(describeTreeToSeconds(destination)).toEqual(describeTreeToSeconds(source));
      expect((await api.runBackup({ target: '/awkward', chunkSize: CHUNK })).job.state).toBe('succeeded');
    });

    it("edits the site's config (checked as the file is), creates an empty site, opens another and comes back", async () => {
      const changes: unknown[] = [];
      const off = api.on('site', (change) => changes.push(change));
      try {
        const home = session.engine.site.dir;
        const config = await api.getSiteConfig();
        expect(config).toMatchObject({ format: 'mpbackup-site', name: 'Demo site', demo: true });
        // A bad config: every problem at its place, nothing written.
        const bad = { ...config, devices: [...(config.devices as object[]), { kind: 'switch', id: 'switch-1', name: 'twin', ports: 0 }] };
        const check = await api.checkSiteConfig({ config: bad });
        expect(check.ok).toBe(false);
        expect(check.problems.map((p) => p.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^devices\[\d+\]/)]));
        expect((await failure(api.saveSiteConfig({ config: bad }))).code).toBe('bad-request');
        expect(await api.getSiteConfig()).toEqual(config);
        expect(await api.checkSiteConfig({ config })).toEqual({ ok: true, problems: [] });
        // Saved over a config other than the one in site.json now (changed meanwhile): a conflict, nothing written.
        const stale = await failure(api.saveSiteConfig({ config: { ...config, name: 'Stale' }, base: { ...config, name: 'Someone else' } }));
        expect(stale.code).toBe('conflict');
        expect(stale.message).toMatch(/site\.json was changed since these changes began/);
        expect(await api.getSiteConfig()).toEqual(config);
        // A good one, over the config it began from: written, the site reopened with it, the change pushed.
        const renamed = await api.saveSiteConfig({ config: { ...config, name: 'Renamed site' }, base: config });
        expect(renamed.name).toBe('Renamed site');
        expect((await api.describeSite()).devices.length).toBe(renamed.devices.length);
        await expect.poll(() => changes).toContainEqual({ reason: 'config-saved', dir: home, name: 'Renamed site' });
        // An empty site elsewhere, then back home; a directory that holds no site changes nothing.
        const other = path.join(tempDir(), 'empty-site');
        const created = await api.createSite({ dir: other, name: 'Empty' });
        expect(created).toMatchObject({ name: 'Empty', demo: false, devices: [], links: [] });
        expect((await api.describeSite()).name).toBe('Empty');
        expect((await failure(api.createSite({ dir: other }))).code).toBe('conflict');
        expect((await failure(api.openSite({ dir: path.join(tempDir(), 'nothing-here') }))).code).toBe('bad-request');
        expect((await failure(api.openSite({ dir: 'relative/dir' }))).code).toBe('bad-request');
        expect((await api.describeSite()).name).toBe('Empty');
        const back = await api.openSite({ dir: home });
        expect(back.name).toBe('Renamed site');
        expect(changes).toEqual([
          { reason: 'config-saved', dir: home, name: 'Renamed site' },
          { reason: 'created', dir: other, name: 'Empty' },
          { reason: 'opened', dir: home, name: 'Renamed site' },
        ]);
        // Events of the reopened site still reach the client.
        const events: JobEvent[] = [];
        const offJobs = api.on('job', (e) => events.push(e));
        const result = await api.runBackup({ target: '/awkward', chunkSize: CHUNK });
        await expect.poll(() => events.some((e) => e.type === 'job-finished' && e.jobId === result.job.id)).toBe(true);
        offJobs();
        // Not while a job runs.
        const crawl = (await api.planStreams({ streams: 2 })).streams.map((p) => ({ device: p.mover, kind: 'slow' as const, at: { chunk: 0 }, rate: 64 * 1024 }));
        const { jobId } = await api.startBackup({ target: '/awkward', chunkSize: CHUNK, faults: crawl });
        const busy = await failure(api.saveSiteConfig({ config: { ...config, name: 'Busy' } }));
        expect(busy.code).toBe('conflict');
        expect(busy.message).toMatch(new RegExp(`job ${jobId} is running`));
        await api.cancelJob({ jobId });
        await api.saveSiteConfig({ config });
      } finally {
        off();
      }
    });

    it('offers every method of the contract and nothing else', () => {
      const names = Object.keys(api).filter((k) => k !== 'on');
      expect(names.sort()).toEqual(Object.keys(CONTRACT).sort());
    });
  });
}
