// Cheap upper bounds on the number of independent streams, computed before any search: usable
// movers, usable libraries, and two maximum flows with unit capacity on every switch (Menger):
// the paths from the storage to distinct movers, and from distinct movers to distinct libraries,
// that share no switch. Independent streams need at least that many of each. The same flows
// restricted to pinned movers and libraries check that each pinned device can have its own path.
// When a flow falls short, its minimum cut tells the operator where: the switches every path
// must pass, and the devices that block the way.
import type { SanGraph } from './graph';
import type { StreamRules } from './request';
import type { InventoryView } from './view';

export interface FlowBound {
  /** Paths found that share no switch, mover or library (at most the cap asked for). */
  paths: number;
  /** Devices every set of such paths runs through (a minimum cut), when short of the cap. */
  cut: number[];
  /** Devices that cannot be used and are next to what the paths can reach, when short. */
  blocked: number[];
}

/** Paths storage -> distinct usable movers of the requested kind (or only `to`), sharing no switch. */
function storageToMovers(view: InventoryView, cap: number, to?: ReadonlySet<number>): FlowBound {
  const { graph, request } = view;
  return maxFlow(graph, {
    sources: [request.storage],
    unlimitedSources: true,
    isTransit: (v) => graph.isSwitch(v) && view.usable(v),
    isSink: (v) => graph.kinds[v] === request.mover && view.usable(v) && (!to || to.has(v)),
    isBlocked: (v) => (graph.isSwitch(v) || graph.kinds[v] === request.mover) && !view.usable(v),
    cap,
  });
}

/** Paths from distinct usable movers (or `from`) to distinct usable libraries (or only `to`), sharing no switch. */
function moversToLibraries(view: InventoryView, cap: number, from?: readonly number[], to?: ReadonlySet<number>): FlowBound {
  const { graph, request } = view;
  return maxFlow(graph, {
    sources: (from ?? graph.ofKind(request.mover)).filter((v) => view.usable(v)),
    unlimitedSources: false,
    isTransit: (v) => graph.isSwitch(v) && view.usable(v),
    isSink: (v) => graph.kinds[v] === 'library' && view.usable(v) && (!to || to.has(v)),
    isBlocked: (v) => (graph.isSwitch(v) || graph.kinds[v] === 'library') && !view.usable(v),
    cap,
  });
}

interface FlowProblem {
  sources: readonly number[];
  /** The sources may start any number of paths (the storage), else one each (the movers). */
  unlimitedSources: boolean;
  /** Devices a path may pass through, once. */
  isTransit: (v: number) => boolean;
  /** Devices a path may end at, once each. */
  isSink: (v: number) => boolean;
  /** Devices of the kinds this flow is about that cannot be used (for `blocked`). */
  isBlocked: (v: number) => boolean;
  cap: number;
}

const IN = 0;
const OUT = 1;

/**
 * Augmenting paths (depth first) over the residual graph, with every device split into an in and an out side
 * joined by a unit-capacity arc (unlimited for an unlimited source). States are `2 * v + side`.
 */
