// What the SAN graph shows, worked out from the site, the live jobs and the path choice: each
// node's state in words (never colour alone), the routes of planned and running streams, the
// pin/exclude chips, the zones. Pure functions; the words come from the caller's translator.
import type { DeviceKind, DeviceView, PlannedStream, StreamOutcome, TargetView, Zone } from '../../../engine/contract';
import { formatRate } from './format';
import type { MarkDisplay, NodeDisplay, RouteDisplay, ZoneDisplay } from './scene';
import type { Choice } from './stores/paths';
import { deviceRoute, plannedRoute, zoneEdges, type Topology } from './topology';
import type { LiveJob } from './useLiveJobs';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

export const KIND_KEYS: Record<DeviceKind, string> = {
  host: 'host',
  storage: 'storage',
  'backup-server': 'backupServer',
  'copy-device': 'copyDevice',
  library: 'library',
  switch: 'switch',
};

/** Kinds a stream is made of (besides the storage its target is on): pinnable and excludable. */
export function choosable(kind: DeviceKind): boolean {
  return kind !== 'host' && kind !== 'storage';
}

/** The state of a device or tape in words: `available`, `unavailable`, `in use: job 3, stream 0`. */
export function stateWords(t: Translate, item: Pick<DeviceView, 'state' | 'holder'>): string {
  if (item.holder) return t('san.state.heldBy', { job: item.holder.jobId, stream: item.holder.stream });
  return t(item.state === 'in-use' ? 'san.state.inUse' : `san.state.${item.state}`);
}

/** Per device id: the live stream it serves in a running job. */
function liveStreamsByDevice(jobs: readonly LiveJob[]): Map<string, { job: LiveJob; stream: LiveJob['streams'][number] }> {
  const found = new Map<string, { job: LiveJob; stream: LiveJob['streams'][number] }>();
  for (const job of jobs) {
    if (job.finished) continue;
    for (const stream of job.streams) {
      const { mover, library, switches, tapes } = stream.outcome;
      for (const id of [mover, library, ...switches, ...tapes]) found.set(id, { job, stream });
    }
  }
  return found;
}

export function nodeDisplays(
  t: Translate,
  locale: string,
  topology: Topology,
  devices: ReadonlyMap<string, DeviceView>,
  jobs: readonly LiveJob[],
  choicesOf: (id: string) => Choice[],
): NodeDisplay[] {
  const live = liveStreamsByDevice(jobs);
  return topology.nodes.map((node) => {
    const device = devices.get(node.id);
    const state = device?.state ?? 'unavailable';
    const holder = device?.holder ?? null;
    const stateText = device ? stateWords(t, device) : t('san.state.unknown');
    const serving = live.get(node.id);
    let detail = '';
    if (serving && (!holder || holder.jobId === serving.job.jobId)) {
      const { outcome, throughput } = serving.stream;
      if (outcome.status === 'failed') detail = t('san.detail.failed');
      else if (outcome.status === 'unused') detail = t('san.detail.standby');
      else if (outcome.status === 'reserved') detail = t('san.detail.reserved');
      else if (node.id === outcome.mover) detail = formatRate(throughput, locale);
      else if (node.id === outcome.library && outcome.tapes.length > 0) detail = t('san.detail.tape', { tape: outcome.tapes[outcome.tapes.length - 1] });
    }
    const choices = choicesOf(node.id).map((c) => choiceWords(t, c));
    const kind = t(`san.kind.${KIND_KEYS[node.kind]}`);
    const label = [t('san.nodeLabel', { kind, name: node.name, id: node.id, state: stateText }), detail, ...choices].filter(Boolean).join('; ');
    return { state, stateText, detail, stream: holder?.stream ?? null, label };
  });
}

/** `pinned to stream 1`, `excluded from every stream`. */
export function choiceWords(t: Translate, choice: Choice): string {
  if (choice.kind === 'pin') return t('san.choice.pinnedTo', { stream: choice.stream ?? 0 });
  return choice.stream === null ? t('san.choice.excludedEverywhere') : t('san.choice.excludedFrom', { stream: choice.stream });
}

export function markDisplays(t: Translate, topology: Topology, choicesOf: (id: string) => Choice[], tapeLibrary: ReadonlyMap<string, string>, chosen: readonly string[]): MarkDisplay[] {
  const marks: MarkDisplay[] = [];
  for (const id of chosen) {
    // A tape's choice is shown on its library.
    const node = topology.index.get(id) ?? topology.index.get(tapeLibrary.get(id) ?? '');
    if (node === undefined) continue;
    const tape = !topology.index.has(id);
    for (const c of choicesOf(id)) {
      const text =
        c.kind === 'pin' ? t(tape ? 'san.mark.pinTape' : 'san.mark.pin', { stream: c.stream ?? 0 }) : c.stream === null ? t('san.mark.excludeAll') : t(tape ? 'san.mark.excludeTape' : 'san.mark.exclude', { stream: c.stream });
      marks.push({ node, kind: c.kind, stream: c.stream, text });
    }
  }
  return marks;
}

const STYLE_OF: Record<StreamOutcome['status'], RouteDisplay['style']> = {
  reserved: 'live',
  running: 'live',
  completed: 'live',
  failed: 'failed',
  unused: 'standby',
};

/** The routes of the streams of running jobs. */
export function liveRoutes(t: Translate, locale: string, topology: Topology, jobs: readonly LiveJob[], storageOf: (target: string) => string | null): RouteDisplay[] {
  const routes: RouteDisplay[] = [];
  for (const job of jobs) {
    if (job.finished) continue;
    const storage = storageOf(job.target);
    if (!storage) continue;
    for (const s of job.streams) {
      const nodes = deviceRoute(topology, storage, s.outcome);
      if (nodes.length < 2) continue;
      const status = t(`san.live.streamStatus.${s.outcome.status}`);
      const title = t('san.route.live', { job: job.jobId, stream: s.outcome.stream, status, rate: formatRate(s.throughput, locale) });
      routes.push({ key: `job-${job.jobId}-${s.outcome.stream}`, nodes, stream: s.outcome.stream, style: STYLE_OF[s.outcome.status], title });
    }
  }
  return routes;
}

/** The routes of the streams a plan would reserve. */
export function planRoutes(t: Translate, topology: Topology, streams: readonly PlannedStream[], storage: string | null): RouteDisplay[] {
  return streams.flatMap((s) => {
    const nodes = plannedRoute(topology, s, storage);
    if (nodes.length < 2) return [];
    return [{ key: `plan-${s.stream}`, nodes, stream: s.stream, style: 'planned' as const, title: t('san.route.planned', { stream: s.stream, mover: s.mover, library: s.library, tape: s.tape }) }];
  });
}

export function zoneDisplays(topology: Topology, zones: readonly Zone[]): ZoneDisplay[] {
  return zones.map((zone) => ({ key: `${zone.jobId}-${zone.stream}-${zone.name}`, name: zone.name, stream: zone.stream, edges: zoneEdges(topology, zone) }));
}

/** The storage a target's data is read from. */
export function storageOfTarget(targets: readonly TargetView[], name: string): string | null {
  return targets.find((t) => t.name === name)?.storage ?? null;
}
