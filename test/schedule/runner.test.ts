// The scheduler's runner on a real demo site with a fake clock (no real waiting of minutes): due
// runs start real backup jobs that record their schedule; a daily run across both DST changes
// runs once a day; a run that cannot get two streams retries until its window closes, then is
// missed with the reason; a run queued behind another job's devices starts when they are freed;
// runs that fell due while no runner was up are recorded missed at start-up; a disabled schedule
// never fires, a one-time schedule fires once, "run now" starts at once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import type { LogEvent, ScheduleEvent, ScheduleInputInput } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { FakeClock } from '../helpers/fake-clock';
import { useTempDirs } from '../helpers/temp';

/** Tests need no heartbeat every clock minute: runs wake the runner by themselves. */
const OPTIONS = { heartbeatMs: 6 * 3600_000 };

describe('the scheduler runner', () => {
  const tempDir = useTempDirs('mpb-sched-');

  /** A demo site (without its demo schedules) opened on a fake clock. */
  async function openSite(clock: FakeClock, dir?: string): Promise<{ dir: string; engine: Engine; events: ScheduleEvent[] }> {
    const site = dir ?? (await makeBackupSite(path.join(tempDir(), 'site')));
    const engine = await Engine.open(site, { clock });
    if (dir === undefined) for (const s of engine.schedules()) engine.removeSchedule(s.id);
    const events: ScheduleEvent[] = [];
    engine.onScheduleEvent((e) => events.push(e));
    return { dir: site, engine, events };
  }

  const daily = (target: string, time: string, more: Partial<ScheduleInputInput> = {}): ScheduleInputInput => ({ target, when: { kind: 'daily', time }, timeZone: 'UTC', ...more });
  const log = (engine: Engine): LogEvent[] => engine.catalog.events.list({ limit: 1000 }).reverse();

  it.each([
    ['spring forward', '2026-03-27T12:00:00Z', ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'], '2026-03-30T12:00:00Z'],
    ['fall back', '2026-10-24T00:00:00Z', ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'], '2026-10-26T12:00:00Z'],
  ])('a daily 02:30 Europe/Berlin schedule runs once a day across %s', async (_name, start, expected, end) => {
    const clock = new FakeClock(start);
    const { engine, events } = await openSite(clock);
    try {
      const schedule = engine.createSchedule(daily('/pictures', '02:30', { timeZone: 'Europe/Berlin' }));
      expect(schedule.nextDueAt).toBe(expected[0]);
      const scheduler = engine.startScheduler(OPTIONS);
      for (const due of expected) {
        await clock.advanceTo(new Date(Date.parse(due) + 60_000));
        await scheduler.settled();
      }
      await clock.advanceTo(end);
      await scheduler.settled();
      scheduler.stop();

      const runs = engine.scheduleRuns({ scheduleId: schedule.id }).reverse();
      expect(runs.map((r) => [r.dueAt, r.state])).toEqual(expected.map((due) => [due, 'started']));
      const jobs = engine.jobs().reverse();
      expect(jobs.map((j) => [j.id, j.state, j.scheduleId, j.createdAt])).toEqual(expected.map((due, i) => [i + 1, 'succeeded', schedule.id, due]));
      expect(runs.map((r) => r.jobId)).toEqual([1, 2, 3]);
      expect(events.map((e) => [e.type, e.dueAt, e.jobId])).toEqual(expected.map((due, i) => ['schedule-fired', due, i + 1]));
      expect(log(engine).filter((e) => e.message.startsWith(`schedule ${schedule.id}: started job`)).map((e) => e.jobId)).toEqual([1, 2, 3]);
    } finally {
      engine.close();
    }
  });

  it('a run that cannot get two streams retries every 30 s until its window closes, then is missed with the reason', async () => {
    const clock = new FakeClock('2026-11-25T21:00:00Z');
    const { engine, events } = await openSite(clock);
    try {
      engine.setState('library-B', 'unavailable');
      engine.setState('library-C', 'unavailable');
      const schedule = engine.createSchedule(daily('/pictures', '22:00', { windowEnd: '22:10' }));
      const scheduler = engine.startScheduler(OPTIONS);
      const plans: number[] = [];
      const plan = engine.plan.bind(engine);
      engine.plan = (request) => {
        plans.push(clock.now().getTime());
        return plan(request);
      };

      await clock.advanceTo('2026-11-25T22:00:00Z');
      expect(events).toEqual([{ type: 'schedule-waiting', scheduleId: schedule.id, dueAt: '2026-11-25T22:00:00.000Z', jobId: null, reason: expect.stringMatching(/only 1 independent stream/) }]);
      expect(engine.scheduleRuns().map((r) => r.state)).toEqual(['planned']);

      await clock.advanceTo('2026-11-25T22:09:59Z');
      expect(engine.scheduleRuns().map((r) => r.state)).toEqual(['planned']);
      expect(scheduler.waitingRuns).toBe(1);
      await clock.advanceTo('2026-11-25T22:10:00Z');

      // Tries at 22:00:00, then every 30 s of clock time up to 22:09:30; the window closes at 22:10.
      expect(plans.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(Array.from({ length: 20 }, (_, i) => `22:0${Math.floor(i / 2)}:${i % 2 ? '30' : '00'}`));
      const [run] = engine.scheduleRuns();
      expect(run).toMatchObject({ state: 'missed', jobId: null, dueAt: '2026-11-25T22:00:00.000Z' });
      expect(run!.reason).toMatch(/^its window closed at 2026-11-25T22:10:00.000Z before 2 independent streams were free: only 1 independent stream/);
      expect(run!.reason).toMatch(/library-B is unavailable/);
      expect(events.map((e) => e.type)).toEqual(['schedule-waiting', 'schedule-missed']);
      expect(events[1]!.reason).toBe(run!.reason);
      expect(engine.jobs()).toEqual([]);
      expect(log(engine).some((e) => e.level === 'warning' && e.message === `schedule ${schedule.id}: the run due 2026-11-25T22:00:00.000Z was missed: ${run!.reason}`)).toBe(true);
      expect(scheduler.waitingRuns).toBe(0);
      scheduler.stop();
    } finally {
      engine.close();
    }
  });

  it('a run queued behind a job holding devices starts when they are freed, within its window', async () => {
    const clock = new FakeClock('2026-11-25T21:00:00Z');
    const { engine, events } = await openSite(clock);
    try {
      // Another job holds two of the site's three independent streams.
      const other = engine.catalog.jobs.create({ kind: 'backup', target: 'X:', mode: 'mirrored', streams: 2, createdAt: clock.now().toISOString() });
      engine.reserve(other.id, { streams: 2, mover: 'backup-server' });
      expect(engine.feasibility('backup-server')).toBe(1);
      const schedule = engine.createSchedule(daily('/pictures', '22:00', { windowEnd: '23:00' }));
      const scheduler = engine.startScheduler(OPTIONS);

      await clock.advanceTo('2026-11-25T22:04:50Z');
      expect(events.map((e) => e.type)).toEqual(['schedule-waiting']);
      expect(engine.scheduleRuns().map((r) => r.state)).toEqual(['planned']);
      engine.release(other.id);
      engine.catalog.jobs.setState(other.id, 'succeeded', clock.now().toISOString());

      await clock.advanceTo('2026-11-25T22:05:10Z');
      await scheduler.settled();
      expect(events.map((e) => [e.type, e.jobId])).toEqual([
        ['schedule-waiting', null],
        ['schedule-fired', 2],
      ]);
      const job = engine.jobs().find((j) => j.id === 2)!;
      expect(job).toMatchObject({ state: 'succeeded', scheduleId: schedule.id, target: '/pictures', createdAt: '2026-11-25T22:05:00.000Z' });
      expect(engine.scheduleRuns()).toEqual([expect.objectContaining({ dueAt: '2026-11-25T22:00:00.000Z', state: 'started', jobId: 2, manual: false })]);
      scheduler.stop();
    } finally {
      engine.close();
    }
  });

  it('runs that fell due while no runner was up are recorded missed at start-up, never started late', async () => {
    const clock = new FakeClock('2026-11-25T00:00:00Z');
    const opened = await openSite(clock);
    const dir = opened.dir;
    let { engine, events } = opened;
    let dailyId: number;
    try {
      dailyId = engine.createSchedule(daily('/pictures', '03:00')).id;
      engine.createSchedule({ target: 'X:', when: { kind: 'once', at: '2026-11-26T12:00:00Z' }, timeZone: 'UTC' });
      const scheduler = engine.startScheduler(OPTIONS);
      await clock.advanceTo('2026-11-25T01:00:00Z');
      scheduler.stop();
    } finally {
      engine.close();
    }
    expect(events).toEqual([]);

    // The manager is closed for two days and more.
    await clock.advanceTo('2026-11-27T06:00:00Z');
    ({ engine, events } = await openSite(clock, dir));
    try {
      const scheduler = engine.startScheduler(OPTIONS);
      await clock.advance(1000);
      const missed = ['2026-11-25T03:00:00.000Z', '2026-11-26T03:00:00.000Z', '2026-11-27T03:00:00.000Z'];
      expect(engine.scheduleRuns({ scheduleId: dailyId }).reverse().map((r) => [r.dueAt, r.state, r.reason])).toEqual(missed.map((due) => [due, 'missed', 'the manager was not running']));
      expect(engine.scheduleRuns({ scheduleId: dailyId + 1 }).map((r) => [r.dueAt, r.state, r.reason])).toEqual([['2026-11-26T12:00:00.000Z', 'missed', 'the manager was not running']]);
      expect(events.map((e) => e.type)).toEqual(Array(4).fill('schedule-missed'));
      expect(engine.jobs()).toEqual([]);
      expect(engine.schedule(dailyId + 1).nextDueAt).toBeNull();

      // The next run of the daily schedule starts as usual; the one-time schedule never runs.
      await clock.advanceTo('2026-11-28T03:00:30Z');
      await scheduler.settled();
      expect(engine.jobs().map((j) => [j.scheduleId, j.state, j.createdAt])).toEqual([[dailyId, 'succeeded', '2026-11-28T03:00:00.000Z']]);
      scheduler.stop();
    } finally {
      engine.close();
    }
  });

  it('a disabled schedule never fires, a one-time schedule fires once, and "run now" starts at once', async () => {
    const clock = new FakeClock('2026-11-25T10:00:00Z');
    const { engine, events } = await openSite(clock);
    try {
      const disabled = engine.createSchedule(daily('X:', '11:00', { enabled: false }));
      const once = engine.createSchedule({ target: '/pictures', when: { kind: 'once', at: '2026-11-25T12:00' }, timeZone: 'Europe/Berlin', mode: 'failover' });
      expect(once.when).toEqual({ kind: 'once', at: '2026-11-25T11:00:00.000Z' });
      expect(disabled.nextDueAt).toBeNull();
      const scheduler = engine.startScheduler(OPTIONS);
      await clock.advanceTo('2026-11-25T11:00:30Z');
      await scheduler.settled();
      await clock.advanceTo('2026-11-27T12:00:00Z');
      await scheduler.settled();
      expect(engine.jobs().map((j) => [j.scheduleId, j.mode, j.createdAt])).toEqual([[once.id, 'failover', '2026-11-25T11:00:00.000Z']]);
      expect(engine.scheduleRuns({ scheduleId: disabled.id })).toEqual([]);

      const result = await engine.runNow(disabled.id);
      expect(result.job).toMatchObject({ state: 'succeeded', scheduleId: disabled.id, target: 'X:' });
      expect(engine.scheduleRuns({ scheduleId: disabled.id })).toEqual([expect.objectContaining({ manual: true, state: 'started', jobId: result.job.id, dueAt: '2026-11-27T12:00:00.000Z' })]);
      expect(events.map((e) => [e.type, e.scheduleId])).toEqual([
        ['schedule-fired', once.id],
        ['schedule-fired', disabled.id],
      ]);
      expect(() => engine.runNow(99)).toThrow('no schedule 99');
      scheduler.stop();
    } finally {
      engine.close();
    }
  });

  it('a run waiting for streams is skipped when its schedule is disabled, and missed when the runner stops', async () => {
    const clock = new FakeClock('2026-11-25T21:59:00Z');
    const { engine } = await openSite(clock);
    try {
      engine.setState('library-C', 'unavailable');
      engine.setState('library-B', 'unavailable');
      const a = engine.createSchedule(daily('/pictures', '22:00', { windowEnd: '23:00' }));
      const b = engine.createSchedule(daily('X:', '22:00', { windowEnd: '23:00' }));
      const scheduler = engine.startScheduler(OPTIONS);
      await clock.advanceTo('2026-11-25T22:01:00Z');
      engine.editSchedule(a.id, { enabled: false });
      await clock.advanceTo('2026-11-25T22:02:00Z');
      scheduler.stop();
      expect(engine.scheduleRuns({ scheduleId: a.id }).map((r) => [r.state, r.reason])).toEqual([['skipped', 'its schedule was disabled']]);
      expect(engine.scheduleRuns({ scheduleId: b.id }).map((r) => [r.state, r.reason])).toEqual([['missed', 'the scheduler stopped while the run waited for streams']]);
      expect(clock.pending).toBe(0);
    } finally {
      engine.close();
    }
  });
});
