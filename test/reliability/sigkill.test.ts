// Part 1 of the reliability suite: crashes at random moments. A manager process (job-child.ts)
// runs a backup (mirrored or failover, several targets, some with a mover failing half way) or a
// restore (a whole backup or a subset) and is killed with SIGKILL after a random delay or at a
// random progress point. After each kill, once its movers are gone: the catalog opens, no job is
// left running (every unfinished one is `interrupted`), nothing is reserved, every backup the
// catalog calls complete reads back byte for byte as its source was backed up, and a restore's
// destination holds only complete files identical to the source (no temporary name is left after
// the next open). Then mover processes (not the manager) are killed at random moments of jobs
// run in this process: each job ends as its mode allows, holds nothing, and every complete copy
// (and every restored file) is identical to its source.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import type { BackupMode, JobEvent, JobState } from '../../engine/contract';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { useChildren, waitForExit } from '../helpers/child';
import { kill, moversOf, waitUntilGone } from '../helpers/processes';
import { describeTree, writeAwkwardTree, type TreeEntry } from '../helpers/trees';
import { useTempDirs } from '../helpers/temp';
import { announce, Random, report, SEED, TRIALS, until } from './common';

const CHUNK = 64 * 1024;
/** Backup targets: many small files, a few large ones, a volume image, the awkward tree. */
const TARGETS = ['/pictures', '/movies', 'X:', '/awkward'];
const DIRECTORY_TARGETS = ['/pictures', '/movies', '/awkward'];
const UNFINISHED: JobState[] = ['queued', 'reserving', 'running'];
const TEMPORARY = /^\..*\.mpb-.*\.tmp$/;
const MOVER_KILLS = Math.max(6, Math.round(TRIALS / 5));

interface Problem {
  trial: string;
  what: string;
}

