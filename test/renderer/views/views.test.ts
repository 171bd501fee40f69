// The Schedule and Log views: schedules in words with "Run now", the log with its filters and
// paging. (The Restore view has its own tests in ../restore/.)
import { afterEach, describe, expect, it } from 'vitest';
import LogView from '../../../renderer/src/log/LogView.vue';
import ScheduleView from '../../../renderer/src/schedule/ScheduleView.vue';
import { LOG_PAGE } from '../../../renderer/src/stores/eventLog';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { failoverBackup, logEvent, schedule, site } from '../fixtures';
import { mountWith, settle, setup } from '../mount';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the schedule view', () => {
  it('lists schedules in words and runs one now, linking its job', async () => {
    let finish: () => void = () => {};
    const { pinia, fake } = setup({
      listSchedules: () => [schedule(1), schedule(2, { target: '/pictures', when: { kind: 'weekly', days: ['mon', 'fri'], time: '22:30' }, windowEnd: null, enabled: false, nextDueAt: null })],
      forecastSchedules: () => [],
      runScheduleNow: () => new Promise((resolve) => (finish = () => resolve(failoverBackup(12)))),
    });
    const wrapper = mountWith(ScheduleView, pinia);
    await settle();
    const [first, second] = wrapper.findAll('tbody tr');
    expect(first!.text()).toContain('Daily at 22:00');
    expect(first!.text()).toContain('00:00 next day');
    expect(first!.text()).toContain('Enabled');
    expect(second!.text()).toContain('Weekly on Mon, Fri at 22:30');
    expect(second!.text()).toContain('no window');
    expect(second!.text()).toContain('Disabled');

    await first!.find('button').trigger('click');
    expect(first!.find('button').text()).toBe('Running…');
    expect(fake.inputs('runScheduleNow')).toEqual([{ id: 1 }]);
    finish();
    await settle();
    expect(first!.find('a').attributes('href')).toBe('#/jobs/12');
    expect(first!.text()).toContain('Succeeded');
    wrapper.unmount();
  });
});

describe('the log view', () => {
  it('filters by level, job and device, pages back, and refuses a job that is not a number', async () => {
    const { pinia, fake } = setup({
      describeSite: () => site(),
      streamCapacity: () => ({ mirrored: 2, failover: 2 }),
      listEvents: (query) => Array.from({ length: query?.beforeId ? 2 : LOG_PAGE }, (_, i) => logEvent((query?.beforeId ?? 301) - 1 - i, { level: 'error', jobId: 4, deviceId: 'copy-A' })),
    });
    await useSiteStore().load();
    const wrapper = mountWith(LogView, pinia);
    await settle();
    expect(wrapper.findAll('tbody tr')).toHaveLength(LOG_PAGE);
    expect(wrapper.find('tbody tr').text()).toContain('Error');
    expect(wrapper.find('tbody tr a').attributes('href')).toBe('#/jobs/4');

    const [level, device] = wrapper.findAll('select');
    await level!.setValue('warning');
    await device!.setValue('copy-A');
    const job = wrapper.find('input');
    await job.setValue('x1');
    await job.trigger('change');
    expect(wrapper.text()).toContain('A job is a number such as 12.');
    await job.setValue('4');
    await job.trigger('change');
    await settle();
    expect(fake.inputs('listEvents').at(-1)).toEqual({ limit: LOG_PAGE, level: 'warning', deviceId: 'copy-A', jobId: 4 });

    await wrapper.find('.more button').trigger('click');
    await settle();
    expect(fake.inputs('listEvents').at(-1)).toMatchObject({ beforeId: 201 });
    expect(wrapper.findAll('tbody tr')).toHaveLength(LOG_PAGE + 2);
    expect(wrapper.find('.more').exists()).toBe(false);
    wrapper.unmount();
  });
});
