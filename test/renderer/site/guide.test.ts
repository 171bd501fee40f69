// The first-run guide: shown on the Overview of a fresh demo site (saying where the demo site was
// made), not on another site; its steps marked done as the operator does them (the SAN view
// opened; from the job events a mirrored backup over 2 streams started by the operator, not a
// schedule's or a failover one; its page seen once it ended; a restore ended); dismissed, it is not
// shown again, after a restart either; done, it says so once and is not shown again.
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobEvent } from '../../../engine/contract';
import App from '../../../renderer/src/App.vue';
import { GUIDE_STORAGE_KEY, useGuideStore } from '../../../renderer/src/stores/guide';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { job, site } from '../fixtures';
import { mountWith, settle } from '../mount';
import { setupSite } from './siteFake';

afterEach(() => {
  window.location.hash = '';
  localStorage.clear();
  document.body.innerHTML = '';
});

// 24 and 25 are backups the guide does not ask for: a schedule's, and a failover one.
const JOBS: Record<number, Partial<Job>> = { 21: { kind: 'backup' }, 22: { kind: 'restore' }, 23: { kind: 'verify' }, 24: { scheduleId: 3 }, 25: { mode: 'failover' } };

async function mountConsole(demo = true) {
  const ctx = setupSite({ getJob: ({ jobId }) => ({ job: job(jobId, JOBS[jobId] ?? {}), log: [] }) });
  if (!demo) ctx.state.view = site({ demo: false });
  const wrapper = mountWith(App, ctx.pinia);
  await settle();
  return { ...ctx, wrapper };
}

function states(wrapper: Awaited<ReturnType<typeof mountConsole>>['wrapper']): [string, string][] {
  return wrapper.findAll('[data-guide] li[data-step]').map((li) => [li.attributes('data-step')!, li.find('.badge').text()]);
}

describe('the first-run guide', () => {
  it('is shown on the Overview of a fresh demo site, saying where the site was made, with a link to each step', async () => {
    const { wrapper } = await mountConsole();
    const guide = wrapper.find('[data-guide]');
    expect(guide.exists()).toBe(true);
    expect(guide.find('h2').text()).toBe('Your first backup and restore');
    expect(guide.text()).toContain('A demo site was created for you in');
    expect(guide.find('[data-guide-dir]').text()).toBe('/tmp/demo');
    expect(guide.findAll('a[data-guide-link]').map((a) => a.attributes('href'))).toEqual(['#/san', '#/jobs', '#/jobs', '#/restore']);
    // A step's state is a word and an icon, not a colour alone.
    expect(states(wrapper)).toEqual([
      ['san', 'Next'],
      ['backup', 'To do'],
      ['watch', 'To do'],
      ['restore', 'To do'],
    ]);
    expect(guide.find('.progress').text()).toBe('0 of 4 done');
    // The view's own heading is still the page's first level.
    expect(wrapper.find('h1').text()).toBe('Overview');
    wrapper.unmount();
  });

  it('is not shown for a site that is not a demo site', async () => {
    const { wrapper } = await mountConsole(false);
    expect(wrapper.find('[data-guide]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('marks steps done as the operator does them, and links the job to watch', async () => {
    const { wrapper, fake } = await mountConsole();
    const nav = useNavStore();
    nav.go('san');
    await settle();
    // Away from the Overview, the header says how far the guide is and leads back to it.
    expect(wrapper.find('[data-guide-link-back]').text()).toBe('Guide: 1 of 4 done');
    nav.go('overview');
    await settle();
    expect(states(wrapper)[0]).toEqual(['san', 'Done']);

    const emit = (event: JobEvent) => fake.emit('job', event);
    emit({ type: 'job-state', jobId: 23, state: 'running', message: null });
    emit({ type: 'job-state', jobId: 24, state: 'running', message: null });
    emit({ type: 'job-finished', jobId: 25, state: 'succeeded', backupId: 3, message: null });
    await settle();
    expect(states(wrapper)[1]).toEqual(['backup', 'Next']);
    emit({ type: 'job-state', jobId: 21, state: 'running', message: null });
    await settle();
    expect(states(wrapper).slice(1, 3)).toEqual([
      ['backup', 'Done'],
      ['watch', 'Next'],
    ]);
    expect(wrapper.find('a[data-guide-link="watch"]').attributes('href')).toBe('#/jobs/21');
    emit({ type: 'job-finished', jobId: 21, state: 'succeeded', backupId: 4, message: null });
    await settle();
    // Ended, but not yet watched: its page is the step.
    expect(states(wrapper)[2]).toEqual(['watch', 'Next']);
    // The guide asks for each job once.
    expect(fake.inputs('getJob').map((i) => i.jobId)).toEqual([23, 24, 25, 21]);
    nav.go('jobs', 21);
    await settle();
    nav.go('overview');
    await settle();
    expect(states(wrapper)[2]).toEqual(['watch', 'Done']);

    emit({ type: 'job-finished', jobId: 22, state: 'failed', backupId: null, message: 'every copy unreadable' });
    await settle();
    expect(states(wrapper)[3]).toEqual(['restore', 'Next']);
    emit({ type: 'job-finished', jobId: 22, state: 'succeeded', backupId: null, message: null });
    await settle();
    expect(states(wrapper).every(([, state]) => state === 'Done')).toBe(true);
    expect(wrapper.find('[data-guide] [role="status"]').text()).toContain('All done');
    expect(JSON.parse(localStorage.getItem(GUIDE_STORAGE_KEY)!)).toEqual({ status: 'done', done: ['san', 'backup', 'watch', 'restore'], backupJob: 21 });
    await wrapper.find('[data-guide-dismiss]').trigger('click');
    await settle(1);
    expect(wrapper.find('[data-guide]').exists()).toBe(false);
    wrapper.unmount();

    const again = await mountConsole();
    expect(again.wrapper.find('[data-guide]').exists()).toBe(false);
    again.wrapper.unmount();
  });

  it('is dismissed at any time and not shown again after a restart', async () => {
    const { wrapper } = await mountConsole();
    useNavStore().go('san');
    await settle();
    useNavStore().go('overview');
    await settle();
    await wrapper.find('[data-guide-dismiss]').trigger('click');
    await settle(1);
    expect(wrapper.find('[data-guide]').exists()).toBe(false);
    expect(useGuideStore().status).toBe('dismissed');
    wrapper.unmount();

    const again = await mountConsole();
    expect(again.wrapper.find('[data-guide]').exists()).toBe(false);
    again.wrapper.unmount();
  });

  it('keeps the steps done across a restart while it is open', async () => {
    const first = await mountConsole();
    useNavStore().go('san');
    await settle();
    first.wrapper.unmount();
    window.location.hash = '#/overview';
    const again = await mountConsole();
    expect(states(again.wrapper)[0]).toEqual(['san', 'Done']);
    again.wrapper.unmount();
  });
});
