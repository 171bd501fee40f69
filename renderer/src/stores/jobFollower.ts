// Following a job this console started (a restore, a verification) by its `job` events. A job's
// first events may arrive before the call that started it answers with its id, so the latest
// events of jobs nobody follows yet are kept for a moment and handed over when someone does.
import type { BackupApi, JobEvent } from '../../../engine/contract';

/** Jobs, and events of each, kept until followed. */
const EARLY_JOBS = 8;
const EARLY_EVENTS = 20;

export interface JobFollower {
  /** Calls `listener` with the job's events (those already received first); returns the function that stops. */
  follow(jobId: number, listener: (event: JobEvent) => void): () => void;
}

export function jobFollower(api: BackupApi): JobFollower {
  const early = new Map<number, JobEvent[]>();
  const followers = new Map<number, (event: JobEvent) => void>();

  api.on('job', (event) => {
    const follower = followers.get(event.jobId);
    if (follower) return follower(event);
    const kept = early.get(event.jobId) ?? [];
    kept.push(event);
    if (kept.length > EARLY_EVENTS) kept.shift();
    early.delete(event.jobId);
    early.set(event.jobId, kept);
    if (early.size > EARLY_JOBS) early.delete(early.keys().next().value!);
  });

  return {
    follow(jobId, listener) {
      followers.set(jobId, listener);
      const kept = early.get(jobId) ?? [];
      early.delete(jobId);
      for (const event of kept) listener(event);
      return () => {
        if (followers.get(jobId) === listener) followers.delete(jobId);
      };
    },
  };
}
