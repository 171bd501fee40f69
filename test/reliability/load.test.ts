// Part 4 of the reliability suite: load. 50 backups submitted at once on the demo site (startBackup
// and runBackup through a site session's contract and straight on the engine, mixed modes,
// targets and stream counts), then 50 more submitted at random short intervals so jobs start
// while others run and release. Every change of a device or tape is watched: no device is ever
// given to a job while another job holds it, and the inventory agrees with the events at every
// change. Every job ends: succeeded, or failed at once because it could not get its streams (a
// backup never runs with fewer than two, by design). Nothing stays reserved, and every succeeded
// backup's copies read back identical to the source. A third wave mixes restores and
// verifications of those backups in (they need one library each, so several run at once beside a
// backup): each ends, restores only files identical to the source, and verifications find no
// damage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteSession, WARM_MOVERS, type Engine } from '../../engine';
import { remoteApi, type BackupApi, type BackupMode, type JobEvent, type ResourceStatus } from '../../engine/contract';
import { inProcessWire, sessionService } from '../../engine/service';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { describeTree, type TreeEntry } from '../helpers/trees';
import { announce, Random, report, SEED, until } from './common';

const JOBS = 50;
const CHUNK = 64 * 1024;
const TARGETS = ['/pictures', '/movies', 'X:'];
const NOT_ENOUGH_STREAMS = /^not started: (only \d+ independent streams? \(\d+ needed\)|no stream is possible \(\d+ needed\))/;

