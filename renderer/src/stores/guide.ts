// The first-run guide: on a demo site, a short tour of a first backup and restore (look at the
// SAN graph, run a mirrored backup over 2 streams, watch it to its end, restore a file). Steps
// are marked done as the operator does them: the SAN view opened; from the `job` events, a
// mirrored backup over 2 streams or more that the operator started (not a schedule's); its job
// page seen once it ended with a copy on tape; a restore ended well (each job is looked up once). Dismissed, or done, it is never shown again: that and the steps done
// are remembered in localStorage, which the desktop window and the browser host both keep.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Job, JobEvent } from '../../../engine/contract';
import { useApi } from '../api/client';
import { recall, remember } from './browserStorage';
import { useNavStore } from './nav';
import { useSiteStore } from './site';

export const GUIDE_STORAGE_KEY = 'mpbackup.guide';
export const GUIDE_STEPS = ['san', 'backup', 'watch', 'restore'] as const;
export type GuideStep = (typeof GUIDE_STEPS)[number];

/** open: being followed; dismissed: the operator said so; done: every step was. */
export type GuideStatus = 'open' | 'dismissed' | 'done';

interface Remembered {
  status: GuideStatus;
  done: GuideStep[];
  /** The backup the operator ran for it, for "watch it". */
  backupJob: number | null;
}

const FRESH: Remembered = { status: 'open', done: [], backupJob: null };

function remembered(): Remembered {
  try {
    const raw = JSON.parse(recall(GUIDE_STORAGE_KEY) ?? 'null') as Partial<Remembered> | null;
    if (!raw || typeof raw !== 'object') return { ...FRESH };
    const status = raw.status === 'dismissed' || raw.status === 'done' ? raw.status : 'open';
    const done = Array.isArray(raw.done) ? GUIDE_STEPS.filter((s) => raw.done!.includes(s)) : [];
    return { status, done, backupJob: typeof raw.backupJob === 'number' ? raw.backupJob : null };
  } catch {
    return { ...FRESH };
  }
}

const GOOD_BACKUP: readonly Job['state'][] = ['succeeded', 'succeeded-degraded'];

export const useGuideStore = defineStore('guide', () => {
  const api = useApi();
  const siteStore = useSiteStore();
  const nav = useNavStore();
  const start = remembered();
  const status = ref<GuideStatus>(start.status);
  const done = ref<GuideStep[]>(start.done);
  const backupJob = ref<number | null>(start.backupJob);
  /** Every step was done in this session: the panel says so until the operator closes it. */
  const finishedNow = ref(false);
  /** Job id -> the job as first looked up (its kind, mode, streams, schedule do not change). */
  const jobs = new Map<number, Promise<Job | null>>();
  /** Backups of this session that ended with a copy on tape. */
  const endedWell = new Set<number>();

  const onDemoSite = computed(() => siteStore.site?.demo === true);
  const visible = computed(() => onDemoSite.value && (status.value === 'open' || finishedNow.value));
  const next = computed<GuideStep | null>(() => GUIDE_STEPS.find((s) => !done.value.includes(s)) ?? null);

  function persist(): void {
    remember(GUIDE_STORAGE_KEY, JSON.stringify({ status: status.value, done: done.value, backupJob: backupJob.value }));
  }

  function isDone(step: GuideStep): boolean {
    return done.value.includes(step);
  }

  function mark(...steps: GuideStep[]): void {
    if (status.value !== 'open' || steps.every(isDone)) return;
    done.value = GUIDE_STEPS.filter((s) => isDone(s) || steps.includes(s));
    if (done.value.length === GUIDE_STEPS.length) {
      status.value = 'done';
      finishedNow.value = true;
    }
    persist();
  }

  function dismiss(): void {
    if (status.value === 'open') status.value = 'dismissed';
    finishedNow.value = false;
    persist();
  }

  function jobOf(jobId: number): Promise<Job | null> {
    let job = jobs.get(jobId);
    if (!job) {
      job = api.getJob({ jobId }).then(
        (detail) => detail.job,
        () => null,
      );
      jobs.set(jobId, job);
    }
    return job;
  }

  /** The backup the guide asks for: mirrored, over 2 streams or more, started by the operator. */
  function isGuideBackup(job: Job): boolean {
    return job.kind === 'backup' && job.mode === 'mirrored' && job.streams >= 2 && job.scheduleId === null;
  }

  /** "Watch it" is done once the guide's backup ended well and its page is open. */
  function checkWatched(): void {
    const id = backupJob.value;
    if (id !== null && endedWell.has(id) && nav.view === 'jobs' && nav.param === String(id)) mark('watch');
  }

  async function onJobEvent(event: JobEvent): Promise<void> {
    if (status.value !== 'open' || !onDemoSite.value) return;
    if (event.type !== 'job-state' && event.type !== 'job-finished') return;
    const job = await jobOf(event.jobId);
    if (!job) return;
    if (isGuideBackup(job)) {
      if (!isDone('watch')) backupJob.value = event.jobId;
      if (event.type === 'job-finished' && GOOD_BACKUP.includes(event.state)) endedWell.add(event.jobId);
      mark('backup');
      persist();
      checkWatched();
    } else if (job.kind === 'restore' && event.type === 'job-finished' && event.state === 'succeeded') mark('restore');
  }

  watch(
    [() => nav.view, () => nav.param, onDemoSite],
    ([view, , demo]) => {
      if (!demo) return;
      if (view === 'san') mark('san');
      checkWatched();
    },
    { immediate: true },
  );
  api.on('job', (event) => void onJobEvent(event));
  // Job numbers start again in another site.
  api.on('site', (change) => {
    jobs.clear();
    endedWell.clear();
    if (change.reason !== 'config-saved' && !isDone('watch')) {
      backupJob.value = null;
      persist();
    }
  });

  return { status, done, backupJob, finishedNow, visible, next, isDone, mark, dismiss };
});
