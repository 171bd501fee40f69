// Verifications started from the restore browser: every chunk of every copy of a backup read
// back and checked (startVerify), followed by its job's events to its end, then its report per
// copy (getVerifyJob). One verification per backup at a time; the newest first. Another site's
// backups are others: its verifications go when another site is opened.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { JobEvent, JobState, VerifyResult } from '../../../engine/contract';
import { FINISHED_JOB_STATES } from '../../../engine/contract';
import { useApi } from '../api/client';
import { failure, type Failure } from './failure';
import { jobFollower } from './jobFollower';

export interface Verification {
  backupId: number;
  jobId: number | null;
  state: JobState;
  message: string | null;
  result: VerifyResult | null;
  error: Failure | null;
}

export const useVerifyStore = defineStore('verify', () => {
  const api = useApi();
  const follower = jobFollower(api);
  const verifications = ref<Verification[]>([]);
  /** Job id -> the function that stops following it. */
  const following = new Map<number, () => void>();

  const find = (backupId: number) => verifications.value.find((v) => v.backupId === backupId) ?? null;

  function isRunning(backupId: number): boolean {
    const v = find(backupId);
    return !!v && v.error === null && !FINISHED_JOB_STATES.includes(v.state);
  }

  async function fetchResult(backupId: number, jobId: number): Promise<void> {
    try {
      const result = await api.getVerifyJob({ jobId });
      const v = find(backupId);
      if (v?.jobId !== jobId) return;
      v.result = result;
      v.state = result.job.state;
      v.message = result.job.message;
      v.error = null;
    } catch (cause) {
      const v = find(backupId);
      if (v?.jobId === jobId) v.error = failure('restore.failures.verifyReport', cause, { job: jobId });
    }
  }

  function onEvent(backupId: number, event: JobEvent): void {
    const v = find(backupId);
    if (!v || v.jobId !== event.jobId) return;
    if (event.type === 'job-state' || event.type === 'job-finished') {
      v.state = event.state;
      v.message = event.message;
    }
    if (event.type === 'job-finished') {
      following.get(event.jobId)?.();
      following.delete(event.jobId);
      void fetchResult(backupId, event.jobId);
    }
  }

  /** Starts reading back every copy of a backup. */
  async function start(backupId: number): Promise<void> {
    if (isRunning(backupId)) return;
    const entry: Verification = { backupId, jobId: null, state: 'queued', message: null, result: null, error: null };
    verifications.value = [entry, ...verifications.value.filter((v) => v.backupId !== backupId)];
    try {
      const { jobId } = await api.startVerify({ backupId });
      const v = find(backupId)!;
      v.jobId = jobId;
      const stop = follower.follow(jobId, (event) => onEvent(backupId, event));
      // Its end may have come already, with the events sent before the id was known.
      if (FINISHED_JOB_STATES.includes(v.state)) stop();
      else following.set(jobId, stop);
    } catch (cause) {
      const v = find(backupId);
      if (v) {
        v.state = 'failed';
        v.error = failure('restore.failures.verify', cause, { backup: backupId });
      }
    }
  }

  function dismiss(backupId: number): void {
    if (isRunning(backupId)) return;
    verifications.value = verifications.value.filter((v) => v.backupId !== backupId);
  }

  api.on('site', (change) => {
    if (change.reason === 'config-saved') return;
    for (const stop of following.values()) stop();
    following.clear();
    verifications.value = [];
  });

  return { verifications, isRunning, start, dismiss, fetchResult };
});
