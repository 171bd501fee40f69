// The backup jobs the SAN view draws while they run: their streams (mover, library, tapes,
// switches and status, from getBackupJob) and each stream's live bytes and throughput (from the
// `job` progress events). Jobs running when the view opens are found with listJobs; a job seen
// first in an event (a schedule's, another window's) is looked up then. A finished job stays
// listed, with its outcome, until the operator dismisses it. Listens while mounted.
import { onMounted, ref } from 'vue';
import type { BackupApi, BackupMode, JobEvent, JobState, StreamOutcome } from '../../../engine/contract';
import { messageOf } from './errors';
import { useApiEvent } from './useApiEvent';

const ACTIVE: readonly JobState[] = ['queued', 'reserving', 'running'];
/** Finished jobs kept on screen at most. */
const KEEP_FINISHED = 4;

export interface LiveStream {
  outcome: StreamOutcome;
  bytes: number;
  /** Bytes per second over the engine's last interval; 0 when not writing. */
  throughput: number;
  /** Why it failed, from the stream-failed event. */
  cause: string | null;
}

export interface LiveJob {
  jobId: number;
  target: string;
  mode: BackupMode | null;
  state: JobState;
  /** Size of the backup stream, once known. */
  size: number;
  streams: LiveStream[];
  failovers: { from: number; to: number; chunk: number }[];
  message: string | null;
  finished: boolean;
  /** Why the last lookup failed. */
  error: string | null;
}

export function useLiveJobs(api: BackupApi) {
  const jobs = ref<LiveJob[]>([]);
  /** Why the running jobs could not be listed when the view opened. */
  const listError = ref<string | null>(null);
  const inFlight = new Map<number, Promise<void>>();
  const again = new Set<number>();

  function find(jobId: number): LiveJob | undefined {
    return jobs.value.find((j) => j.jobId === jobId);
  }

  function track(jobId: number): LiveJob {
    const known = find(jobId);
    if (known) return known;
    jobs.value.unshift({ jobId, target: '', mode: null, state: 'queued', size: 0, streams: [], failovers: [], message: null, finished: false, error: null });
    const finished = jobs.value.filter((j) => j.finished);
    if (finished.length > KEEP_FINISHED) jobs.value = jobs.value.filter((j) => !finished.slice(KEEP_FINISHED).includes(j));
    return find(jobId)!;
  }

  /** Reads the job's streams again; calls made meanwhile are folded into one more read. */
  function refresh(jobId: number): Promise<void> {
    const running = inFlight.get(jobId);
    if (running) {
      again.add(jobId);
      return running;
    }
    const read = (async () => {
      try {
        const result = await api.getBackupJob({ jobId });
        const job = find(jobId);
        if (!job) return;
        job.target = result.job.target;
        job.mode = result.job.mode;
        if (!job.finished) job.state = result.job.state;
        job.message = result.job.message ?? job.message;
        if (result.backup) job.size = Math.max(job.size, result.backup.size);
        job.streams = result.streams.map((outcome) => {
          const before = job.streams.find((s) => s.outcome.stream === outcome.stream);
          const writing = outcome.status === 'running';
          return { outcome, bytes: Math.max(before?.bytes ?? 0, outcome.bytes), throughput: writing ? (before?.throughput ?? 0) : 0, cause: before?.cause ?? outcome.error };
        });
        job.error = null;
      } catch (cause) {
        const job = find(jobId);
        if (job) job.error = messageOf(cause);
      } finally {
        inFlight.delete(jobId);
        if (again.delete(jobId)) void refresh(jobId);
      }
    })();
    inFlight.set(jobId, read);
    return read;
  }

  /** Follows a job (one the view started). */
  function watchJob(jobId: number): Promise<void> {
    track(jobId);
    return refresh(jobId);
  }

  function dismiss(jobId: number): void {
    jobs.value = jobs.value.filter((j) => j.jobId !== jobId);
  }

  function onEvent(event: JobEvent): void {
    const known = find(event.jobId);
    if (!known && event.type === 'job-finished') return;
    const job = known ?? track(event.jobId);
    if (!known) void refresh(event.jobId);
    switch (event.type) {
      case 'progress':
        job.size = event.size;
        for (const p of event.streams) {
          const stream = job.streams.find((s) => s.outcome.stream === p.stream);
          if (!stream) continue;
          stream.bytes = p.bytes;
          stream.throughput = p.throughput;
          // Bytes written say the stream writes, before the job's record says so.
          if (stream.outcome.status === 'reserved' && p.bytes > 0) stream.outcome = { ...stream.outcome, status: 'running' };
        }
        // A stream not known yet: its devices were reserved after the last lookup.
        if (event.streams.some((p) => !job.streams.some((s) => s.outcome.stream === p.stream))) void refresh(job.jobId);
        break;
      case 'job-state':
        job.state = event.state;
        if (event.message) job.message = event.message;
        if (known) void refresh(job.jobId);
        break;
      case 'stream-failed': {
        const stream = job.streams.find((s) => s.outcome.stream === event.stream);
        if (stream) {
          stream.cause = event.device ? `${event.device}: ${event.cause}` : event.cause;
          stream.throughput = 0;
        }
        if (known) void refresh(job.jobId);
        break;
      }
      case 'failover':
        job.failovers.push({ from: event.from, to: event.to, chunk: event.chunk });
        if (known) void refresh(job.jobId);
        break;
      case 'job-finished':
        job.state = event.state;
        job.message = event.message;
        job.finished = true;
        for (const s of job.streams) s.throughput = 0;
        void refresh(job.jobId);
        break;
    }
  }

  useApiEvent(api, 'job', onEvent);
  onMounted(async () => {
    try {
      const recent = await api.listJobs({ limit: 50 });
      for (const job of recent) if (job.kind === 'backup' && ACTIVE.includes(job.state)) void watchJob(job.id);
      listError.value = null;
    } catch (cause) {
      listError.value = messageOf(cause);
    }
  });

  return { jobs, listError, watchJob, dismiss };
}
