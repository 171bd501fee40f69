// Desktop notifications: the operator hears of a job that failed or ended degraded even when the
// window is hidden behind others. Successful jobs stay quiet.
import type { Notification as NotificationType } from 'electron';
import type { Job, JobEvent } from '../../engine/contract';

/** What a finished job's notification says, or null when it needs none. */
export function jobNotice(job: Job): { title: string; body: string } | null {
  const what = `${job.kind} of ${job.target} (job ${job.id})`;
  const why = job.message ? `: ${job.message}` : '';
  if (job.state === 'failed') return { title: `The ${what} failed`, body: `It did not complete${why}` };
  if (job.state === 'succeeded-degraded') return { title: `The ${what} ended degraded`, body: `It completed, but not on every stream${why}` };
  return null;
}

/** A job-event listener that shows a notification when a job ends failed or degraded. */
export function notifyOnJobEnd(Notification: typeof NotificationType, jobOf: (jobId: number) => Job | undefined): (event: JobEvent) => void {
  return (event) => {
    if (event.type !== 'job-finished' || !Notification.isSupported()) return;
    const job = jobOf(event.jobId);
    const notice = job ? jobNotice(job) : null;
    if (notice) new Notification(notice).show();
  };
}
