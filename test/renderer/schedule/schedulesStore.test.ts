// The schedules store behind the calendar: a range reads the forecast from now on and the runs
// recorded before now, with the jobs they started (the newest at once, older ones one by one); an
// answer for a range no longer shown is dropped; the jobs of runs follow their events; refusals
// are kept for the form and the move; the scheduler's reports are kept and reload the range.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import { RANGE_JOBS, RANGE_RUNS, useSchedulesStore } from '../../../renderer/src/stores/schedules';
import { failoverBackup, schedule } from '../fixtures';
import { setup } from '../mount';
import { calendarHandlers, planned, run, scheduledJob, type CalendarEngine } from './calendarFixtures';

const FROM = new Date('2026-11-30T00:00:00Z');
const TO = new Date('2026-12-07T00:00:00Z');
const NOW = new Date('2026-12-01T09:00:00Z');

function engine(): CalendarEngine {
  return {
    schedules: [schedule(1)],
    forecast: [planned(1, '2026-12-01T22:00:00.000Z'), planned(1, '2026-12-02T22:00:00.000Z')],
    runs: [run(1, { jobId: 41, dueAt: '2026-11-30T22:00:00.000Z' }), run(2, { jobId: 7, dueAt: '2026-11-30T01:00:00.000Z' }), run(3, { state: 'missed', reason: 'the manager was not running', dueAt: '2026-12-01T08:00:00.000Z' })],
    jobs: [scheduledJob(41, 1, 'succeeded', '2026-11-30T22:00:02.000Z'), scheduledJob(7, 1, 'failed', '2026-11-30T01:00:02.000Z')],
  };
}

