// A manager killed while a job holds streams: the next start marks the job interrupted and
// releases everything it held, and the catalog says so.
import { describe, expect, it } from 'vitest';
import { Engine, initSite, SiteInUseError } from '../../engine';
import { useChildren, waitForExit, waitForLine } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

describe('recovery at start-up', () => {
  const tempDir = useTempDirs();
  const start = useChildren();

  it('releases the reservations of a job whose process was killed, and marks it interrupted', async () => {
    const dir = tempDir();
    await initSite(dir, { demo: true, demoSize: 256 * 1024 });
    const child = start('test/helpers/hold-site.ts', [dir, '3']);
    const [, jobText] = await waitForLine(child, /held (\d+)/);
    const jobId = Number(jobText);

    // While the holder lives, the site is locked.
    await expect(Engine.open(dir)).rejects.toThrow(new RegExp(`site in use by process ${child.pid}`));
    await expect(Engine.open(dir)).rejects.toBeInstanceOf(SiteInUseError);

    child.kill('SIGKILL');
    await waitForExit(child);

    const engine = await Engine.open(dir);
    try {
      expect(engine.catalog.jobs.get(jobId)?.state).toBe('interrupted');
      expect(engine.inventory.holders()).toEqual([]);
      expect(engine.inventory.zones()).toEqual([]);
      expect(engine.describe().devices.every((d) => d.state === 'available' && d.holder === null)).toBe(true);
      const messages = engine.catalog.events.list({ limit: 10 }).map((e) => e.message);
      expect(messages.some((m) => m.includes(`job ${jobId} was interrupted`))).toBe(true);
      expect(messages.some((m) => m.includes(`released what job ${jobId} still held`))).toBe(true);
      expect(engine.feasibility('backup-server')).toBe(3);
    } finally {
      engine.close();
    }
  });

  it('keeps operator states across a restart', async () => {
    const dir = tempDir();
    await initSite(dir, { demo: true, demoSize: 256 * 1024 });
    let engine = await Engine.open(dir);
    engine.setState('library-B', 'unavailable');
    engine.setState('A00003', 'unavailable');
    engine.close();

    engine = await Engine.open(dir);
    try {
      expect(engine.inventory.status('library-B').state).toBe('unavailable');
      expect(engine.inventory.status('A00003').state).toBe('unavailable');
      expect(engine.feasibility('backup-server')).toBe(2);
      const plan = engine.plan({ streams: 3 });
      expect(plan.feasible).toBe(false);
      expect(plan.reason).toContain('library-B');
    } finally {
      engine.close();
    }
  });
});

describe('spreading work', () => {
  const tempDir = useTempDirs();

  it('among equally good streams, a new job takes the devices recent jobs used least', async () => {
    const dir = tempDir();
    await initSite(dir, { demo: true, demoSize: 256 * 1024 });
    const engine = await Engine.open(dir);
    try {
      const run = () => {
        const job = engine.catalog.jobs.create({ kind: 'backup', target: 'X:', mode: 'mirrored', streams: 2, createdAt: engine.now() });
        const planned = engine.plan({ streams: 2 });
        const streams = engine.reserve(job.id, { streams: 2 });
        expect(streams).toEqual(planned.streams);
        engine.release(job.id);
        return streams.map((s) => s.mover);
      };
      const first = run();
      const second = run();
      const third = run();
      // Three servers, two per job: each job uses the one the previous jobs left idle.
      expect(second).toContain(['server-A', 'server-B', 'server-C'].find((s) => !first.includes(s)));
      const used = [...first, ...second, ...third];
      for (const server of ['server-A', 'server-B', 'server-C']) expect(used.filter((s) => s === server)).toHaveLength(2);
    } finally {
      engine.close();
    }
  });
});
