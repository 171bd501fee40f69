// The operator's path choice in the SAN view: the target, the mode (mirrored reserves backup
// servers, failover copy devices), how many streams, and the devices or tapes pinned to or
// excluded from each stream (or excluded from every stream). Every change is checked with the
// engine's stream plan; the same constraints start the backup, so what runs is what was shown.
// When the site changes the choice starts over (its devices and targets may be gone).
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { BackupMode, BackupRequestInput, StreamConstraint, StreamPlan, StreamRequestInput, TargetView } from '../../../../engine/contract';
import { useApi } from '../../api/client';
import { messageOf } from '../errors';

/** The number of streams the view offers (the engine allows up to 8). */
export const STREAM_CHOICES = [2, 3, 4] as const;
const FEWEST_STREAMS = STREAM_CHOICES[0];
const MOST_STREAMS = STREAM_CHOICES[STREAM_CHOICES.length - 1]!;

/** What a click on a device of the graph does: open its details, or also pin or exclude it. */
export type ClickTool = 'details' | 'pin' | 'exclude';

/** A device's part in the choice: pinned to or excluded from a stream, or excluded from all (stream null). */
export interface Choice {
  kind: 'pin' | 'exclude';
  stream: number | null;
}

export const usePathsStore = defineStore('san-paths', () => {
  const target = ref<TargetView | null>(null);
  const mode = ref<BackupMode>('mirrored');
  const streams = ref(2);
  /** Per stream, for every stream the view offers (those above `streams` are kept, not sent). */
  const constraints = ref<StreamConstraint[]>(Array.from({ length: MOST_STREAMS }, () => ({ pin: [], exclude: [] })));
  /** Excluded from every stream. */
  const everywhere = ref<string[]>([]);

  const tool = ref<ClickTool>('details');
  /** The stream the tool (and the details panel's buttons) apply to; null: every stream (exclude only). */
  const toolStream = ref<number | null>(0);

  const plan = ref<StreamPlan | null>(null);
  /** Why the engine refused the request itself (e.g. a device pinned twice). */
  const planError = ref<string | null>(null);
  const checking = ref(false);
  const starting = ref(false);
  const startError = ref<string | null>(null);
  const startedJob = ref<number | null>(null);
  /** Whether the graph should draw the plan: not just after it started (its devices are then the job's). */
  const showPlan = ref(true);

  /** Each sent stream's constraints: its own, plus what every stream excludes; trailing empty ones left out. */
  const sentConstraints = computed<StreamConstraint[]>(() => {
    const list = constraints.value.slice(0, streams.value).map((c) => ({ pin: [...c.pin], exclude: [...new Set([...c.exclude, ...everywhere.value])] }));
    while (list.length > 0 && list[list.length - 1]!.pin.length === 0 && list[list.length - 1]!.exclude.length === 0) list.pop();
    return list;
  });

  const streamRequest = computed<StreamRequestInput>(() => ({
    streams: streams.value,
    mover: mode.value === 'mirrored' ? 'backup-server' : 'copy-device',
    ...(target.value ? { storage: target.value.storage } : {}),
    constraints: sentConstraints.value,
  }));

  const backupRequest = computed<BackupRequestInput | null>(() =>
    target.value ? { target: target.value.name, mode: mode.value, streams: streams.value, constraints: sentConstraints.value } : null,
  );

  const canRun = computed(
    () => !!backupRequest.value && showPlan.value && !checking.value && !starting.value && plan.value?.feasible === true && planError.value === null,
  );

  /** What the choice says about a device or tape. */
  function choicesOf(id: string): Choice[] {
    const found: Choice[] = [];
    constraints.value.slice(0, streams.value).forEach((c, stream) => {
      if (c.pin.includes(id)) found.push({ kind: 'pin', stream });
      if (c.exclude.includes(id)) found.push({ kind: 'exclude', stream });
    });
    if (everywhere.value.includes(id)) found.push({ kind: 'exclude', stream: null });
    return found;
  }

  function remove(id: string): void {
    for (const c of constraints.value) {
      c.pin = c.pin.filter((x) => x !== id);
      c.exclude = c.exclude.filter((x) => x !== id);
    }
    everywhere.value = everywhere.value.filter((x) => x !== id);
  }

  /** Pins a device or tape to one stream (a device serves one stream: any other choice of it goes). */
  function pin(stream: number, id: string): void {
    remove(id);
    constraints.value[stream]!.pin.push(id);
  }

  /** Excludes a device or tape from one stream, or from every stream (stream null). */
  function exclude(stream: number | null, id: string): void {
    remove(id);
    if (stream === null) everywhere.value.push(id);
    else constraints.value[stream]!.exclude.push(id);
  }

  /** Pins or excludes, or undoes that same choice when it is already made. */
  function toggle(kind: Choice['kind'], stream: number | null, id: string): 'added' | 'removed' {
    if (choicesOf(id).some((c) => c.kind === kind && c.stream === stream)) {
      remove(id);
      return 'removed';
    }
    if (kind === 'pin') pin(stream ?? 0, id);
    else exclude(stream, id);
    return 'added';
  }

  function clear(): void {
    for (const c of constraints.value) {
      c.pin = [];
      c.exclude = [];
    }
    everywhere.value = [];
  }

  function setStreams(n: number): void {
    streams.value = Math.min(MOST_STREAMS, Math.max(FEWEST_STREAMS, Math.round(n)));
    if (toolStream.value !== null && toolStream.value >= streams.value) toolStream.value = streams.value - 1;
  }

  let asked = 0;
  /** Asks the engine for the plan of the current choice; a later answer replaces an earlier one. */
  async function check(): Promise<void> {
    const request = streamRequest.value;
    if (!target.value) {
      plan.value = null;
      planError.value = null;
      return;
    }
    const mine = ++asked;
    checking.value = true;
    try {
      const answer = await useApi().planStreams(request);
      if (mine !== asked) return;
      plan.value = answer;
      planError.value = null;
    } catch (cause) {
      if (mine !== asked) return;
      plan.value = null;
      planError.value = messageOf(cause);
    } finally {
      if (mine === asked) checking.value = false;
    }
  }

  /** Starts the backup with this plan's constraints; answers the job id (or null on failure). */
  async function run(): Promise<number | null> {
    const request = backupRequest.value;
    if (!request || !canRun.value) return null;
    starting.value = true;
    startError.value = null;
    try {
      const { jobId } = await useApi().startBackup(request);
      startedJob.value = jobId;
      showPlan.value = false;
      return jobId;
    } catch (cause) {
      startError.value = messageOf(cause);
      return null;
    } finally {
      starting.value = false;
    }
  }

  useApi().on('site', () => {
    clear();
    asked++;
    target.value = null;
    plan.value = null;
    planError.value = null;
    checking.value = false;
    startError.value = null;
    startedJob.value = null;
    showPlan.value = true;
  });

  // Only exclusion applies to every stream at once.
  watch(tool, (next) => {
    if (next === 'pin' && toolStream.value === null) toolStream.value = 0;
  });

  // Every change of the choice is checked (changes made together are checked once).
  watch(
    () => JSON.stringify(streamRequest.value),
    () => {
      showPlan.value = true;
      void check();
    },
  );

  return {
    target,
    mode,
    streams,
    constraints,
    everywhere,
    tool,
    toolStream,
    plan,
    planError,
    checking,
    starting,
    startError,
    startedJob,
    showPlan,
    sentConstraints,
    streamRequest,
    backupRequest,
    canRun,
    choicesOf,
    pin,
    exclude,
    toggle,
    remove,
    clear,
    setStreams,
    check,
    run,
  };
});