describe(`load: ${JOBS} backups at once, and ${JOBS} more in quick succession`, () => {
  const random = new Random(SEED ^ 0x10ad);
  let root: string;
  let session: SiteSession;
  let engine: Engine;
  let api: BackupApi;
  const sources = new Map<string, string>();
  /** Who holds each device or tape now, as the device events tell it. */
  const holders = new Map<string, number>();
  const violations: string[] = [];
  const finished = new Map<number, JobEvent & { type: 'job-finished' }>();
  const counts = { jobs: 0, succeeded: 0, refused: 0, deviceEvents: 0, copiesRead: 0, maxRunning: 0, restores: 0, verifications: 0 };
  /** Succeeded backups of directory targets, to restore and verify in the third wave. */
  const done: Array<{ backupId: number; target: string }> = [];
  const trees = new Map<string, Map<string, TreeEntry>>();

  beforeAll(async () => {
    announce('load');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-load-'));
    const dir = await makeBackupSite(path.join(root, 'site'), { size: 2 * 2 ** 20 });
    session = await SiteSession.open(dir, { warmMovers: WARM_MOVERS });
    engine = session.engine;
    api = remoteApi(inProcessWire(sessionService(session)));
    for (const target of TARGETS) sources.set(target, await sourceStreamSha(engine, target));
    for (const target of ['/pictures', '/movies']) trees.set(target, describeTree(path.join(dir, 'storage', target)));
    engine.onDeviceEvent((status: ResourceStatus) => {
      counts.deviceEvents += 1;
      const now = holders.get(status.id);
      if (status.state === 'in-use') {
        if (!status.holder) violations.push(`${status.id} in use without a holder`);
        else if (now !== undefined && now !== status.holder.jobId) violations.push(`${status.id} given to job ${status.holder.jobId} while job ${now} holds it`);
        else holders.set(status.id, status.holder.jobId);
      } else {
        holders.delete(status.id);
      }
      // The inventory agrees with the events, at every change.
      const live = engine.inventory.status(status.id);
      if (live.state !== status.state || live.holder?.jobId !== status.holder?.jobId) violations.push(`${status.id}: event says ${status.state} but the inventory ${live.state}`);
      counts.maxRunning = Math.max(counts.maxRunning, engine.runningJobs().length);
    });
    engine.onJobEvent((event) => {
      if (event.type === 'job-finished') finished.set(event.jobId, event);
    });
  });

  afterAll(() => {
    session?.close();
    fs.rmSync(root, { recursive: true, force: true });
    process.stdout.write(
      `reliability: load: ${counts.jobs} jobs (${counts.restores} restores, ${counts.verifications} verifications), ${counts.succeeded} backups succeeded, ${counts.refused} refused for want of streams; ` +
        `${counts.deviceEvents} device changes watched, at most ${counts.maxRunning} jobs running at once; ${counts.copiesRead} copies read back\n`,
    );
    report('load', { jobs: counts.jobs, 'data lost': 0 });
  });

  /** Submits one backup, one of four ways; resolves with its job id once it is recorded. */
  function submit(): Promise<number> {
    const request = {
      target: random.pick(TARGETS),
      mode: random.pick<BackupMode>(['mirrored', 'failover']),
      streams: random.chance(0.2) ? 3 : 2,
      chunkSize: CHUNK,
    };
    counts.jobs += 1;
    switch (random.int(0, 3)) {
      case 0:
        return api.startBackup(request).then((started) => started.jobId);
      case 1:
        return engine.startBackup(request).then((started) => started.jobId);
      case 2: {
        // runBackup answers at the end: the job's id comes with the first event about it.
        const seen = new Set(finished.keys());
        const before = engine.jobs({ limit: 1 })[0]?.id ?? 0;
        const result = api.runBackup(request);
        return until(() => engine.jobs({ limit: 1 })[0]!.id > before || finished.size > seen.size, 'runBackup to record its job').then(() => result.then((r) => r.job.id));
      }
      default:
        return engine.backup(request).then((r) => r.job.id);
    }
  }

  /** Which job kind the third wave submits next, and how. */
  async function submitMixed(): Promise<{ id: number; kind: 'backup' | 'restore' | 'verify'; to?: string; target?: string }> {
    const roll = random.next();
    if (roll < 0.4 || done.length === 0) return { id: await submit(), kind: 'backup' };
    const { backupId, target } = random.pick(done);
    counts.jobs += 1;
    if (roll < 0.75) {
      counts.restores += 1;
      const to = path.join(root, `restore-${counts.jobs}`);
      const { jobId } = random.chance(0.5) ? await api.startRestore({ backupId, destination: to }) : await engine.startRestore({ backupId, destination: to });
      return { id: jobId, kind: 'restore', to, target };
    }
    counts.verifications += 1;
    const { jobId } = await api.startVerify({ backupId });
    return { id: jobId, kind: 'verify' };
  }

  /** Every job ends as a backup may; nothing stays reserved; succeeded backups read back identical. */
  async function checkWave(ids: number[]): Promise<void> {
    await until(() => ids.every((id) => finished.has(id)), `all ${ids.length} jobs to end`, 300_000, 20);
    await until(() => engine.runningJobs().length === 0, 'no job to run', 60_000);
    for (const id of ids) {
      const job = engine.catalog.jobs.get(id)!;
      if (job.kind !== 'backup') continue;
      if (job.state === 'succeeded') {
        counts.succeeded += 1;
        const result = engine.backupResult(id);
        const shas = await copyShas(engine, result);
        expect(shas.size).toBe(result.backup!.mode === 'mirrored' ? result.streams.length : 1);
        for (const sha of shas.values()) expect(sha, `job ${id} (${job.target})`).toBe(sources.get(job.target));
        counts.copiesRead += shas.size;
        if (trees.has(job.target)) done.push({ backupId: result.backup!.id, target: job.target });
      } else {
        expect(job.state, `job ${id}: ${job.message ?? ''}`).toBe('failed');
        expect(job.message, `job ${id}`).toMatch(NOT_ENOUGH_STREAMS);
        expect(engine.backupResult(id).backup, `job ${id} failed before anything started, so it has no backup`).toBeNull();
        counts.refused += 1;
      }
    }
    expect(engine.inventory.holders()).toEqual([]);
    expect(engine.inventory.zones()).toEqual([]);
    expect(engine.describe().devices.flatMap((d) => [d, ...(d.tapes ?? [])]).filter((x) => x.state !== 'available' || x.holder !== null)).toEqual([]);
    expect(holders).toEqual(new Map());
    expect(violations).toEqual([]);
  }

  it(`${JOBS} backups submitted at once: no device has two holders, every job ends, nothing leaks`, async () => {
    const ids = await Promise.all(Array.from({ length: JOBS }, () => submit()));
    expect(new Set(ids).size).toBe(JOBS);
    await checkWave(ids);
    // At least one got its streams; the rest could not have them while it ran.
    expect(ids.filter((id) => engine.catalog.jobs.get(id)!.state === 'succeeded').length).toBeGreaterThan(0);
  });

  it(`${JOBS} more in quick succession: jobs start as others release, and the same holds`, async () => {
    const pending: Array<Promise<number>> = [];
    for (let i = 0; i < JOBS; i++) {
      pending.push(submit());
      await sleep(random.int(0, 120));
    }
    const ids = await Promise.all(pending);
    await checkWave(ids);
    expect(ids.filter((id) => engine.catalog.jobs.get(id)!.state === 'succeeded').length).toBeGreaterThan(1);
  });

  it(`${JOBS} backups, restores and verifications in quick succession: the same holds, restores bring back only identical files`, async () => {
    const pending: Array<ReturnType<typeof submitMixed>> = [];
    for (let i = 0; i < JOBS; i++) {
      pending.push(submitMixed());
      await sleep(random.int(0, 60));
    }
    const jobs = await Promise.all(pending);
    await checkWave(jobs.map((j) => j.id));
    for (const { id, kind, to, target } of jobs) {
      const job = engine.catalog.jobs.get(id)!;
      if (kind === 'restore') {
        // Succeeded: all of it; degraded: what could be read while other jobs held the libraries; failed: nothing could be.
        expect(['succeeded', 'succeeded-degraded', 'failed'], `restore ${id}: ${job.message ?? ''}`).toContain(job.state);
        const source = trees.get(target!)!;
        const restored = fs.existsSync(to!) ? describeTree(to!) : new Map<string, TreeEntry>();
        if (job.state === 'succeeded') expect(restored, `restore ${id}`).toEqual(source);
        for (const [rel, entry] of restored) {
          expect(source.get(rel)?.type, `restore ${id}: ${rel}`).toBe(entry.type);
          if (entry.type !== 'directory') expect(entry.content, `restore ${id}: ${rel} differs from the source`).toBe(source.get(rel)!.content);
        }
      } else if (kind === 'verify') {
        // Degraded: a copy could not be read while other jobs held its library; never a damaged one.
        expect(['succeeded', 'succeeded-degraded', 'failed'], `verification ${id}: ${job.message ?? ''}`).toContain(job.state);
        if (job.state !== 'failed') expect(engine.verifyResult(id).copies.filter((c) => c.status === 'damaged'), `verification ${id}`).toEqual([]);
      }
    }
  });
});
