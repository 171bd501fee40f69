// The job page store: one job with its log and, for a backup, its streams and fragments; read
// again as the job's events come (at once for a failed stream, a failover and the end, at most
// every few seconds on progress), with the job's new log entries added; other jobs' events and
// a job closed meanwhile change nothing.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import { BACKUP_REFRESH_MS, useJobPageStore } from '../../../renderer/src/stores/jobPage';
import { failoverBackup, job, logEvent } from '../fixtures';
import { setup } from '../mount';

describe('the job page store', () => {
  it('reads a backup job, its log and its fragments', async () => {
    const { fake } = setup({ getJob: ({ jobId }) => ({ job: job(jobId, { mode: 'failover' }), log: [logEvent(1, { jobId })] }), getBackupJob: ({ jobId }) => failoverBackup(jobId) });
    const store = useJobPageStore();
    await store.open(7);
    expect(store.detail?.job.id).toBe(7);
    expect(store.backup?.fragments).toHaveLength(2);
    expect(fake.inputs('getBackupJob')).toEqual([{ jobId: 7 }]);
    expect(store.loading).toBe(false);
  });

  it('does not ask for the fragments of a restore job', async () => {
    const { fake } = setup({ getJob: ({ jobId }) => ({ job: job(jobId, { kind: 'restore', mode: null }), log: [] }) });
    const store = useJobPageStore();
    await store.open(8);
    expect(store.detail?.job.kind).toBe('restore');
    expect(fake.inputs('getBackupJob')).toEqual([]);
    expect(store.backupError).toBeNull();
  });

  it('follows the open job: failover and end at once, progress at most every few seconds, new log entries', async () => {
    const { fake } = setup({
      getJob: ({ jobId }) => ({ job: job(jobId, { state: 'running', endedAt: null }), log: [logEvent(1, { jobId })] }),
      getBackupJob: ({ jobId }) => failoverBackup(jobId),
    });
    const store = useJobPageStore();
    await store.open(7);
    const fetches = () => fake.inputs('getBackupJob').length;

    fake.emit('job', { type: 'failover', jobId: 7, from: 0, to: 1, chunk: 3 });
    await vi.waitFor(() => expect(fetches()).toBe(2));

    fake.emit('job', { type: 'progress', jobId: 7, size: 10, streams: [] });
    fake.emit('job', { type: 'progress', jobId: 7, size: 10, streams: [] });
    fake.emit('job', { type: 'progress', jobId: 8, size: 10, streams: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetches()).toBe(2);
    await vi.waitFor(() => expect(fetches()).toBe(3), { timeout: BACKUP_REFRESH_MS + 1000 });

    fake.emit('log', logEvent(2, { jobId: 7, level: 'warning', message: 'failover at chunk 3' }));
    fake.emit('log', logEvent(2, { jobId: 7, level: 'warning', message: 'failover at chunk 3' }));
    fake.emit('log', logEvent(3, { jobId: 8 }));
    expect(store.detail?.log.map((e) => e.id)).toEqual([1, 2]);

    fake.emit('job', { type: 'job-state', jobId: 7, state: 'running', message: 'writing' });
    expect(store.detail?.job.message).toBe('writing');
    fake.emit('job', { type: 'job-finished', jobId: 7, state: 'succeeded', backupId: 3, message: null });
    await vi.waitFor(() => expect(fake.inputs('getJob').length).toBe(2));
    store.close();
  });

  it('says which job could not be read, and forgets a job closed while it was being read', async () => {
    let answer: (() => void) | null = null;
    setup({
      getJob: ({ jobId }) => (jobId === 9 ? Promise.reject(new ApiError('not-found', 'no job 9')) : new Promise((resolve) => (answer = () => resolve({ job: job(jobId), log: [] })))),
    });
    const store = useJobPageStore();
    await store.open(9);
    expect(store.error).toEqual({ doing: 'failures.readJob', args: { job: 9 }, message: 'no job 9' });

    const opening = store.open(10);
    store.close();
    answer!();
    await opening;
    expect(store.detail).toBeNull();
    expect(store.jobId).toBeNull();
  });
});
