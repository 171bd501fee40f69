// The forecast: planned runs in a range with expected durations (the median of the target's
// completed backups, else its size at the measured rate) and conflicts: two runs at the same time
// on a site that can give only two independent streams, a run that needs more streams than the
// site has, a run expected to end after its window closes. And a schedule due a moment ahead
// starts its backup by itself on the real clock.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import type { ScheduleEvent } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';

describe('schedule forecast', () => {
  const tempDir = useTempDirs('mpb-forecast-');

  async function openSite(): Promise<Engine> {
    const engine = await Engine.open(await makeBackupSite(path.join(tempDir(), 'site')));
    for (const s of engine.schedules()) engine.removeSchedule(s.id);
    return engine;
  }

  it('flags two runs at the same time on a site that can give only two independent streams', async () => {
    const engine = await openSite();
    try {
      const done = await engine.backup({ target: '/pictures' });
      const took = Date.parse(done.job.endedAt!) - Date.parse(done.job.startedAt!);
      engine.setState('library-C', 'unavailable');
      expect(engine.feasibility('backup-server')).toBe(2);

      const pictures = engine.createSchedule({ target: '/pictures', when: { kind: 'daily', time: '22:00' }, timeZone: 'UTC' });
      const volume = engine.createSchedule({ target: 'X:', when: { kind: 'daily', time: '22:00' }, timeZone: 'UTC' });
      const movies = engine.createSchedule({ target: '/movies', mode: 'failover', when: { kind: 'daily', time: '10:00' }, timeZone: 'UTC' });
      const wide = engine.createSchedule({ target: '/movies', streams: 3, when: { kind: 'weekly', days: ['sun'], time: '04:00' }, timeZone: 'UTC' });

      const from = new Date(Date.UTC(2099, 0, 1)); // a Thursday
      const runs = engine.forecast(from, new Date(Date.UTC(2099, 0, 2)));
      expect(runs.map((r) => [r.dueAt, r.scheduleId])).toEqual([
        ['2099-01-01T10:00:00.000Z', movies.id],
        ['2099-01-01T22:00:00.000Z', pictures.id],
        ['2099-01-01T22:00:00.000Z', volume.id],
      ]);
      const [m, p, v] = runs;
      expect(m).toMatchObject({ conflict: false, reasons: [], streamsNeeded: 2, streamsAvailable: 2, overlapsWith: [], durationBasis: 'size' });
      expect(p).toMatchObject({ conflict: true, streamsNeeded: 4, streamsAvailable: 2, overlapsWith: [volume.id], durationBasis: 'history', expectedDurationMs: Math.max(1000, took) });
      expect(p!.reasons).toEqual([`2 runs at the same time need 4 independent streams; the site can give 2 with backup-servers now (overlaps schedule ${volume.id})`]);
      expect(v).toMatchObject({ conflict: true, overlapsWith: [pictures.id], durationBasis: 'size' });
      expect(Date.parse(v!.expectedEndAt) - Date.parse(v!.dueAt)).toBe(v!.expectedDurationMs);

      const sunday = engine.forecast(new Date(Date.UTC(2099, 0, 4)), new Date(Date.UTC(2099, 0, 4, 5)));
      expect(sunday.map((r) => [r.scheduleId, r.conflict, r.reasons])).toEqual([[wide.id, true, ['it needs 3 independent streams; the site can give 2 with backup-servers now']]]);

      // With every library available there are three streams: still not four.
      engine.setState('library-C', 'available');
      expect(engine.forecast(from, new Date(Date.UTC(2099, 0, 2)))[1]).toMatchObject({ conflict: true, streamsAvailable: 3 });
      // Moved apart, they do not overlap.
      engine.editSchedule(volume.id, { when: { kind: 'daily', time: '23:00' } });
      expect(engine.forecast(from, new Date(Date.UTC(2099, 0, 2))).map((r) => r.conflict)).toEqual([false, false, false]);
      expect(() => engine.forecast(new Date(Date.UTC(2099, 0, 2)), from)).toThrow(/is not after its start/);
    } finally {
      engine.close();
    }
  });

  it('flags a run expected to end after its window closes', async () => {
    const engine = await openSite();
    try {
      // 2 MiB of demo data at a slow measured rate: a fake history of one long backup.
      const job = engine.catalog.jobs.create({ kind: 'backup', target: '/movies', mode: 'mirrored', streams: 2, createdAt: '2098-01-01T00:00:00.000Z' });
      engine.catalog.jobs.setState(job.id, 'running', '2098-01-01T00:00:00.000Z');
      engine.catalog.jobs.setState(job.id, 'succeeded', '2098-01-01T03:00:00.000Z');
      engine.createSchedule({ target: '/movies', when: { kind: 'daily', time: '22:00' }, windowEnd: '00:30+1', timeZone: 'UTC' });
      const [run] = engine.forecast(new Date(Date.UTC(2099, 0, 1)), new Date(Date.UTC(2099, 0, 2)));
      expect(run).toMatchObject({ durationBasis: 'history', expectedDurationMs: 3 * 3600_000, windowEndAt: '2099-01-02T00:30:00.000Z', conflict: true });
      expect(run!.reasons).toEqual(['expected to end at 2099-01-02T01:00:00.000Z, after its window closes at 2099-01-02T00:30:00.000Z']);
    } finally {
      engine.close();
    }
  });
});

describe('a schedule on the real clock', () => {
  const tempDir = useTempDirs('mpb-realtime-');

  it('due a moment ahead, starts its backup by itself and the job succeeds with its schedule', async () => {
    const engine = await Engine.open(await makeBackupSite(path.join(tempDir(), 'site')));
    try {
      for (const s of engine.schedules()) engine.removeSchedule(s.id);
      const at = new Date(Date.now() + 1500);
      const schedule = engine.createSchedule({ target: '/pictures', when: { kind: 'once', at: at.toISOString() } });
      const fired = new Promise<ScheduleEvent>((resolve) => engine.onScheduleEvent(resolve));
      const finished = new Promise<number>((resolve) => engine.onJobEvent((e) => e.type === 'job-finished' && resolve(e.jobId)));
      const scheduler = engine.startScheduler();
      const event = await fired;
      expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
      expect(event).toMatchObject({ type: 'schedule-fired', scheduleId: schedule.id, dueAt: at.toISOString(), reason: null });
      expect(await finished).toBe(event.jobId);
      await scheduler.settled();
      scheduler.stop();
      expect(engine.jobs()).toEqual([expect.objectContaining({ id: event.jobId, state: 'succeeded', scheduleId: schedule.id, target: '/pictures' })]);
      expect(engine.schedule(schedule.id).nextDueAt).toBeNull();
    } finally {
      engine.close();
    }
  });
});
