// The Schedule view against a fake engine, in Asia/Tokyo (UTC+9) on 1 December 2026 at noon local
// time: runs on the right local days and hours, coloured and labelled by outcome, the expected
// duration drawn as the event's length, conflicts with their reasons, missed runs with theirs,
// moved runs marked; a planned run dragged to another hour or moved by keyboard through
// "Move to…" calls moveScheduleRun with its due time, the new time and whether the series moves;
// the form makes the right ScheduleInput and ScheduleEdit and shows the engine's refusals; delete
// asks first; the calendar reads again when the scheduler reports.
import type { DOMWrapper } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import ScheduleView from '../../../renderer/src/schedule/ScheduleView.vue';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { useSiteStore } from '../../../renderer/src/stores/site';
import type { Handlers } from '../fakeApi';
import { failoverBackup, schedule } from '../fixtures';
import { mountWith, settle, setup } from '../mount';
import { calendarHandlers, planned, run, scheduledJob, type CalendarEngine } from './calendarFixtures';

const zone = process.env.TZ;
process.env.TZ = 'Asia/Tokyo';
afterAll(() => {
  process.env.TZ = zone;
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T03:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const CONFLICT = '2 runs at the same time need 4 independent streams; the site can give 3 with copy-devices now (overlaps schedule 1, 2)';
const HOUR_PX = 48;

function engine(): CalendarEngine {
  return {
    schedules: [
      schedule(1, { moves: [{ dueAt: '2026-12-02T22:00:00.000Z', to: '2026-12-02T20:00:00.000Z' }] }),
      schedule(2, { target: '/movies', mode: 'failover', when: { kind: 'cron', expression: '0 */6 * * *' }, windowEnd: null, nextDueAt: '2026-12-01T06:00:00.000Z' }),
    ],
    forecast: [
      // 07:00 on 2 December in Tokyo, expected to take 90 minutes.
      planned(1, '2026-12-01T22:00:00.000Z', {}, 90),
      planned(2, '2026-12-01T06:00:00.000Z', { target: '/movies', mode: 'failover', conflict: true, reasons: [CONFLICT], streamsNeeded: 4, streamsAvailable: 3, overlapsWith: [1] }),
      // Moved from 22:00 UTC on 2 December to 20:00 UTC (05:00 on 3 December in Tokyo).
      planned(1, '2026-12-02T20:00:00.000Z'),
    ],
    runs: [
      run(1, { jobId: 41, dueAt: '2026-11-29T22:00:00.000Z' }),
      run(2, { jobId: 42, dueAt: '2026-11-30T22:00:00.000Z' }),
      run(3, { jobId: 43, dueAt: '2026-11-30T15:30:00.000Z' }),
      run(4, { state: 'missed', reason: 'the manager was not running (noticed 14 min after it fell due)', dueAt: '2026-11-29T16:00:00.000Z' }),
    ],
    jobs: [
      scheduledJob(41, 1, 'succeeded', '2026-11-29T22:00:02.000Z'),
      scheduledJob(42, 1, 'succeeded-degraded', '2026-11-30T22:00:02.000Z'),
      scheduledJob(43, 1, 'failed', '2026-11-30T15:30:02.000Z'),
    ],
  };
}

async function mountView(data: CalendarEngine = engine(), more: Handlers = {}) {
  const { pinia, fake } = setup({ ...calendarHandlers(data), ...more });
  await useSiteStore().load();
  const wrapper = mountWith(ScheduleView, pinia);
  await settle();
  return { wrapper, fake };
}

async function openView(wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'], view: 'month' | 'week' | 'day'): Promise<void> {
  await wrapper.find(`button[data-calendar-view="${view}"]`).trigger('click');
  await settle();
}

function runAt(wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'], day: string, key: string): DOMWrapper<Element> {
  return wrapper.find(`[data-day="${day}"] [data-run="${key}"]`);
}

describe('the schedule calendar', () => {
  it('puts every run on its local day, coloured and labelled by its outcome', async () => {
    const { wrapper, fake } = await mountView();
    expect(fake.inputs('forecastSchedules')).toContainEqual({ from: '2026-12-01T03:00:00.000Z', to: '2027-01-03T15:00:00.000Z' });
    expect(fake.inputs('scheduleRuns')).toContainEqual(expect.objectContaining({ from: '2026-11-29T15:00:00.000Z', to: '2027-01-03T15:00:00.000Z' }));
    expect(wrapper.find('.range-title').text()).toBe('December 2026');

    // 22:00 UTC on 1 December is 07:00 on 2 December in Tokyo.
    const plannedRun = runAt(wrapper, '2026-12-02', 'plan:1:2026-12-01T22:00:00.000Z');
    expect(plannedRun.text()).toContain('7:00 AM');
    expect(plannedRun.text()).toContain('X:');
    expect(plannedRun.attributes('data-outcome')).toBe('planned');
    expect(plannedRun.attributes('aria-label')).toBe('Planned: X: at 7:00 AM. Mirrored, 2 streams');
    expect(plannedRun.attributes('draggable')).toBe('true');

    const looks = [
      ['2026-11-30', 'run:1', 'succeeded', 'ok', 'Succeeded'],
      ['2026-12-01', 'run:2', 'degraded', 'warn', 'Degraded'],
      ['2026-12-01', 'run:3', 'failed', 'err', 'Failed'],
      ['2026-11-30', 'run:4', 'missed', 'err', 'Missed'],
    ] as const;
    for (const [day, key, outcome, tone, label] of looks) {
      const chip = runAt(wrapper, day, key);
      expect([chip.attributes('data-outcome'), chip.attributes('data-tone')], key).toEqual([outcome, tone]);
      // Never by colour alone: an icon, and the outcome in words.
      expect(chip.find('svg').exists()).toBe(true);
      expect(chip.attributes('aria-label')).toMatch(new RegExp(`^${label}: X: at `));
      expect(chip.attributes('draggable')).toBe('false');
    }
    // Outcomes with the same tone still differ by icon.
    expect(runAt(wrapper, '2026-12-01', 'run:3').find('svg').html()).not.toBe(runAt(wrapper, '2026-11-30', 'run:4').find('svg').html());
    expect(wrapper.find('.legend').text()).toContain('Succeeded');
    expect(wrapper.find('.legend').text()).toContain('Missed');
    expect(wrapper.find('.calendar-toolbar').text()).toContain('Times in your local time (Asia/Tokyo)');
    wrapper.unmount();
  });

  it('draws runs at their local hour in the week view, as long as they are expected to take', async () => {
    const { wrapper } = await mountView();
    await openView(wrapper, 'week');
    expect(wrapper.find('.range-title').text()).toBe('Mon, Nov 30 – Sun, Dec 6');
    const block = runAt(wrapper, '2026-12-02', 'plan:1:2026-12-01T22:00:00.000Z');
    expect(block.attributes('style')).toContain(`top: ${7 * HOUR_PX}px`);
    expect(block.attributes('style')).toContain(`height: ${1.5 * HOUR_PX - 2}px`);
    // Recorded runs last from their due time to their job's end (20 minutes and the start's 2 s); drawn at least half an hour tall.
    expect(runAt(wrapper, '2026-12-01', 'run:2').attributes('style')).toContain(`top: ${7 * HOUR_PX}px`);
    expect(runAt(wrapper, '2026-12-01', 'run:2').attributes('style')).toContain(`height: ${HOUR_PX / 2 - 2}px`);
    // The conflicting run at 15:00 carries its flag in words.
    const conflict = runAt(wrapper, '2026-12-01', 'plan:2:2026-12-01T06:00:00.000Z');
    expect(conflict.attributes('style')).toContain(`top: ${15 * HOUR_PX}px`);
    expect(conflict.classes()).toContain('conflict');
    expect(conflict.attributes('aria-label')).toContain(`conflict: ${CONFLICT}`);
    expect(wrapper.find('.column.today').attributes('data-day')).toBe('2026-12-01');
    wrapper.unmount();
  });

  it('says why a run conflicts, why one was missed, and marks a moved one', async () => {
    const { wrapper } = await mountView();
    await runAt(wrapper, '2026-12-01', 'plan:2:2026-12-01T06:00:00.000Z').trigger('click');
    const details = () => wrapper.find('.run-details');
    expect(details().find('.conflict-reasons').text()).toContain('Why it conflicts');
    expect(details().find('.conflict-reasons').text()).toContain(CONFLICT);
    expect(details().text()).toContain('4 needed with the runs beside it · 3 free now');
    expect(details().text()).toContain('schedule 1');

    await runAt(wrapper, '2026-11-30', 'run:4').trigger('click');
    expect(details().find('[data-outcome-badge]').text()).toBe('Missed');
    expect(details().find('.run-reason').text()).toContain('the manager was not running (noticed 14 min after it fell due)');
    expect(details().find('.move-run').exists()).toBe(false);

    await runAt(wrapper, '2026-12-01', 'run:3').trigger('click');
    expect(details().find('a[href="#/jobs/43"]').exists()).toBe(true);

    const moved = runAt(wrapper, '2026-12-03', 'plan:1:2026-12-02T20:00:00.000Z');
    expect(moved.attributes('data-moved')).toBe('true');
    expect(moved.find('.moved-mark').exists()).toBe(true);
    expect(moved.attributes('aria-label')).toContain('moved from Thu, Dec 3, 07:00 AM');
    await moved.trigger('click');
    expect(details().text()).toContain('Moved from');
    // The schedule's own zone (UTC) beside the local time.
    expect(details().text()).toContain('in the schedule\'s zone: Wed, Dec 2, 08:00 PM UTC');
    wrapper.unmount();
  });

  it('moves a run dragged to another hour, this run only or every run, once confirmed', async () => {
    const moveScheduleRun = vi.fn(() => schedule(1));
    const { wrapper, fake } = await mountView(engine(), { moveScheduleRun });
    await openView(wrapper, 'week');
    const key = 'plan:1:2026-12-01T22:00:00.000Z';
    // Taken at its top, dropped five hours into 2 December (05:00 Tokyo): the grid's top is at 0 here.
    await runAt(wrapper, '2026-12-02', key).trigger('dragstart', { clientY: 0 });
    const column = wrapper.find('.column[data-day="2026-12-02"]');
    await column.trigger('dragover', { clientY: 5 * HOUR_PX + 3 });
    expect(column.classes()).toContain('over');
    await column.trigger('drop', { clientY: 5 * HOUR_PX + 3 });
    expect(fake.inputs('moveScheduleRun')).toEqual([]);
    const form = wrapper.find('.run-details .move-run');
    expect(form.text()).toContain('Dropped at Wed, Dec 2, 05:00 AM');
    expect((form.find('input[type="datetime-local"]').element as HTMLInputElement).value).toBe('2026-12-02T05:00');
    expect(wrapper.find('.column[data-day="2026-12-02"] .ghost').attributes('style')).toContain(`top: ${5 * HOUR_PX}px`);
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('moveScheduleRun')).toEqual([{ id: 1, dueAt: '2026-12-01T22:00:00.000Z', to: '2026-12-01T20:00:00.000Z', series: false }]);
    expect(wrapper.text()).toContain('Moved to Wed, Dec 2, 05:00 AM.');

    // Onto another day in the month view: the same time of day there, and every run of the schedule.
    await openView(wrapper, 'month');
    await runAt(wrapper, '2026-12-02', key).trigger('dragstart', { clientY: 0 });
    await wrapper.find('[data-day="2026-12-04"]').trigger('dragover');
    await wrapper.find('[data-day="2026-12-04"]').trigger('drop');
    await wrapper.find('.move-run input[type="radio"][value="true"]').setValue(true);
    await wrapper.find('.move-run').trigger('submit');
    await settle();
    expect(fake.inputs('moveScheduleRun').at(-1)).toEqual({ id: 1, dueAt: '2026-12-01T22:00:00.000Z', to: '2026-12-03T22:00:00.000Z', series: true });
    wrapper.unmount();
  });

  it('moves a run from the keyboard through "Move to…", and shows the engine\'s refusal', async () => {
    const moveScheduleRun = vi.fn(() => Promise.reject(new ApiError('bad-request', 'at 2026-12-02T15:30:00.000Z the run would start after its window end 00:00+1')));
    const { wrapper, fake } = await mountView(engine(), { moveScheduleRun });
    await runAt(wrapper, '2026-12-02', 'plan:1:2026-12-01T22:00:00.000Z').trigger('click');
    const form = wrapper.find('.run-details .move-run');
    const field = form.find('input[type="datetime-local"]');
    expect((field.element as HTMLInputElement).value).toBe('2026-12-02T07:00');
    expect(form.find('button[type="submit"]').attributes('disabled')).toBeDefined();
    await field.setValue('2026-12-03T00:30');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('moveScheduleRun')).toEqual([{ id: 1, dueAt: '2026-12-01T22:00:00.000Z', to: '2026-12-02T15:30:00.000Z', series: false }]);
    expect(wrapper.find('.run-details [role="alert"]').text()).toBe('Could not move the run of schedule 1: at 2026-12-02T15:30:00.000Z the run would start after its window end 00:00+1');

    // A cron schedule's runs move one at a time: the series is not offered.
    await runAt(wrapper, '2026-12-01', 'plan:2:2026-12-01T06:00:00.000Z').trigger('click');
    expect(wrapper.find('.move-run input[type="radio"][value="true"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('.move-run').text()).toContain('A cron schedule cannot move as a whole');
    wrapper.unmount();
  });

  it('opens a crowded day from its "+N more", and the days by arrow keys', async () => {
    const data = engine();
    data.forecast.push(...[1, 2, 3, 4].map((h) => planned(3, `2026-12-04T0${h}:00:00.000Z`)));
    const { wrapper } = await mountView(data);
    const cell = wrapper.find('[data-day="2026-12-04"]');
    expect(cell.findAll('.run')).toHaveLength(3);
    expect(cell.find('.more').text()).toBe('+1 more');
    const today = wrapper.find('[data-day="2026-12-01"] .day-number');
    expect(today.attributes('tabindex')).toBe('0');
    await today.trigger('keydown', { key: 'ArrowDown' });
    await settle(1);
    expect(document.activeElement?.closest('[data-day]')?.getAttribute('data-day')).toBe('2026-12-08');
    await cell.find('.more').trigger('click');
    await settle();
    expect(useNavStore().param).toBe('day/2026-12-04');
    expect(wrapper.find('.range-title').text()).toBe('Friday, December 4, 2026');
    expect(wrapper.findAll('.column [data-run]')).toHaveLength(4);
    wrapper.unmount();
  });
});

describe('the schedule form', () => {
  it('creates a one-time schedule in the operator\'s zone, after showing the engine\'s refusal', async () => {
    const data = engine();
    let refuse = true;
    const createSchedule = vi.fn(() => {
      if (refuse) return Promise.reject(new ApiError('bad-request', '2026-12-01T12:00 is in the past (now 2026-12-01T03:00:00.000Z)'));
      const made = schedule(3, { target: '/pictures', when: { kind: 'once', at: '2026-12-01T04:00:00.000Z' }, timeZone: 'Asia/Tokyo', nextDueAt: '2026-12-01T04:00:00.000Z', windowEnd: null });
      data.schedules.push(made);
      data.forecast.push(planned(3, '2026-12-01T04:00:00.000Z', { target: '/pictures' }));
      return made;
    });
    const { wrapper, fake } = await mountView(data, { createSchedule });
    await wrapper.findAll('button').find((b) => b.text() === 'New schedule…')!.trigger('click');
    const form = wrapper.find('form.schedule-form');
    expect(form.text()).toContain('Times in this form are in the schedule\'s time zone, Asia/Tokyo');
    await form.find('select[aria-label="Target"]').setValue('/pictures');
    await form.find('input[type="radio"][value="once"]').setValue(true);
    await form.find('input[aria-label="Date and time"]').setValue('2026-12-01T12:00');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('createSchedule')).toEqual([
      { target: '/pictures', mode: 'mirrored', streams: 2, chunkSize: null, timeoutMs: null, when: { kind: 'once', at: '2026-12-01T12:00' }, windowEnd: null, timeZone: 'Asia/Tokyo', enabled: true },
    ]);
    expect(form.find('[role="alert"]').text()).toBe('Could not create a schedule of /pictures: 2026-12-01T12:00 is in the past (now 2026-12-01T03:00:00.000Z)');

    refuse = false;
    await form.find('input[aria-label="Date and time"]').setValue('2026-12-01T13:00');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('createSchedule').at(-1)).toMatchObject({ when: { kind: 'once', at: '2026-12-01T13:00' } });
    expect(wrapper.find('form.schedule-form').exists()).toBe(false);
    // The new schedule's run is on the calendar, at 13:00 local, and selected.
    const made = runAt(wrapper, '2026-12-01', 'plan:3:2026-12-01T04:00:00.000Z');
    expect(made.text()).toContain('1:00 PM');
    expect(made.attributes('aria-pressed')).toBe('true');
    expect(wrapper.find('tr[data-schedule="3"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('checks what it can before asking: a weekly schedule needs a day, a cron expression five fields', async () => {
    const { wrapper, fake } = await mountView(engine(), { createSchedule: () => schedule(3) });
    await wrapper.findAll('button').find((b) => b.text() === 'New schedule…')!.trigger('click');
    const form = wrapper.find('form.schedule-form');
    await form.find('input[type="radio"][value="weekly"]').setValue(true);
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await form.find(`input[aria-label="${day}"]`).setValue(false);
    await form.trigger('submit');
    expect(form.find('.errors').text()).toBe('Choose at least one day.');
    await form.find('input[type="radio"][value="cron"]').setValue(true);
    await form.find('input[aria-label="Expression"]').setValue('0 22 * *');
    await form.trigger('submit');
    expect(form.find('.errors').text()).toBe('A cron expression has five fields.');
    expect(form.find('input[aria-label="Expression"]').attributes('aria-invalid')).toBe('true');
    expect(fake.inputs('createSchedule')).toEqual([]);
    await form.find('input[aria-label="Expression"]').setValue('30 1-4 * * 1-5');
    await form.find('input[aria-label="Chunk size"]').setValue('16MiB');
    await form.find('input[type="checkbox"]').setValue(true);
    await form.find('input[aria-label="Window end"]').setValue('05:00');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('createSchedule')).toEqual([expect.objectContaining({ when: { kind: 'cron', expression: '30 1-4 * * 1-5' }, chunkSize: 16 * 2 ** 20, windowEnd: '05:00+1' })]);
    wrapper.unmount();
  });

  it('edits only what changed, and warns that a new timing drops the moved runs', async () => {
    const { wrapper, fake } = await mountView(engine(), { editSchedule: ({ id }) => schedule(id) });
    await wrapper.find('tr[data-schedule="1"] button[aria-label="Edit schedule 1 (X:)"]').trigger('click');
    const form = wrapper.find('form.schedule-form');
    expect(form.find('h2').text()).toBe('Edit schedule 1');
    expect((form.find('input[aria-label="Time"]').element as HTMLInputElement).value).toBe('22:00');
    await form.find('input[aria-label="Time"]').setValue('23:15');
    expect(form.text()).toContain('Changing when it runs drops its moved run.');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('editSchedule')).toEqual([{ id: 1, edit: { when: { kind: 'daily', time: '23:15' } } }]);
    expect(wrapper.find('form.schedule-form').exists()).toBe(false);
    wrapper.unmount();
  });
});

