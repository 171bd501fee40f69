// Jobs (the spec's "process no."): the recent ones from the catalog, newest first, kept current by
// the engine's `job` events; and what only the events tell while a job runs: its streams' bytes
// and throughput (sampled over time for the throughput chart), failovers and failed streams.
// Starting a backup and cancelling a job are here too. Another site's jobs replace them all when
// the site changes.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BackupRequestInput, Job, JobEvent, StreamProgress } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { failure, type Failure } from './failure';
import { latestReads } from './latest';

/** The throughput of every stream of a job at one moment (bytes per second, by stream). */
export interface ThroughputSample {
  at: number;
  rates: number[];
}

export interface LiveFailover {
  from: number;
  to: number;
  chunk: number;
  at: number;
}

export interface LiveStreamFailure {
  stream: number;
  device: string | null;
  cause: string;
  at: number;
}

/** What the events of a running job said. */
export interface LiveJob {
  /** Size of the backup stream. */
  size: number;
  streams: StreamProgress[];
  samples: ThroughputSample[];
  failovers: LiveFailover[];
  failures: LiveStreamFailure[];
}

/** Jobs listed at once. */
export const JOB_LIST_LIMIT = 200;
/** Samples are taken at most this often, and thinned to half when there are too many. */
export const SAMPLE_INTERVAL_MS = 250;
export const MAX_SAMPLES = 1200;
/** Jobs whose live data is kept (the newest). */
const LIVE_JOBS_KEPT = 20;

export const ACTIVE_JOB_STATES: readonly Job['state'][] = ['queued', 'reserving', 'running'];
export const PROBLEM_JOB_STATES: readonly Job['state'][] = ['failed', 'succeeded-degraded', 'interrupted'];

export function isActive(job: Job): boolean {
  return ACTIVE_JOB_STATES.includes(job.state);
}

/** Jobs that failed, ended degraded or were interrupted within `windowMs` before `now`. */
export function recentProblems(jobs: readonly Job[], now: number, windowMs = 24 * 3600_000): Job[] {
  return jobs.filter((job) => PROBLEM_JOB_STATES.includes(job.state) && now - Date.parse(job.endedAt ?? job.createdAt) <= windowMs);
}

export const useJobsStore = defineStore('jobs', () => {
  const api = useApi();
  const jobs = ref<Job[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<Failure | null>(null);
  const live = ref<Record<number, LiveJob>>({});
  const cancelling = ref<number[]>([]);
  const actionError = ref<Failure | null>(null);
  const starting = ref(false);

  const running = computed(() => jobs.value.filter(isActive));

  const listReads = latestReads();
  async function load(): Promise<void> {
    const isLatest = listReads();
    loading.value = true;
    try {
      const read = await api.listJobs({ limit: JOB_LIST_LIMIT });
      if (!isLatest()) return;
      jobs.value = read;
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      if (isLatest()) error.value = failure('failures.listJobs', cause);
    } finally {
      if (isLatest()) loading.value = false;
    }
  }
  const reload = coalesce(load, 200);

  function job(id: number): Job | null {
    return jobs.value.find((j) => j.id === id) ?? null;
  }

  function replace(next: Job): void {
    const i = jobs.value.findIndex((j) => j.id === next.id);
    if (i >= 0) jobs.value[i] = next;
    else reload();
  }

  function liveOf(jobId: number): LiveJob {
    let entry = live.value[jobId];
    if (!entry) {
      entry = { size: 0, streams: [], samples: [], failovers: [], failures: [] };
      live.value[jobId] = entry;
      const ids = Object.keys(live.value).map(Number).sort((a, b) => b - a);
      for (const old of ids.slice(LIVE_JOBS_KEPT)) delete live.value[old];
      entry = live.value[jobId]!;
    }
    return entry;
  }

  function sample(entry: LiveJob, streams: StreamProgress[], at: number): void {
    const last = entry.samples[entry.samples.length - 1];
    if (last && at - last.at < SAMPLE_INTERVAL_MS) return;
    const rates: number[] = [];
    for (const s of streams) rates[s.stream] = s.throughput;
    entry.samples.push({ at, rates: Array.from(rates, (r) => r ?? 0) });
    if (entry.samples.length > MAX_SAMPLES) entry.samples = entry.samples.filter((_, i) => i % 2 === 0);
  }

  function onJobEvent(event: JobEvent): void {
    const now = Date.now();
    const known = job(event.jobId);
    switch (event.type) {
      case 'job-state':
        if (known) {
          known.state = event.state;
          known.message = event.message;
          if (event.state === 'running' && !known.startedAt) known.startedAt = new Date(now).toISOString();
        } else reload();
        break;
      case 'progress': {
        const entry = liveOf(event.jobId);
        entry.size = event.size;
        entry.streams = event.streams;
        sample(entry, event.streams, now);
        if (!known) reload();
        break;
      }
      case 'stream-failed':
        liveOf(event.jobId).failures.push({ stream: event.stream, device: event.device, cause: event.cause, at: now });
        break;
      case 'failover':
        liveOf(event.jobId).failovers.push({ from: event.from, to: event.to, chunk: event.chunk, at: now });
        break;
      case 'job-finished':
        if (known) {
          known.state = event.state;
          known.message = event.message;
          known.endedAt ??= new Date(now).toISOString();
        }
        reload();
        break;
    }
  }

  /** Starts a backup; answers its job id, or null (the reason is in actionError). */
  async function start(request: BackupRequestInput): Promise<number | null> {
    starting.value = true;
    try {
      const { jobId } = await api.startBackup(request);
      actionError.value = null;
      void load();
      return jobId;
    } catch (cause) {
      actionError.value = failure('failures.startBackup', cause, { target: request.target });
      return null;
    } finally {
      starting.value = false;
    }
  }

  async function cancel(jobId: number): Promise<boolean> {
    cancelling.value = [...cancelling.value, jobId];
    try {
      const next = await api.cancelJob({ jobId });
      replace(next);
      actionError.value = null;
      return true;
    } catch (cause) {
      actionError.value = failure('failures.cancelJob', cause, { job: jobId });
      return false;
    } finally {
      cancelling.value = cancelling.value.filter((id) => id !== jobId);
    }
  }

  /** The jobs of the site shown now, none of the one before. */
  function siteChanged(): void {
    jobs.value = [];
    live.value = {};
    loaded.value = false;
    error.value = null;
    actionError.value = null;
    cancelling.value = [];
    void load();
  }

  api.on('job', onJobEvent);
  api.on('site', siteChanged);

  return { jobs, loaded, loading, error, live, cancelling, actionError, starting, running, load, job, start, cancel };
});
