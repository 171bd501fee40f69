// A job's page: what the job is and how it ended, each stream with its progress bar, figures
// and error, the chunk map with its failover mark, the fragments and the log; while it runs the
// figures follow the events, the throughput chart draws a line per stream, and Cancel asks first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import JobsView from '../../../renderer/src/jobs/JobsView.vue';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { failoverBackup, job, logEvent } from '../fixtures';
import { mountWith, settle, setup } from '../mount';

const MiB = 2 ** 20;

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('the job page', () => {
  it('shows a finished failover backup: streams, chunk map with the failover, fragments, log', async () => {
    const { pinia } = setup({
      listJobs: () => [],
      getJob: ({ jobId }) => ({ job: failoverBackup(jobId).job, log: [logEvent(1, { jobId, message: 'reserved stream 0' }), logEvent(2, { jobId, level: 'error', deviceId: 'copy-A', message: 'stream 0 failed' })] }),
      getBackupJob: ({ jobId }) => failoverBackup(jobId),
    });
    useNavStore().go('jobs', 7);
    const wrapper = mountWith(JobsView, pinia);
    await settle();

    expect(wrapper.find('h1').text()).toBe('Job 7 · Backup of /movies');
    expect(wrapper.find('.view-head .badge').text()).toBe('Succeeded');
    expect(wrapper.find('.view-head').text()).not.toContain('Cancel job');
    expect(wrapper.text()).toContain('failed over: stream 0 crashed at chunk 3');

    const streams = wrapper.findAll('li.stream');
    expect(streams).toHaveLength(2);
    expect(streams[0]!.text()).toContain('Stream 0');
    expect(streams[0]!.text()).toContain('Failed');
    expect(streams[0]!.text()).toContain('copy-A → library-A (A00001)');
    expect(streams[0]!.text()).toContain('crashed at chunk 3: copy-A was killed');
    expect(streams[0]!.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('30');
    expect(streams[1]!.text()).toContain('Completed');
    expect(streams[1]!.text()).toContain('7 MiB of 10 MiB');
    expect(streams[1]!.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('70');

    const segments = wrapper.findAll('.chunk-map .segment');
    expect(segments.map((s) => [s.attributes('data-tape'), s.attributes('style')])).toEqual([
      ['A00001', expect.stringContaining('left: 0%; width: 30%')],
      ['B00002', expect.stringContaining('left: 30%; width: 70%')],
    ]);
    expect(wrapper.find('.chunk-map .failover').attributes('data-chunk')).toBe('3');
    expect(wrapper.find('.chunk-map').text()).toContain('At chunk 3 stream 0 failed and stream 1 continued from that chunk.');
    expect(wrapper.find('.chunk-map .legend').text()).toContain('A00001 in library-A, 3 chunks');

    expect(wrapper.findAll('section[aria-label="Fragments"] tbody tr')).toHaveLength(2);
    const log = wrapper.findAll('section[aria-label="Log"] tbody tr');
    expect(log.map((r) => r.attributes('data-level'))).toEqual(['error', 'info']);
    expect(log[0]!.text()).toContain('Error');
    // Finished before this page watched it: the average instead of a chart.
    expect(wrapper.find('section[aria-label="Throughput"]').text()).toContain('On average');
    wrapper.unmount();
  });

  it('follows a running backup: bytes, percent, rate, time left, a line per stream; cancel asks first', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T08:00:00Z'));
    const running = job(9, { state: 'running', mode: 'mirrored', endedAt: null });
    const recorded = failoverBackup(9, { job: running, fragments: [] });
    recorded.backup!.mode = 'mirrored';
    recorded.streams = recorded.streams.map((s) => ({ ...s, status: 'running', bytes: 0, error: null, mover: `server-${s.stream ? 'B' : 'A'}` }));
    const { fake, pinia } = setup({
      listJobs: () => [running],
      getJob: () => ({ job: running, log: [] }),
      getBackupJob: () => recorded,
      cancelJob: ({ jobId }) => job(jobId, { state: 'cancelled' }),
    });
    useNavStore().go('jobs', 9);
    const wrapper = mountWith(JobsView, pinia);
    await settle();
    const progress = (b0: number, b1: number) => {
      vi.setSystemTime(Date.now() + 500);
      fake.emit('job', { type: 'progress', jobId: 9, size: 10 * MiB, streams: [{ stream: 0, bytes: b0, chunks: 0, throughput: 2 * MiB }, { stream: 1, bytes: b1, chunks: 0, throughput: MiB }] });
    };
    progress(2 * MiB, MiB);
    progress(4 * MiB, 2 * MiB);
    progress(6 * MiB, 4 * MiB);
    await settle();

    const streams = wrapper.findAll('li.stream');
    expect(streams[0]!.text()).toContain('60 %');
    expect(streams[0]!.text()).toContain('6 MiB of 10 MiB');
    expect(streams[0]!.text()).toContain('2.0 MiB/s');
    expect(streams[0]!.text()).toContain('0:02 left');
    expect(streams[1]!.text()).toContain('1.0 MiB/s');
    expect(streams[1]!.text()).toContain('0:06 left');
    expect(wrapper.find('.overall').text()).toContain('Written 4 MiB of 10 MiB');
    const lines = wrapper.findAll('svg path.rate');
    expect(lines.map((l) => [l.attributes('data-stream'), l.attributes('style')])).toEqual([
      ['0', 'stroke: var(--stream-0);'],
      ['1', 'stroke: var(--stream-1);'],
    ]);

    await wrapper.find('.cancel-job button').trigger('click');
    expect(fake.inputs('cancelJob')).toEqual([]);
    const [confirm, keep] = wrapper.findAll('.cancel-job button');
    expect(document.activeElement).toBe(confirm!.element);
    await keep!.trigger('click');
    expect(wrapper.find('.cancel-job').text()).toBe('Cancel job');
    await wrapper.find('.cancel-job button').trigger('click');
    await wrapper.findAll('.cancel-job button')[0]!.trigger('click');
    await settle();
    expect(fake.inputs('cancelJob')).toEqual([{ jobId: 9 }]);
    wrapper.unmount();
  });

  it('says what went wrong when the job cannot be read', async () => {
    const { pinia } = setup({ listJobs: () => [], getJob: () => Promise.reject(new Error('no job 44')) });
    useNavStore().go('jobs', 44);
    const wrapper = mountWith(JobsView, pinia);
    await settle();
    expect(wrapper.find('[role="alert"]').text()).toContain('Could not read job 44: no job 44');
    wrapper.unmount();
  });
});