describe('the list of schedules', () => {
  it('deletes a schedule only once confirmed, and enables or disables one', async () => {
    const { wrapper, fake } = await mountView(engine(), { deleteSchedule: ({ id }) => ({ id }), editSchedule: ({ id }) => schedule(id, { enabled: false }) });
    const row = () => wrapper.find('tr[data-schedule="1"]');
    await row().find('button[aria-label="Delete schedule 1 (X:)"]').trigger('click');
    expect(row().text()).toContain('Delete schedule 1? Its recorded runs and jobs stay.');
    expect(document.activeElement?.textContent).toBe('Yes, delete');
    await row().findAll('button').find((b) => b.text() === 'Keep')!.trigger('click');
    expect(fake.inputs('deleteSchedule')).toEqual([]);
    await row().find('button[aria-label="Delete schedule 1 (X:)"]').trigger('click');
    await row().findAll('button').find((b) => b.text() === 'Yes, delete')!.trigger('click');
    await settle();
    expect(fake.inputs('deleteSchedule')).toEqual([{ id: 1 }]);

    await wrapper.find('tr[data-schedule="2"]').findAll('button').find((b) => b.text() === 'Disable')!.trigger('click');
    await settle();
    expect(fake.inputs('editSchedule')).toEqual([{ id: 2, edit: { enabled: false } }]);
    wrapper.unmount();
  });

  it('runs a schedule now, links the job the scheduler reports started, and reads the calendar again', async () => {
    let finish: () => void = () => {};
    const { wrapper, fake } = await mountView(engine(), { runScheduleNow: () => new Promise((resolve) => (finish = () => resolve(failoverBackup(52)))) });
    const reads = fake.inputs('scheduleRuns').length;
    await wrapper.find('tr[data-schedule="1"] button[aria-label="Run schedule 1 (X:) now"]').trigger('click');
    fake.emit('schedule', { type: 'schedule-fired', scheduleId: 1, dueAt: '2026-12-01T03:00:00.000Z', jobId: 52, reason: null });
    await settle();
    expect(wrapper.find('.report').text()).toBe('Schedule 1 started job 52 (due Tue, Dec 1, 12:00 PM).');
    expect(wrapper.find('tr[data-schedule="1"] a[href="#/jobs/52"]').exists()).toBe(true);
    await vi.waitFor(() => expect(fake.inputs('scheduleRuns').length).toBeGreaterThan(reads));
    fake.emit('schedule', { type: 'schedule-missed', scheduleId: 2, dueAt: '2026-12-01T00:00:00.000Z', jobId: null, reason: 'its window closed before 2 independent streams were free' });
    await settle();
    expect(wrapper.find('.report').text()).toContain('Schedule 2 missed its run due Tue, Dec 1, 09:00 AM: its window closed');
    finish();
    await settle();
    expect(wrapper.find('tr[data-schedule="1"]').text()).toContain('Succeeded');
    wrapper.unmount();
  });
});
