// A restore from the operator's side (SPEC "Restore", 2020-2110): the basket (entries of one
// backup; entries of another wait for the operator to say whether they replace it), the
// destination and the conflict policy, the plan the engine would follow (tapes in load order,
// chunks and their sources, and per basket entry the chunks it needs, for the fragment map), the
// job started from that plan followed by its events to its end, and its report. When another
// site is opened all of it goes (its backups are another site's); when this one reopens with a new
// config, the plan goes (its devices may have changed) and the basket stays.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { BackupDetail, ConflictPolicy, JobEvent, JobState, LogEvent, RestorePlan, RestoreRequestInput, RestoreResult, SiteChange } from '../../../engine/contract';
import { FINISHED_JOB_STATES } from '../../../engine/contract';
import { useApi } from '../api/client';
import { addToBasket, byBackup, destinationProblem, type BasketItem } from '../restore/basket';
import type { RestorePick } from '../restore/picks';
import { useCatalogStore } from './catalog';
import { failure, type Failure } from './failure';
import { jobFollower } from './jobFollower';

/** Log entries of the running restore kept on screen. */
const LOG_KEPT = 6;

/** The chunks of the backup stream one basket entry needs (a file or a folder is one run of them). */
export interface ItemRange {
  path: string;
  type: BasketItem['type'];
  firstChunk: number;
  lastChunk: number;
  chunks: number;
  entries: number;
  bytes: number;
}

export interface PlannedRestore {
  /** The request it answers (see requestKey). */
  key: string;
  plan: RestorePlan;
  detail: BackupDetail | null;
  ranges: ItemRange[];
  /** Basket entries the plan has no place for (none when the engine answers for each). */
  unmapped: number;
}

/** Entries of another backup, waiting for the operator to say whether they replace the basket. */
export interface MixedPick {
  backupId: number;
  picks: RestorePick[];
  /** Further backups among the same picks (never added). */
  others: number;
}

export interface RunningRestore {
  jobId: number;
  state: JobState;
  message: string | null;
  /** Bytes of chunks read, of `size`. */
  bytes: number;
  size: number | null;
  chunks: number;
  throughput: number;
  log: LogEvent[];
}

