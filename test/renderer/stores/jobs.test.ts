// The jobs store: the recent jobs, kept current by job events (states, progress sampled for the
// chart, failovers, failed streams, the end), starting a backup and cancelling a job.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type Job } from '../../../engine/contract';
import { MAX_SAMPLES, recentProblems, SAMPLE_INTERVAL_MS, useJobsStore } from '../../../renderer/src/stores/jobs';
import { job } from '../fixtures';
import { setup } from '../mount';

describe('the jobs store', () => {
  it('lists jobs and follows their states; a job it does not know yet makes it list again', async () => {
    let list: Job[] = [job(2, { state: 'running', endedAt: null }), job(1)];
    const { fake } = setup({ listJobs: () => list });
    const store = useJobsStore();
    await store.load();
    expect(store.running.map((j) => j.id)).toEqual([2]);

    fake.emit('job', { type: 'job-state', jobId: 2, state: 'running', message: null });
    fake.emit('job', { type: 'job-finished', jobId: 2, state: 'succeeded-degraded', backupId: 5, message: 'stream 1 failed' });
    expect(store.job(2)).toMatchObject({ state: 'succeeded-degraded', message: 'stream 1 failed' });
    expect(store.running).toEqual([]);

    list = [job(3, { state: 'reserving', endedAt: null }), ...list];
    fake.emit('job', { type: 'job-state', jobId: 3, state: 'reserving', message: null });
    await vi.waitFor(() => expect(store.job(3)?.state).toBe('reserving'));
    expect(fake.inputs('listJobs').length).toBeGreaterThanOrEqual(2);
    expect(fake.inputs('listJobs')[0]).toEqual({ limit: 200 });
  });

  it('keeps each running job\'s progress, failovers and failed streams, and samples throughput over time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-12-01T08:00:00Z'));
      const { fake } = setup({ listJobs: () => [job(4, { state: 'running', mode: 'failover', endedAt: null })] });
      const store = useJobsStore();
      await store.load();
      const progress = (b0: number, b1: number) =>
        fake.emit('job', { type: 'progress', jobId: 4, size: 100, streams: [{ stream: 0, bytes: b0, chunks: 0, throughput: 10 }, { stream: 1, bytes: b1, chunks: 0, throughput: 20 }] });
      progress(10, 0);
      vi.setSystemTime(Date.now() + SAMPLE_INTERVAL_MS / 2);
      progress(12, 0);
      vi.setSystemTime(Date.now() + SAMPLE_INTERVAL_MS);
      progress(20, 5);
      fake.emit('job', { type: 'stream-failed', jobId: 4, stream: 0, device: 'copy-A', cause: 'crashed' });
      fake.emit('job', { type: 'failover', jobId: 4, from: 0, to: 1, chunk: 2 });

      const live = store.live[4]!;
      expect(live.size).toBe(100);
      expect(live.streams.map((s) => s.bytes)).toEqual([20, 5]);
      // The second report came too soon after the first to be a sample of its own.
      expect(live.samples.map((s) => s.rates)).toEqual([[10, 20], [10, 20]]);
      expect(live.failures).toMatchObject([{ stream: 0, device: 'copy-A', cause: 'crashed' }]);
      expect(live.failovers).toMatchObject([{ from: 0, to: 1, chunk: 2 }]);

      for (let i = 0; i < MAX_SAMPLES + 10; i++) {
        vi.setSystemTime(Date.now() + SAMPLE_INTERVAL_MS);
        progress(30, 10);
      }
      expect(live.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
      expect(live.samples.length).toBeGreaterThan(MAX_SAMPLES / 2 - 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts a backup and answers its job; a refusal is kept with the target named', async () => {
    const { fake } = setup({ listJobs: () => [], startBackup: () => ({ jobId: 9 }) });
    const store = useJobsStore();
    expect(await store.start({ target: '/pictures', mode: 'failover', streams: 3 })).toBe(9);
    expect(fake.inputs('startBackup')).toEqual([{ target: '/pictures', mode: 'failover', streams: 3 }]);

    fake.handle({ startBackup: () => Promise.reject(new ApiError('conflict', 'only 1 independent stream (2 needed): switch-4 is unavailable')) });
    expect(await store.start({ target: 'X:' })).toBeNull();
    expect(store.actionError).toEqual({ doing: 'failures.startBackup', args: { target: 'X:' }, message: 'only 1 independent stream (2 needed): switch-4 is unavailable' });
    expect(store.starting).toBe(false);
  });

  it('cancels a job and shows it cancelled', async () => {
    const { fake } = setup({ listJobs: () => [job(5, { state: 'running', endedAt: null })], cancelJob: ({ jobId }) => job(jobId, { state: 'cancelled' }) });
    const store = useJobsStore();
    await store.load();
    const cancelling = store.cancel(5);
    expect(store.cancelling).toEqual([5]);
    expect(await cancelling).toBe(true);
    expect(store.job(5)?.state).toBe('cancelled');
    expect(store.cancelling).toEqual([]);
    expect(fake.inputs('cancelJob')).toEqual([{ jobId: 5 }]);
  });

  it('counts failed, degraded and interrupted jobs of the last day as problems', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const jobs = [
      job(1, { state: 'failed', endedAt: '2026-12-01T11:00:00Z' }),
      job(2, { state: 'succeeded-degraded', endedAt: '2026-11-30T13:00:00Z' }),
      job(3, { state: 'interrupted', endedAt: '2026-11-29T11:00:00Z' }),
      job(4, { state: 'succeeded', endedAt: '2026-12-01T11:00:00Z' }),
      job(5, { state: 'cancelled', endedAt: '2026-12-01T11:00:00Z' }),
    ];
    expect(recentProblems(jobs, now).map((j) => j.id)).toEqual([1, 2]);
  });
});
