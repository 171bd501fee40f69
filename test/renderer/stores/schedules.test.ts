// The schedules store: schedules and the next day's forecast, "run now" (its result is kept per
// schedule), and a reload when the scheduler reports.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import { useSchedulesStore } from '../../../renderer/src/stores/schedules';
import { failoverBackup, forecastEntry, schedule } from '../fixtures';
import { setup } from '../mount';

describe('the schedules store', () => {
  it('lists schedules, the soonest enabled first among the upcoming, and forecasts the next 24 hours', async () => {
    const { fake } = setup({
      listSchedules: () => [schedule(1, { nextDueAt: '2026-12-01T23:00:00Z' }), schedule(2, { nextDueAt: '2026-12-01T22:00:00Z' }), schedule(3, { enabled: false, nextDueAt: null })],
      forecastSchedules: () => [forecastEntry(2)],
    });
    const store = useSchedulesStore();
    await store.load(new Date('2026-12-01T12:00:00Z'));
    expect(store.upcoming.map((s) => s.id)).toEqual([2, 1]);
    expect(fake.inputs('forecastSchedules')).toEqual([{ from: '2026-12-01T12:00:00.000Z', to: '2026-12-02T12:00:00.000Z' }]);
    expect(store.forecast).toHaveLength(1);
  });

  it('keeps a forecast failure apart from the list', async () => {
    setup({ listSchedules: () => [schedule(1)], forecastSchedules: () => Promise.reject(new ApiError('internal', 'no clock')) });
    const store = useSchedulesStore();
    await store.load();
    expect(store.schedules).toHaveLength(1);
    expect(store.error).toBeNull();
    expect(store.forecastError).toMatchObject({ doing: 'failures.forecast', message: 'no clock' });
  });

  it('runs a schedule now and keeps its result; reloads when the scheduler reports', async () => {
    const { fake } = setup({ listSchedules: () => [schedule(1)], forecastSchedules: () => [], runScheduleNow: () => failoverBackup(12) });
    const store = useSchedulesStore();
    await store.load();
    const run = store.runNow(1);
    expect(store.runningNow).toEqual([1]);
    expect((await run)?.job.id).toBe(12);
    expect(store.lastRun[1]?.job.id).toBe(12);
    expect(store.runningNow).toEqual([]);

    const before = fake.inputs('listSchedules').length;
    fake.emit('schedule', { type: 'schedule-waiting', scheduleId: 1, dueAt: '2026-12-01T22:00:00Z', jobId: null, reason: 'switch-4 is unavailable' });
    await vi.waitFor(() => expect(fake.inputs('listSchedules').length).toBeGreaterThan(before));
  });
});
