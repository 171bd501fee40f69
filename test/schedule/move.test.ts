// Dragging runs on the calendar: one planned run of a recurring schedule moved to another time
// (its regular time no longer falls due, the new one does, in the forecast and for the runner,
// across a restart), moved again or back; every run moved at once (daily, weekly across days,
// monthly, one-time); and what cannot be moved, refused with the reason, changing nothing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import type { ScheduleInputInput } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { FakeClock } from '../helpers/fake-clock';
import { useTempDirs } from '../helpers/temp';

const OPTIONS = { heartbeatMs: 6 * 3600_000 };

describe('moving scheduled runs', () => {
  const tempDir = useTempDirs('mpb-move-');

  async function openSite(clock: FakeClock, dir?: string): Promise<{ dir: string; engine: Engine }> {
    const site = dir ?? (await makeBackupSite(path.join(tempDir(), 'site')));
    const engine = await Engine.open(site, { clock });
    if (dir === undefined) for (const s of engine.schedules()) engine.removeSchedule(s.id);
    return { dir: site, engine };
  }

  const schedule = (when: ScheduleInputInput['when'], more: Partial<ScheduleInputInput> = {}): ScheduleInputInput => ({ target: '/pictures', when, timeZone: 'UTC', chunkSize: 65536, ...more });
  const due = (engine: Engine, id: number, from: string, to: string) =>
    engine.forecast(new Date(from), new Date(to)).filter((f) => f.scheduleId === id).map((f) => f.dueAt);

  it('one run moves: its regular time no longer falls due, the new time does, for the runner too and after a restart', async () => {
    const clock = new FakeClock('2026-12-01T08:00:00Z');
    const { dir, engine } = await openSite(clock);
    let id: number;
    try {
      id = engine.createSchedule(schedule({ kind: 'daily', time: '22:00' })).id;
      const moved = engine.moveScheduleRun({ id, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T19:30' });
      expect(moved.moves).toEqual([{ dueAt: '2026-12-02T22:00:00.000Z', to: '2026-12-02T19:30:00.000Z' }]);
      expect(due(engine, id, '2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z')).toEqual(['2026-12-01T22:00:00.000Z', '2026-12-02T19:30:00.000Z', '2026-12-03T22:00:00.000Z']);
      // Moved again (by its new time), then another run moved back onto nothing new.
      engine.moveScheduleRun({ id, dueAt: '2026-12-02T19:30:00Z', to: '2026-12-02T20:00:00Z' });
      expect(engine.schedule(id).moves).toEqual([{ dueAt: '2026-12-02T22:00:00.000Z', to: '2026-12-02T20:00:00.000Z' }]);
    } finally {
      engine.close();
    }
    // The moves are in the catalog: after a restart the runner starts the moved run at its new time.
    const again = await openSite(clock, dir);
    try {
      const scheduler = again.engine.startScheduler(OPTIONS);
      for (const at of ['2026-12-01T22:01:00Z', '2026-12-02T20:01:00Z', '2026-12-02T23:00:00Z']) {
        await clock.advanceTo(at);
        await scheduler.settled();
      }
      scheduler.stop();
      const runs = again.engine.scheduleRuns({ scheduleId: id! }).reverse();
      expect(runs.map((r) => [r.dueAt, r.state])).toEqual([
        ['2026-12-01T22:00:00.000Z', 'started'],
        ['2026-12-02T20:00:00.000Z', 'started'],
      ]);
    } finally {
      again.engine.close();
    }
  });

  it('a run moved back to its regular time is no longer a move', async () => {
    const clock = new FakeClock('2026-12-01T08:00:00Z');
    const { engine } = await openSite(clock);
    try {
      const { id } = engine.createSchedule(schedule({ kind: 'daily', time: '22:00' }));
      engine.moveScheduleRun({ id, dueAt: '2026-12-03T22:00:00Z', to: '2026-12-04T01:00:00Z' });
      expect(engine.moveScheduleRun({ id, dueAt: '2026-12-04T01:00:00Z', to: '2026-12-03T22:00:00Z' }).moves).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it.each([
    ['daily', { kind: 'daily', time: '22:00' }, '2026-12-02T22:00:00Z', '2026-12-02T23:15:00Z', { kind: 'daily', time: '23:15' }],
    ['weekly, to the next day', { kind: 'weekly', days: ['mon', 'wed'], time: '22:00' }, '2026-12-02T22:00:00Z', '2026-12-03T21:00:00Z', { kind: 'weekly', days: ['tue', 'thu'], time: '21:00' }],
    ['weekly, over the end of the week', { kind: 'weekly', days: ['sat'], time: '22:00' }, '2026-12-05T22:00:00Z', '2026-12-06T01:00:00Z', { kind: 'weekly', days: ['sun'], time: '01:00' }],
    ['monthly', { kind: 'monthly', day: 15, time: '03:00' }, '2026-12-15T03:00:00Z', '2026-12-14T02:00:00Z', { kind: 'monthly', day: 14, time: '02:00' }],
    ['once', { kind: 'once', at: '2026-12-03T10:00:00Z' }, '2026-12-03T10:00:00Z', '2026-12-04T11:00:00Z', { kind: 'once', at: '2026-12-04T11:00:00.000Z' }],
  ] as const)('every run moves at once: %s', async (_name, when, dueAt, to, expected) => {
    const clock = new FakeClock('2026-12-01T08:00:00Z');
    const { engine } = await openSite(clock);
    try {
      const { id } = engine.createSchedule(schedule(when as ScheduleInputInput['when']));
      const moved = engine.moveScheduleRun({ id, dueAt, to, series: true });
      expect(moved.when).toEqual(expected);
      expect(moved.moves).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('refuses what cannot be moved, saying why, and changes nothing', async () => {
    const clock = new FakeClock('2026-12-01T08:00:00Z');
    const { engine } = await openSite(clock);
    try {
      const { id } = engine.createSchedule(schedule({ kind: 'daily', time: '22:00' }, { windowEnd: '23:30' }));
      const cron = engine.createSchedule(schedule({ kind: 'cron', expression: '0 22 * * *' })).id;
      const monthly = engine.createSchedule(schedule({ kind: 'monthly', day: 31, time: '03:00' })).id;
      const cases: Array<[Parameters<Engine['moveScheduleRun']>[0], RegExp]> = [
        [{ id, dueAt: '2026-12-02T21:00:00Z', to: '2026-12-02T20:00:00Z' }, /no planned run due at 2026-12-02T21:00:00.000Z/],
        [{ id, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-01T07:00:00Z' }, /is in the past/],
        [{ id, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T23:45:00Z' }, /after its window end 23:30/],
        [{ id, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-03T22:00:00Z' }, /already has a run due at 2026-12-03T22:00:00.000Z/],
        [{ id: cron, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T21:00:00Z', series: true }, /cron schedule cannot be moved at once/],
        [{ id: monthly, dueAt: '2026-12-31T03:00:00Z', to: '2027-01-01T03:00:00Z', series: true }, /leaves the month/],
        [{ id: 999, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T21:00:00Z' }, /no schedule 999/],
      ];
      const before = engine.schedules();
      for (const [request, reason] of cases) expect(() => engine.moveScheduleRun(request), JSON.stringify(request)).toThrow(reason);
      expect(engine.schedules()).toEqual(before);
      // A cron schedule's single run can be moved.
      expect(engine.moveScheduleRun({ id: cron, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T21:00:00Z' }).moves).toHaveLength(1);
      // Changing the timing drops the moves that belonged to the old one.
      engine.moveScheduleRun({ id, dueAt: '2026-12-02T22:00:00Z', to: '2026-12-02T21:00:00Z' });
      expect(engine.editSchedule(id, { when: { kind: 'daily', time: '21:30' } }).moves).toEqual([]);
    } finally {
      engine.close();
    }
  });
});
