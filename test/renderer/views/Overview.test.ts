// The Overview: site health (a mode with fewer than two streams says backups cannot run), jobs
// running with their live progress, the next runs with their conflicts, recent failures.
import { afterEach, describe, expect, it } from 'vitest';
import OverviewView from '../../../renderer/src/overview/OverviewView.vue';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { demoHandlers, forecastEntry, job, logEvent } from '../fixtures';
import { mountWith, settle, setup } from '../mount';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the overview', () => {
  it('shows health, running jobs with progress, next runs and recent failures', async () => {
    const { pinia, fake } = setup({
      ...demoHandlers(),
      listJobs: () => [job(8, { state: 'running', endedAt: null, target: 'X:' }), job(7, { state: 'failed', message: 'every stream failed' }), job(6)],
      forecastSchedules: () => [forecastEntry(1), forecastEntry(2, { target: '/movies', mode: 'failover', conflict: true, reasons: ['needs 4 streams, 3 free'] })],
      listEvents: () => [logEvent(5, { level: 'error', jobId: 7, message: 'stream 1 failed: io error' })],
    });
    await useSiteStore().load();
    const wrapper = mountWith(OverviewView, pinia);
    await settle();

    const mirrored = wrapper.find('[data-mode="mirrored"]');
    expect(mirrored.text()).toContain('2');
    expect(mirrored.text()).toContain('Backups can run');
    const failover = wrapper.find('[data-mode="failover"]');
    expect(failover.text()).toContain('Backups cannot run: fewer than 2');
    expect(failover.classes()).toContain('tone-err');
    expect(wrapper.find('.health .counts').text()).toContain('1 unavailable');

    fake.emit('job', { type: 'progress', jobId: 8, size: 100 * 2 ** 20, streams: [{ stream: 0, bytes: 50 * 2 ** 20, chunks: 6, throughput: 10 * 2 ** 20 }, { stream: 1, bytes: 25 * 2 ** 20, chunks: 3, throughput: 5 * 2 ** 20 }] });
    await settle(1);
    const running = wrapper.find('li[data-job="8"]');
    expect(running.text()).toContain('25 %');
    expect(running.text()).toContain('0:15 left');
    expect(running.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('25');

    const next = wrapper.find('section[aria-label="Next scheduled runs"]');
    expect(next.findAll('tbody tr')).toHaveLength(2);
    expect(next.text()).toContain('Conflict');
    expect(next.text()).toContain('needs 4 streams, 3 free');
    expect(next.find('tbody tr .badge.tone-ok').text()).toBe('OK');
    expect(next.find('tbody tr .badge.tone-ok').attributes('title')).toBe('3 independent streams free now');

    const problems = wrapper.find('section[aria-label="Recent failures"]');
    expect(problems.text()).toContain('Job 7');
    expect(problems.text()).toContain('every stream failed');
    expect(problems.text()).toContain('stream 1 failed: io error');
    expect(fake.inputs('listEvents')).toEqual([{ level: 'warning', limit: 8 }]);
    wrapper.unmount();
  });
});