function maxFlow(graph: SanGraph, problem: FlowProblem): FlowBound {
  const { sources, isTransit, isSink } = problem;
  const n = graph.size;
  const isSource = new Uint8Array(n);
  for (const s of sources) isSource[s] = 1;
  /** Paths over each link entry, in its direction (links themselves are not limited). */
  const linkFlow = new Uint8Array(graph.linkEnd(n - 1));
  /** Whether a path passes through (or starts or ends at) a device. */
  const through = new Uint8Array(n);
  const parentLink = new Int32Array(2 * n);
  const parent = new Int32Array(2 * n);
  const seen = new Uint8Array(2 * n);
  const canLeave = (v: number) => isSource[v] === 1 || isTransit(v);
  const canEnter = (v: number) => isSource[v] === 0 && (isTransit(v) || isSink(v));

  /** Depth first over the residual graph; returns the free sink state reached, or -1. */
  const augmentingPath = (): number => {
    seen.fill(0);
    const stack: number[] = [];
    for (const s of sources) {
      if (problem.unlimitedSources || through[s] === 0) {
        seen[2 * s + OUT] = 1;
        parent[2 * s + OUT] = -1;
        stack.push(2 * s + OUT);
      }
    }
    const visit = (state: number, from: number, link: number) => {
      if (seen[state]) return;
      seen[state] = 1;
      parent[state] = from;
      parentLink[state] = link;
      stack.push(state);
    };
    while (stack.length > 0) {
      const state = stack.pop()!;
      const v = state >> 1;
      if ((state & 1) === IN) {
        if (isSink(v) && isSource[v] === 0) {
          if (through[v] === 0) return state;
        } else if (through[v] === 0) {
          visit(2 * v + OUT, state, -1);
        }
        // Undo flow that entered v: go back to where it came from.
        for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
          if (linkFlow[graph.reverseOf(e)]! > 0) visit(2 * graph.peerOf(e) + OUT, state, e);
        }
      } else {
        if (!canLeave(v)) continue;
        if (through[v] === 1 && isSource[v] === 0) visit(2 * v + IN, state, -1);
        for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
          const w = graph.peerOf(e);
          if (canEnter(w)) visit(2 * w + IN, state, e);
        }
      }
    }
    return -1;
  };

  let paths = 0;
  while (paths < problem.cap) {
    const end = augmentingPath();
    if (end < 0) break;
    paths++;
    through[end >> 1] = 1;
    for (let state = end; parent[state] !== -1; state = parent[state]!) {
      const from = parent[state]!;
      const link = parentLink[state]!;
      if (link < 0) through[state >> 1] = (state & 1) === OUT ? 1 : 0;
      else if ((from & 1) === OUT) linkFlow[link]!++;
      else linkFlow[graph.reverseOf(link)]!--;
      if (parent[from] === -1) through[from >> 1] = 1;
    }
  }
  if (paths >= problem.cap) return { paths, cut: [], blocked: [] };

  // The last search marked everything reachable: the cut is where it stopped.
  const cut: number[] = [];
  const blocked = new Set<number>();
  for (let v = 0; v < n; v++) {
    if (seen[2 * v + IN] && !seen[2 * v + OUT] && isSource[v] === 0) cut.push(v);
    if (!seen[2 * v + OUT] || !canLeave(v)) continue;
    for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
      const w = graph.peerOf(e);
      if (problem.isBlocked(w)) blocked.add(w);
    }
  }
  return { paths, cut, blocked: [...blocked] };
}

export interface CountBound {
  usable: number;
  total: number;
  /** The devices of this kind that cannot be used, when fewer than the cap are usable. */
  blocked: number[];
}

/** A flow that must give each pinned device its own path. */
export interface PinnedBound {
  side: 'storage to movers' | 'movers to libraries' | 'to libraries';
  pinned: number[];
  flow: FlowBound;
}

export interface Bounds {
  movers: CountBound;
  libraries: CountBound;
  fromStorage: FlowBound;
  toLibraries: FlowBound;
  /** No more independent streams than this exist (capped). */
  streams: number;
  /** The pinned devices that cannot all have their own path; empty when they can. */
  pinned: PinnedBound[];
}

/** Every bound, each capped at `cap`; counting stops as soon as the cap is reached. */
export function streamBounds(view: InventoryView, cap: number): Bounds {
  const { graph, request } = view;
  const movers = countUsable(graph.ofKind(request.mover), (v) => view.usable(v), cap);
  const hasTape = (v: number) => view.rankedTapes(v).some((tape) => !request.excludedTapes.has(tape));
  const libraries = countUsable(graph.ofKind('library'), (v) => view.usable(v) && hasTape(v), cap);
  const fromStorage = storageToMovers(view, cap);
  const toLibraries = moversToLibraries(view, cap);
  const streams = Math.min(cap, movers.usable, libraries.usable, fromStorage.paths, toLibraries.paths);
  return { movers, libraries, fromStorage, toLibraries, streams, pinned: pinnedBounds(view) };
}

function pinnedBounds(view: InventoryView): PinnedBound[] {
  // Pinned devices that cannot be used at all are reported on their own (see reasons.ts).
  const pinned = (of: (r: StreamRules) => number | null) =>
    view.request.rules.flatMap((r) => {
      const v = of(r);
      return v !== null && view.usable(v) ? [v] : [];
    });
  const movers = pinned((r) => r.mover);
  const libraries = pinned((r) => r.library);
  const short: PinnedBound[] = [];
  const check = (side: PinnedBound['side'], pinned: number[], flow: () => FlowBound) => {
    if (pinned.length === 0) return;
    const bound = flow();
    if (bound.paths < pinned.length) short.push({ side, pinned, flow: bound });
  };
  check('storage to movers', movers, () => storageToMovers(view, movers.length, new Set(movers)));
  check('movers to libraries', movers, () => moversToLibraries(view, movers.length, movers));
  check('to libraries', libraries, () => moversToLibraries(view, libraries.length, undefined, new Set(libraries)));
  return short;
}

function countUsable(devices: readonly number[], usable: (v: number) => boolean, cap: number): CountBound {
  let count = 0;
  for (const v of devices) {
    if (usable(v) && ++count >= cap) return { usable: count, total: devices.length, blocked: [] };
  }
  return { usable: count, total: devices.length, blocked: devices.filter((v) => !usable(v)) };
}