describe('SIGKILL at random moments', () => {
  const start = useChildren();
  const tempDir = useTempDirs('mpb-rel-kill-');
  const random = new Random(SEED);
  let root: string;
  let dir: string;
  /** Stream SHA-256 of each target as its source is (and stays) now. */
  const streamSha = new Map<string, string>();
  /** The source tree of each directory target. */
  const trees = new Map<string, Map<string, TreeEntry>>();
  /** Complete backups to restore from: id, target. */
  const restorable: Array<{ id: number; target: string }> = [];
  /** Backups already read back and found identical (checked once each). */
  const verified = new Set<number>();
  const problems: Problem[] = [];
  const counts = { kills: 0, moverKills: 0, backupsChecked: 0, restoresChecked: 0, temporariesCleaned: 0, moverOutcomes: new Map<string, number>(), phases: new Map<string, number>() };

  beforeAll(async () => {
    announce('sigkill');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-kill-site-'));
    dir = await makeBackupSite(path.join(root, 'site'), { size: 6 * 2 ** 20 });
    writeAwkwardTree(path.join(dir, 'storage', 'awkward'), CHUNK);
    const engine = await Engine.open(dir);
    try {
      for (const target of TARGETS) streamSha.set(target, await sourceStreamSha(engine, target));
      for (const target of DIRECTORY_TARGETS) trees.set(target, describeTree(path.join(dir, 'storage', target)));
      for (const [target, mode] of [
        ['/pictures', 'mirrored'],
        ['/movies', 'failover'],
        ['/awkward', 'failover'],
        ['/awkward', 'mirrored'],
      ] as const) {
        const result = await engine.backup({ target, mode, chunkSize: CHUNK });
        expect(result.job.state).toBe('succeeded');
        restorable.push({ id: result.backup!.id, target });
      }
    } finally {
      engine.close();
    }
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    const phases = [...counts.phases].map(([k, n]) => `${k} ${n}`).join(', ');
    const outcomes = [...counts.moverOutcomes].map(([k, n]) => `${k} ${n}`).join(', ');
    process.stdout.write(
      `reliability: sigkill: kills landed ${phases}; ${counts.backupsChecked} complete backups read back, ${counts.restoresChecked} restore destinations checked, ` +
        `${counts.temporariesCleaned} temporary files found after a kill and removed by the next open; after a mover kill: ${outcomes}\n`,
    );
    report('sigkill', { 'sigkill trials': counts.kills, 'mover kills': counts.moverKills, 'data lost': problems.filter((p) => /differs|lost/.test(p.what)).length });
  });

  /** Every check that must hold of the site after a crash; problems are collected with the trial's name. */
  async function checkSite(trial: string, destination?: { dir: string; target: string }): Promise<void> {
    const problem = (what: string) => problems.push({ trial, what });
    if (destination) counts.temporariesCleaned += [...describeTree(destination.dir).keys()].filter((rel) => TEMPORARY.test(path.posix.basename(rel))).length;
    const engine = await Engine.open(dir);
    try {
      const unfinished = engine.jobs({ limit: 10_000 }).filter((j) => UNFINISHED.includes(j.state));
      if (unfinished.length > 0) problem(`jobs left unfinished: ${unfinished.map((j) => `${j.id} ${j.state}`).join(', ')}`);
      if (engine.inventory.holders().length > 0) problem(`still reserved for jobs ${engine.inventory.holders().join(', ')}`);
      if (engine.inventory.zones().length > 0) problem(`zones left: ${engine.inventory.zones().map((z) => z.name).join(', ')}`);
      const held = engine.describe().devices.flatMap((d) => [d, ...(d.tapes ?? [])]).filter((x) => x.state === 'in-use' || x.holder !== null);
      if (held.length > 0) problem(`devices in use: ${held.map((x) => x.id).join(', ')}`);
      for (const backup of engine.catalog.backups.list({ limit: 10_000 })) {
        if (!['complete', 'failed', 'interrupted'].includes(backup.state)) problem(`backup ${backup.id} is ${backup.state}`);
        if (backup.state !== 'complete') {
          if (verified.has(backup.id)) problem(`backup ${backup.id} was complete and is now ${backup.state}: data lost`);
          continue;
        }
        if (verified.has(backup.id)) continue;
        const shas = await copyShas(engine, engine.backupResult(backup.jobId));
        if (shas.size === 0) problem(`complete backup ${backup.id} has no complete copy`);
        for (const [copy, sha] of shas) if (sha !== streamSha.get(backup.target)) problem(`backup ${backup.id} copy ${copy} differs from ${backup.target}`);
        verified.add(backup.id);
        counts.backupsChecked += 1;
      }
      if (destination) {
        checkDestination(destination.dir, destination.target, problem);
        counts.restoresChecked += 1;
      }
    } finally {
      engine.close();
    }
  }

  /** A destination holds only complete entries identical to the source, and no temporary file. */
  function checkDestination(to: string, target: string, problem: (what: string) => void): void {
    const source = trees.get(target)!;
    for (const [rel, entry] of describeTree(to)) {
      const name = path.posix.basename(rel);
      if (TEMPORARY.test(name)) {
        problem(`temporary file ${rel} left in the destination after the next open`);
        continue;
      }
      const original = source.get(rel);
      if (!original) problem(`${rel} is in the destination but not in ${target}`);
      else if (original.type !== entry.type || (entry.type !== 'directory' && original.content !== entry.content)) problem(`${rel} differs from the source: a half-written file under its final name`);
    }
  }

  /** The paths of a random subset of a directory target: files, directories and links. */
  function subset(target: string): string[] {
    const entries = [...trees.get(target)!.keys()];
    return random.sample(entries, random.int(1, 4)).filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
  }

  it(`leaves a consistent site after each of ${TRIALS} kills of the manager`, async () => {
    /** How long a job of a kind (restore or backup of a target) runs, as learnt from kills that came too late (ms). */
    const typical = new Map<string, number>();
    // A trial whose manager had exited before the kill is checked too, but only kills count towards TRIALS.
    for (let trial = 0; counts.kills < TRIALS; trial++) {
      expect(trial, 'too many managers exited before they could be killed').toBeLessThan(3 * TRIALS);
      const restore = random.chance(0.35);
      let args: string[];
      let name: string;
      let destination: { dir: string; target: string } | undefined;
      if (restore) {
        const backup = random.pick(restorable);
        const paths = random.chance(0.5) ? subset(backup.target) : [];
        const to = path.join(tempDir(), 'restored');
        destination = { dir: to, target: backup.target };
        args = ['restore', dir, String(backup.id), to, ...paths];
        name = `trial ${trial}: restore of backup ${backup.id} ${paths.length ? `(${paths.length} paths)` : '(whole)'}`;
      } else {
        const mode: BackupMode = random.pick(['mirrored', 'failover']);
        const target = random.pick(TARGETS);
        // Some backups also lose a device half way, so kills land during failovers and degraded runs too.
        const faults = random.chance(0.3) ? [mode === 'failover' ? `copy-${random.pick(['A', 'B', 'C'])}:crash@chunk=${random.int(1, 8)}` : `server-${random.pick(['A', 'B', 'C'])}:io-error@chunk=${random.int(1, 8)}`] : [];
        args = ['backup', dir, target, mode, String(CHUNK), ...faults];
        name = `trial ${trial}: ${mode} backup of ${target}${faults.length ? ` with ${faults[0]}` : ''}`;
      }
      const child = start('test/helpers/job-child.ts', args);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      // Kill after a random delay once the job exists, or when its progress reaches a random chunk.
      const byProgress = random.chance(0.4);
      const chunk = random.int(1, 16);
      const kind = restore ? `restore of ${args[2]}` : `backup of ${args[2]}`;
      const delay = random.next() * (typical.get(kind) ?? 400);
      await until(() => /job \d+ /.test(out) || child.exitCode !== null, `${name}: the job to start`, 60_000);
      const since = Date.now();
      // A restore may instead be killed the moment a file is being written (a temporary name shows in its destination).
      const whileWriting = destination !== undefined && random.chance(0.5);
      const writing = () => fs.existsSync(destination!.dir) && fs.readdirSync(destination!.dir, { recursive: true }).some((rel) => TEMPORARY.test(path.basename(String(rel))));
      await until(
        () =>
          child.exitCode !== null ||
          (whileWriting ? writing() : byProgress ? Number(/chunks (\d+)\n(?![\s\S]*chunks)/.exec(out)?.[1] ?? 0) >= chunk : Date.now() - since >= delay),
        `${name}: the moment to kill`,
        60_000,
        2,
      );
      const movers = child.pid === undefined ? [] : moversOf(child.pid);
      const elapsed = Date.now() - since;
      // Some kills take the movers down at the same instant (as a power loss would): nothing is left to clean up but the next open.
      const everything = random.chance(0.3);
      const alive = child.exitCode === null && child.signalCode === null;
      child.kill('SIGKILL');
      if (everything) movers.forEach(kill);
      await waitForExit(child);
      if (alive) counts.kills += 1;
      const phase = !alive ? 'never (it had exited)' : /finished/.test(out) ? 'after the end' : /running/.test(out) ? 'while running' : 'while starting';
      // Kills after the end teach how long such a job takes, so later delays land inside it.
      if (phase === 'after the end' || !alive) typical.set(kind, Math.max(50, Math.min(typical.get(kind) ?? Infinity, elapsed * 0.8)));
      counts.phases.set(phase, (counts.phases.get(phase) ?? 0) + 1);
      // A mover notices its manager is gone and stops; only then may the site be opened again.
      await waitUntilGone(movers);
      await checkSite(`${name}, killed${everything ? ' with its movers' : ''} ${whileWriting ? 'while writing a file' : byProgress ? `at chunk ${chunk}` : `after ${Math.round(delay)} ms`} (${phase})`, destination);
    }

    // The site still works after all that: a backup and a restore end well and read back.
    const engine = await Engine.open(dir);
    try {
      const result = await engine.backup({ target: '/awkward', mode: 'failover', chunkSize: CHUNK });
      expect(result.job.state).toBe('succeeded');
      expect([...(await copyShas(engine, result)).values()]).toEqual([streamSha.get('/awkward')]);
      const to = path.join(tempDir(), 'final');
      expect((await engine.restore({ backupId: result.backup!.id, destination: to })).job.state).toBe('succeeded');
      expect(describeTree(to)).toEqual(trees.get('/awkward'));
    } finally {
      engine.close();
    }
    expect(problems).toEqual([]);
    expect(counts.phases.get('while running') ?? 0).toBeGreaterThan(0);
  });

  it(`ends every job consistently when one of its mover processes is killed (${MOVER_KILLS} kills)`, async () => {
    const engine = await Engine.open(dir);
    try {
      for (let trial = 0; trial < MOVER_KILLS; trial++) {
        const restore = trial % 3 === 2;
        const mode: BackupMode = random.pick(['mirrored', 'failover']);
        const target = random.pick(TARGETS);
        const events: JobEvent[] = [];
        const off = engine.onJobEvent((e) => events.push(e));
        const backupFrom = random.pick(restorable);
        const to = path.join(tempDir(), 'restored');
        const { jobId } = restore
          ? await engine.startRestore({ backupId: backupFrom.id, destination: to, faults: ['A', 'B', 'C'].map((l) => ({ device: `library-${l}`, kind: 'slow' as const, at: { chunk: 0 }, rate: 2 * 2 ** 20 })) })
          : await engine.startBackup({ target, mode, chunkSize: CHUNK, faults: [{ device: 'storage-1', kind: 'slow', at: { chunk: 0 }, rate: 2 * 2 ** 20 }] });
        const name = restore ? `mover kill ${trial}: restore of backup ${backupFrom.id}` : `mover kill ${trial}: ${mode} backup of ${target}`;
        const ended = () => events.some((e) => e.type === 'job-finished' && e.jobId === jobId);
        // Kill one of the job's movers once it has moved a random number of chunks.
        const chunk = random.int(0, 6);
        await until(() => ended() || (events.some((e) => e.type === 'progress' && e.jobId === jobId && e.streams.some((s) => s.chunks >= chunk)) && moversOf(process.pid).length > 0), `${name}: chunk ${chunk}`, 60_000, 2);
        const movers = moversOf(process.pid);
        const victim = movers.length > 0 && !ended() ? random.pick(movers) : null;
        if (victim !== null && kill(victim)) counts.moverKills += 1;
        await until(ended, `${name}: the job to end`, 120_000);
        off();
        const job = engine.catalog.jobs.get(jobId)!;
        const outcome = `${restore ? 'restore' : mode} ${job.state}`;
        counts.moverOutcomes.set(outcome, (counts.moverOutcomes.get(outcome) ?? 0) + 1);
        const trialName = `${name}, mover ${victim ?? '(none, the job had ended)'} killed at chunk ${chunk}`;
        const problem = (what: string) => problems.push({ trial: trialName, what });
        if (engine.inventory.holders().length > 0) problem(`still reserved after the end: jobs ${engine.inventory.holders().join(', ')}`);
        if (restore) {
          if (!['succeeded', 'failed'].includes(job.state)) problem(`restore ended ${job.state}`);
          checkDestination(to, backupFrom.target, problem);
          if (job.state === 'succeeded' && JSON.stringify([...describeTree(to)]) !== JSON.stringify([...trees.get(backupFrom.target)!])) problem('a succeeded restore differs from its source');
        } else {
          const result = engine.backupResult(jobId);
          // One mover lost leaves another stream: mirrored keeps a copy, failover goes on on the next stream.
          const allowed: JobState[] = mode === 'mirrored' ? ['succeeded', 'succeeded-degraded'] : ['succeeded'];
          if (!allowed.includes(job.state)) problem(`${mode} backup ended ${job.state} (${job.message ?? ''}) after one mover was killed`);
          const complete = result.backup?.copies.filter((c) => c.state === 'complete').length ?? 0;
          if ((result.backup?.state === 'complete') !== job.state.startsWith('succeeded')) problem(`job ${job.state} but backup ${result.backup?.state}`);
          if (job.state === 'succeeded-degraded' && (complete === 0 || !result.streams.some((s) => s.status === 'failed'))) problem('degraded without a failed stream and a complete copy');
          for (const [copy, sha] of await copyShas(engine, result)) if (sha !== streamSha.get(target)) problem(`copy ${copy} differs from ${target}`);
          counts.backupsChecked += 1;
        }
        // The movers of this job stop before the next trial picks one to kill.
        await waitUntilGone(moversOf(process.pid));
      }
    } finally {
      engine.close();
    }
    expect(problems).toEqual([]);
    expect(counts.moverKills).toBeGreaterThan(MOVER_KILLS / 2);
  });

  it('the site still opens cleanly and every backup it calls complete is identical to its source', async () => {
    await checkSite('at the end');
    expect(problems).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'work'))).toBe(false);
  });
});
