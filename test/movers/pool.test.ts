// Mover processes started ahead of need: the pool keeps its idle processes up, a job takes them
// bound to its devices, replacements start after the job, and closing kills the idle ones.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import { MoverPool } from '../../engine/movers';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';

/** Mover processes this test process has started that are still running. */
function runningMovers(): number {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('movers/process.ts')).length;
}

describe('mover pool', () => {
  const tempDir = useTempDirs('mpb-pool-');

  it('hands out started processes bound to a device, refills when asked, and kills the idle ones on close', async () => {
    const pool = new MoverPool();
    pool.keep(2);
    const first = await pool.take('copy-A', 5000);
    const second = await pool.take('copy-B', 5000);
    try {
      expect(first.result).toEqual({ ok: true });
      expect([first.client.id, second.client.id]).toEqual(['copy-A', 'copy-B']);
      expect(first.client.alive && second.client.alive).toBe(true);
    } finally {
      await first.client.fence();
      await second.client.fence();
    }
    // Replacements start when asked (after a job), not while processes are being taken, and
    // only once the caller has gone on.
    expect(runningMovers()).toBe(0);
    pool.fill();
    expect(runningMovers()).toBe(0);
    await setImmediate();
    expect(runningMovers()).toBe(2);
    pool.close();
    for (let i = 0; i < 100 && runningMovers() > 0; i++) await sleep(50);
    expect(runningMovers()).toBe(0);
  });

  it('an engine with warm movers backs up through them', async () => {
    const engine = await Engine.open(await makeBackupSite(path.join(tempDir(), 'site')), { warmMovers: 2 });
    try {
      const result = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: 65536 });
      expect(result.job.state).toBe('succeeded');
      const source = await sourceStreamSha(engine, '/pictures');
      expect([...(await copyShas(engine, result)).values()]).toEqual([source, source]);
    } finally {
      engine.close();
    }
  });
});
