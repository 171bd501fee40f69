// What the operator does to running jobs: faults injected live (demo sites only) reach the
// movers of the streams that use the device and make them fail over; a cancelled restore ends
// cancelled with no temporary or half-written file left and nothing reserved.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, JobStateError, NotPermittedError } from '../../engine';
import type { JobEvent } from '../../engine/contract';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';
import { writeAwkwardTree } from '../helpers/trees';

const CHUNK = 64 * 1024;

/** Resolves with the first job event `match` accepts. */
function nextEvent(engine: Engine, match: (event: JobEvent) => boolean): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = engine.onJobEvent((event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

/** Every file under `root` (names only), temporary ones included. */
function files(root: string): string[] {
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(root, f)).isFile()) : [];
}

describe('live operator actions', () => {
  const tempDir = useTempDirs('mpb-live-');

  it('a copy device crashed live makes a failover backup go on on the next stream, with every byte stored', async () => {
    const engine = await Engine.open(await makeBackupSite(tempDir()));
    try {
      const [first] = engine.plan({ streams: 2, mover: 'copy-device' }).streams;
      const slow = [{ device: first!.mover, kind: 'slow' as const, at: { chunk: 0 }, rate: 256 * 1024 }];
      const stored = nextEvent(engine, (e) => e.type === 'progress' && e.streams.some((s) => s.chunks >= 2));
      const { jobId } = await engine.startBackup({ target: '/pictures', mode: 'failover', chunkSize: CHUNK, faults: slow });
      await stored;
      const failover = nextEvent(engine, (e) => e.type === 'failover' && e.jobId === jobId);
      const finished = nextEvent(engine, (e) => e.type === 'job-finished' && e.jobId === jobId);
      expect(engine.injectFault({ device: first!.mover, kind: 'crash' }).reached).toEqual([{ jobId, streams: [0] }]);
      expect(await failover).toMatchObject({ from: 0, to: 1 });
      expect(await finished).toMatchObject({ state: 'succeeded' });
      const result = engine.backupResult(jobId);
      expect(new Set(result.fragments.map((f) => f.stream))).toEqual(new Set([0, 1]));
      expect([...(await copyShas(engine, result)).values()]).toEqual([await sourceStreamSha(engine, '/pictures')]);
    } finally {
      engine.close();
    }
  });

  it('a library I/O error injected into a restore is read from the other copy', async () => {
    const dir = await makeBackupSite(tempDir());
    const engine = await Engine.open(dir);
    try {
      const source = path.join(dir, 'storage', 'awkward');
      writeAwkwardTree(source, CHUNK);
      const backup = await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      expect(backup.job.state).toBe('succeeded');
      const destination = path.join(tempDir(), 'out');
      const plan = engine.restorePlan({ backupId: backup.backup!.id, destination });
      const library = plan.tapes[0]!.library;
      const read = nextEvent(engine, (e) => e.type === 'progress');
      const restore = engine.restore({ backupId: backup.backup!.id, destination, faults: [{ device: library, kind: 'slow', at: { chunk: 0 }, rate: 128 * 1024 }] });
      await read;
      const [running] = engine.runningJobs();
      expect(engine.injectFault({ device: library, kind: 'io-error' }).reached).toEqual([{ jobId: running, streams: [0] }]);
      const result = await restore;
      expect(result.job.state).toBe('succeeded');
      expect(engine.jobLog(running!).some((e) => new RegExp(`${library}.*I/O error.*trying another copy`).test(e.message))).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('a cancelled restore ends cancelled, leaves only complete files, and holds nothing', async () => {
    const dir = await makeBackupSite(tempDir());
    const engine = await Engine.open(dir);
    try {
      const backup = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: CHUNK });
      const destination = path.join(tempDir(), 'out');
      const plan = engine.restorePlan({ backupId: backup.backup!.id, destination });
      const slow = plan.tapes.map((t) => ({ device: t.library, kind: 'slow' as const, at: { chunk: 0 }, rate: 256 * 1024 }));
      const read = nextEvent(engine, (e) => e.type === 'progress');
      const restore = engine.restore({ backupId: backup.backup!.id, destination, faults: slow });
      await read;
      const [running] = engine.runningJobs();
      const job = await engine.cancelJob(running!);
      expect(job).toMatchObject({ state: 'cancelled', message: expect.stringMatching(/^cancelled by the operator: \d+ restored/) });
      const result = await restore;
      expect(result.files.failed).toBeGreaterThan(0);
      expect(result.errors.every((e) => e.reason === 'cancelled by the operator')).toBe(true);
      expect(files(destination).filter((f) => /\.mpb-.*\.tmp$/.test(f))).toEqual([]);
      expect(engine.inventory.heldBy(running!)).toEqual([]);
      expect(engine.runningJobs()).toEqual([]);
      await expect(engine.cancelJob(running!)).rejects.toBeInstanceOf(JobStateError);
    } finally {
      engine.close();
    }
  });

  it('faults are injected only into a demo site', async () => {
    const dir = await makeBackupSite(tempDir(), { edit: (config) => void (config.demo = false) });
    const engine = await Engine.open(dir);
    try {
      expect(engine.describe().demo).toBe(false);
      expect(() => engine.injectFault({ device: 'server-A', kind: 'crash' })).toThrow(NotPermittedError);
    } finally {
      engine.close();
    }
  });
});
