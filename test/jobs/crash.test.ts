// Crash consistency: the whole manager is killed (SIGKILL) at random moments of mirrored and
// failover backups. After each kill the site reopens, no job is left running, nothing is left
// reserved, and every backup the catalog calls complete reads back from its tapes byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import { useChildren, waitForExit } from '../helpers/child';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';

const RUNS = 20;
const CHUNK = 64 * 1024;
const TARGETS = ['/movies', '/pictures'];

/** xorshift32, so every CI run kills at the same moments. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('killing the manager at random moments', () => {
  const start = useChildren();
  let dir: string;
  const sources = new Map<string, string>();

  beforeAll(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-crash-')), 'site');
    await makeBackupSite(dir, { size: 8 * 2 ** 20 });
    const engine = await Engine.open(dir);
    for (const target of TARGETS) sources.set(target, await sourceStreamSha(engine, target));
    engine.close();
  });

  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it(`leaves a consistent site after each of ${RUNS} kills`, async () => {
    const next = random(0xc0ffee);
    const seen = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const mode = run % 2 === 0 ? 'mirrored' : 'failover';
      const target = TARGETS[run % TARGETS.length]!;
      // Some runs also lose a mover half way, so kills land during failovers too.
      const faults = run % 4 === 1 ? ['copy-A:crash@chunk=8'] : run % 4 === 2 ? ['server-B:crash@chunk=5'] : [];
      const child = start('test/helpers/run-backup.ts', [dir, target, mode, String(CHUNK), ...faults]);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      // Wait until the job exists, then kill after a random part of a typical run.
      while (!/job \d+ (reserving|running)/.test(out) && child.exitCode === null) await sleep(5);
      await sleep(next() * 1500);
      child.kill('SIGKILL');
      await waitForExit(child);
      seen.add(/finished/.test(out) ? 'after the end' : /running/.test(out) ? 'while running' : 'while reserving');
      // Movers notice their manager is gone and exit before writing again.
      await sleep(300);

      const engine = await Engine.open(dir);
      try {
        expect(engine.jobs({ limit: 1000 }).filter((j) => ['queued', 'reserving', 'running'].includes(j.state))).toEqual([]);
        const view = engine.describe();
        expect(view.devices.filter((d) => d.state === 'in-use' || d.tapes?.some((t) => t.state === 'in-use'))).toEqual([]);
        expect(view.zones).toEqual([]);
        for (const backup of engine.catalog.backups.list({ limit: 1000 })) {
          expect(['complete', 'failed', 'interrupted']).toContain(backup.state);
          if (backup.state !== 'complete') continue;
          const shas = await copyShas(engine, engine.backupResult(backup.jobId));
          expect(shas.size).toBeGreaterThan(0);
          for (const sha of shas.values()) expect(sha).toBe(sources.get(backup.target));
        }
      } finally {
        engine.close();
      }
    }
    // The kills landed in different phases of the job: some backups were cut short, some ended.
    expect(seen.has('while running')).toBe(true);
    const states = await Engine.open(dir).then((engine) => {
      const list = engine.catalog.backups.list({ limit: 1000 }).map((b) => b.state);
      engine.close();
      return list;
    });
    expect(states).toContain('interrupted');
    expect(states).toContain('complete');

    // The site still works: a full backup succeeds and reads back.
    const engine = await Engine.open(dir);
    try {
      const result = await engine.backup({ target: '/pictures', mode: 'failover', chunkSize: CHUNK });
      expect(result.job.state).toBe('succeeded');
      expect([...(await copyShas(engine, result)).values()]).toEqual([sources.get('/pictures')]);
    } finally {
      engine.close();
    }
  }, 300_000);
});