export const useRestoreStore = defineStore('restore', () => {
  const api = useApi();
  const catalog = useCatalogStore();
  const follower = jobFollower(api);

  const backupId = ref<number | null>(null);
  const items = ref<BasketItem[]>([]);
  const mixed = ref<MixedPick | null>(null);
  const lastAdd = ref<{ added: number; covered: number } | null>(null);
  const destination = ref('');
  const onConflict = ref<ConflictPolicy>('rename');
  const planned = shallowRef<PlannedRestore | null>(null);
  const planning = ref(false);
  const planError = ref<Failure | null>(null);
  const run = ref<RunningRestore | null>(null);
  const starting = ref(false);
  const cancelling = ref(false);
  const runError = ref<Failure | null>(null);
  const result = shallowRef<RestoreResult | null>(null);
  const resultError = ref<Failure | null>(null);
  let unfollow: (() => void) | null = null;

  const backup = computed(() => (backupId.value === null ? null : (catalog.backupById.get(backupId.value) ?? null)));
  const request = computed<RestoreRequestInput | null>(() =>
    backupId.value === null || items.value.length === 0
      ? null
      : {
          backupId: backupId.value,
          paths: items.value.some((i) => i.path === '') ? [] : items.value.map((i) => i.path).sort(),
          destination: destination.value.trim(),
          onConflict: onConflict.value,
        },
  );
  const requestKey = computed(() => (request.value ? JSON.stringify(request.value) : ''));
  const planCurrent = computed(() => planned.value !== null && planned.value.key === requestKey.value);
  const problem = computed(() => destinationProblem(destination.value));
  const running = computed(() => run.value !== null && !FINISHED_JOB_STATES.includes(run.value.state));
  const paths = computed(() => new Set(items.value.map((i) => i.path)));

  /** Picks into the basket; those of another backup than the basket's wait in `mixed`. */
  function add(picks: readonly RestorePick[]): void {
    if (running.value || picks.length === 0) return;
    const groups = byBackup(picks);
    const own = backupId.value ?? groups.keys().next().value!;
    const mine = groups.get(own) ?? [];
    groups.delete(own);
    if (mine.length > 0) {
      const next = addToBasket(backupId.value === own ? items.value : [], mine);
      backupId.value = own;
      items.value = next.items;
      lastAdd.value = { added: next.added, covered: next.covered };
    }
    const [other] = groups;
    mixed.value = other ? { backupId: other[0], picks: other[1], others: groups.size - 1 } : null;
  }

  /** The waiting entries of another backup take the basket's place. */
  function replaceWithMixed(): void {
    const waiting = mixed.value;
    if (!waiting || running.value) return;
    backupId.value = null;
    items.value = [];
    mixed.value = null;
    add(waiting.picks);
  }

  function keepBasket(): void {
    mixed.value = null;
  }

  function remove(path: string): void {
    if (running.value) return;
    items.value = items.value.filter((i) => i.path !== path);
    if (items.value.length === 0) backupId.value = null;
  }

  function clear(): void {
    if (running.value) return;
    items.value = [];
    backupId.value = null;
    mixed.value = null;
    lastAdd.value = null;
  }

  function setDestination(text: string): void {
    destination.value = text;
  }

  function setPolicy(policy: ConflictPolicy): void {
    onConflict.value = policy;
  }

  /** Where each basket entry lies in the stream, from the plan's selections (one per path asked for). */
  function rangesOf(plan: RestorePlan): ItemRange[] {
    return items.value.flatMap((item) => {
      const part = plan.selections.find((p) => p.path === item.path);
      if (!part) return [];
      const chunks = plan.chunks.filter((c) => c.index >= part.firstChunk && c.index <= part.lastChunk).length;
      return [{ path: item.path, type: item.type, firstChunk: part.firstChunk, lastChunk: part.lastChunk, chunks, entries: part.entries, bytes: part.bytes }];
    });
  }

  /** Asks the engine for the plan of the basket as it is now. */
  async function plan(): Promise<void> {
    const asked = request.value;
    if (!asked || problem.value !== null || planning.value) return;
    const key = requestKey.value;
    planning.value = true;
    planError.value = null;
    try {
      const [whole, detail] = await Promise.all([api.planRestore(asked), catalog.loadBackupDetail(asked.backupId)]);
      const ranges = rangesOf(whole);
      planned.value = markRaw({ key, plan: markRaw(whole), detail, ranges, unmapped: items.value.length - ranges.length });
    } catch (cause) {
      planned.value = null;
      planError.value = failure('restore.failures.plan', cause, { backup: asked.backupId });
    } finally {
      planning.value = false;
    }
  }

  function onJobEvent(event: JobEvent): void {
    const current = run.value;
    if (!current || event.jobId !== current.jobId) return;
    switch (event.type) {
      case 'job-state':
        current.state = event.state;
        current.message = event.message;
        break;
      case 'progress':
        current.size = event.size;
        current.bytes = event.streams.reduce((sum, s) => sum + s.bytes, 0);
        current.chunks = event.streams.reduce((sum, s) => sum + s.chunks, 0);
        current.throughput = event.streams.reduce((sum, s) => sum + s.throughput, 0);
        break;
      case 'job-finished':
        current.state = event.state;
        current.message = event.message;
        void fetchResult(current.jobId);
        break;
    }
  }

  /** The report of a restore job that has ended. */
  async function fetchResult(jobId: number): Promise<void> {
    try {
      const report = await api.getRestoreJob({ jobId });
      if (run.value?.jobId !== jobId) return;
      result.value = markRaw(report);
      run.value.state = report.job.state;
      run.value.message = report.job.message;
      resultError.value = null;
      cancelling.value = false;
    } catch (cause) {
      if (run.value?.jobId === jobId) resultError.value = failure('restore.failures.report', cause, { job: jobId });
    }
  }

  /** Runs the restore the current plan shows. */
  async function start(): Promise<void> {
    const asked = request.value;
    if (!asked || !planCurrent.value || starting.value || running.value) return;
    starting.value = true;
    runError.value = null;
    try {
      const { jobId } = await api.startRestore(asked);
      unfollow?.();
      result.value = null;
      resultError.value = null;
      run.value = { jobId, state: 'queued', message: null, bytes: 0, size: planned.value?.plan.chunks.reduce((sum, c) => sum + c.length, 0) ?? null, chunks: 0, throughput: 0, log: [] };
      unfollow = follower.follow(jobId, onJobEvent);
    } catch (cause) {
      runError.value = failure('restore.failures.start', cause, { backup: asked.backupId });
    } finally {
      starting.value = false;
    }
  }

  async function cancel(): Promise<void> {
    const current = run.value;
    if (!current || !running.value || cancelling.value) return;
    cancelling.value = true;
    try {
      await api.cancelJob({ jobId: current.jobId });
    } catch (cause) {
      cancelling.value = false;
      runError.value = failure('restore.failures.cancel', cause, { job: current.jobId });
    }
  }

  /** Leaves the report: the basket stays, for another restore. */
  function dismissRun(): void {
    if (running.value) return;
    unfollow?.();
    unfollow = null;
    run.value = null;
    result.value = null;
    resultError.value = null;
    runError.value = null;
  }

  function siteChanged(change: SiteChange): void {
    planned.value = null;
    planError.value = null;
    if (change.reason === 'config-saved') return;
    unfollow?.();
    unfollow = null;
    backupId.value = null;
    items.value = [];
    mixed.value = null;
    lastAdd.value = null;
    destination.value = '';
    run.value = null;
    result.value = null;
    resultError.value = null;
    runError.value = null;
    cancelling.value = false;
  }

  api.on('site', siteChanged);
  api.on('log', (entry) => {
    const current = run.value;
    if (!current || entry.jobId !== current.jobId) return;
    current.log = [...current.log, entry].slice(-LOG_KEPT);
  });

  return {
    backupId,
    items,
    mixed,
    lastAdd,
    destination,
    onConflict,
    planned,
    planning,
    planError,
    run,
    starting,
    cancelling,
    runError,
    result,
    resultError,
    backup,
    request,
    requestKey,
    planCurrent,
    problem,
    running,
    paths,
    add,
    replaceWithMixed,
    keepBasket,
    remove,
    clear,
    setDestination,
    setPolicy,
    plan,
    start,
    cancel,
    fetchResult,
    dismissRun,
  };
});