describe('the calendar\'s range in the schedules store', () => {
  it('reads the forecast from now on, the runs before now, and the jobs of the runs', async () => {
    const data = engine();
    // The newest jobs leave out job 7: it is read on its own.
    const { fake } = setup({ ...calendarHandlers(data), listJobs: () => data.jobs.filter((j) => j.id !== 7) });
    const store = useSchedulesStore();
    await store.loadRange(FROM, TO, NOW);
    expect(fake.inputs('forecastSchedules')).toEqual([{ from: NOW.toISOString(), to: TO.toISOString() }]);
    expect(fake.inputs('scheduleRuns')).toEqual([{ from: FROM.toISOString(), to: TO.toISOString(), limit: RANGE_RUNS }]);
    expect(fake.inputs('listJobs')).toEqual([{ limit: RANGE_JOBS }]);
    expect(fake.inputs('getJob')).toEqual([{ jobId: 7 }]);
    expect(store.rangeForecast).toHaveLength(2);
    expect(store.rangeRuns.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(Object.keys(store.runJobs).map(Number).sort((a, b) => a - b)).toEqual([7, 41]);
    expect([store.rangeLoaded, store.rangeError]).toEqual([true, null]);
  });

  it('asks only what a range can hold: no runs in the future, no forecast in the past', async () => {
    const { fake } = setup(calendarHandlers(engine()));
    const store = useSchedulesStore();
    await store.loadRange(new Date('2026-12-07T00:00:00Z'), new Date('2026-12-14T00:00:00Z'), NOW);
    await store.loadRange(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-08T00:00:00Z'), NOW);
    expect(fake.inputs('forecastSchedules')).toHaveLength(1);
    expect(fake.inputs('scheduleRuns')).toHaveLength(1);
    expect(fake.inputs('scheduleRuns')[0]).toMatchObject({ from: '2026-11-01T00:00:00.000Z' });
  });

  it('drops the answer for a range no longer shown', async () => {
    const data = engine();
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    setup({
      ...calendarHandlers(data),
      forecastSchedules: async (range) => {
        if (range.to === TO.toISOString()) await slow;
        return data.forecast.filter((e) => e.dueAt >= range.from && e.dueAt < range.to).concat(range.to === TO.toISOString() ? [planned(9, '2026-12-03T01:00:00.000Z')] : []);
      },
    });
    const store = useSchedulesStore();
    const first = store.loadRange(FROM, TO, NOW);
    await store.loadRange(new Date('2026-12-07T00:00:00Z'), new Date('2026-12-14T00:00:00Z'), NOW);
    release();
    await first;
    expect(store.range).toEqual({ from: '2026-12-07T00:00:00.000Z', to: '2026-12-14T00:00:00.000Z' });
    expect(store.rangeForecast.map((e) => e.scheduleId)).toEqual([]);
  });

  it('says why the calendar could not be read, keeping what it could', async () => {
    setup({ ...calendarHandlers(engine()), scheduleRuns: () => Promise.reject(new ApiError('internal', 'the catalog is locked')) });
    const store = useSchedulesStore();
    await store.loadRange(FROM, TO, NOW);
    expect(store.rangeForecast).toHaveLength(2);
    expect(store.rangeError).toMatchObject({ doing: 'schedule.failures.calendar', message: 'the catalog is locked' });
  });

  it('follows the jobs of its runs, and reads the range again when one ends', async () => {
    const data = engine();
    data.jobs[0] = scheduledJob(41, 1, 'running', '2026-11-30T22:00:02.000Z');
    const { fake } = setup(calendarHandlers(data));
    const store = useSchedulesStore();
    await store.loadRange(FROM, TO, NOW);
    fake.emit('job', { type: 'job-state', jobId: 41, state: 'running', message: 'writing' });
    expect(store.runJobs[41]!.message).toBe('writing');
    const reads = fake.inputs('scheduleRuns').length;
    fake.emit('job', { type: 'job-finished', jobId: 41, state: 'succeeded-degraded', backupId: 3, message: 'stream 1 failed' });
    expect(store.runJobs[41]).toMatchObject({ state: 'succeeded-degraded', message: 'stream 1 failed' });
    expect(store.runJobs[41]!.endedAt).not.toBeNull();
    await vi.waitFor(() => expect(fake.inputs('scheduleRuns').length).toBeGreaterThan(reads));
  });

  it('keeps the scheduler\'s reports, the job a run now started, and reads everything again', async () => {
    let finish: () => void = () => {};
    const { fake } = setup({ ...calendarHandlers(engine()), runScheduleNow: () => new Promise((resolve) => (finish = () => resolve(failoverBackup(52)))) });
    const store = useSchedulesStore();
    await store.load(NOW);
    await store.loadRange(FROM, TO, NOW);
    const running = store.runNow(1);
    fake.emit('schedule', { type: 'schedule-fired', scheduleId: 1, dueAt: NOW.toISOString(), jobId: 52, reason: null });
    expect(store.startedNow[1]).toBe(52);
    expect(store.reports[0]).toMatchObject({ type: 'schedule-fired', jobId: 52 });
    const reads = fake.inputs('scheduleRuns').length;
    await vi.waitFor(() => expect(fake.inputs('scheduleRuns').length).toBeGreaterThan(reads));
    finish();
    await running;
    expect(store.startedNow[1]).toBeUndefined();
    expect(store.lastRun[1]!.job.id).toBe(52);
  });

  it('keeps the engine\'s refusals for the form and for a move', async () => {
    const { fake } = setup({
      ...calendarHandlers(engine()),
      createSchedule: () => Promise.reject(new ApiError('bad-request', 'bad cron expression "0 25 * * *": Invalid value for hour')),
      moveScheduleRun: () => Promise.reject(new ApiError('bad-request', 'every run of a cron schedule cannot be moved at once')),
    });
    const store = useSchedulesStore();
    expect(await store.create({ target: 'X:', when: { kind: 'cron', expression: '0 25 * * *' } })).toBeNull();
    expect(store.formError).toMatchObject({ doing: 'schedule.failures.create', args: { target: 'X:' }, message: expect.stringContaining('bad cron expression') });
    expect(await store.moveRun({ id: 1, dueAt: '2026-12-01T22:00:00.000Z', to: '2026-12-01T20:00:00.000Z', series: true })).toBeNull();
    expect(store.moveError).toMatchObject({ doing: 'schedule.failures.move', args: { id: 1 } });
    expect(fake.inputs('listSchedules')).toEqual([]);
  });
});
