// Why fewer streams exist than were asked for, in an operator's words: the bottleneck (too few
// usable movers or libraries, paths that must share a switch, a pinned device that cannot be
// used) and the devices in the way, each with its state or holder.
import type { StreamRules } from './request';
import type { Bounds, FlowBound } from './bounds';
import { reachFrom, SearchBudget } from './paths';
import { tapeProblem } from './tapes';
import type { InventoryView } from './view';
import { counted, kindName, plural, shortList, stateText } from './wording';

export interface SearchOutcome {
  impossible: number | null;
  gaveUp: boolean;
  budget: number;
}

/** Problems that rule streams out before any search: the storage, and pinned devices. */
export function blockingProblems(view: InventoryView): string[] {
  const { graph, request } = view;
  const problems: string[] = [];
  if (view.state(request.storage) === 'unavailable') problems.push(`${graph.ids[request.storage]} is unavailable`);
  for (const rules of request.rules) {
    for (const v of [rules.mover, rules.library, ...rules.switches]) {
      if (v === null || view.usable(v)) continue;
      problems.push(`stream ${rules.stream} pins ${graph.ids[v]}, which is ${stateText(view.status(v))}`);
    }
    if (rules.library !== null && view.usable(rules.library) && view.tapeFor(rules, rules.library) === null) {
      const what = rules.tape === null ? libraryProblem(view, rules.library, rules) : `${rules.tape} is ${tapeProblem(view.inventory, rules.tape)}`;
      problems.push(`stream ${rules.stream} pins ${rules.tape ?? graph.ids[rules.library]}, but ${what}`);
    }
  }
  return problems;
}

/** The full reason: how many streams there are, then what stands in the way. */
export function explain(view: InventoryView, found: number, problems: string[], bounds: Bounds, outcome: SearchOutcome | null): string {
  const k = view.request.streams;
  const head = found === 0 ? `no stream is possible (${k} needed)` : `only ${plural(found, 'independent stream', 'independent streams')} (${k} needed)`;
  const parts = [...problems, ...boundProblems(view, bounds, k)];
  if (parts.length === 0 && outcome) {
    if (outcome.gaveUp) {
      parts.push(
        `the search stopped after ${outcome.budget} steps before it could decide whether ${k} independent streams exist; ` +
          'pin a mover or a library per stream to narrow it down',
      );
    } else if (outcome.impossible !== null) {
      parts.push(impossibleStream(view, view.request.rules[outcome.impossible]!));
    } else {
      parts.push(sharedSwitches(view, found + 1));
    }
  }
  return `${head}: ${parts.join('; ')}`;
}

function boundProblems(view: InventoryView, bounds: Bounds, k: number): string[] {
  const { graph, request } = view;
  const movers = kindName(request.mover, 2);
  const parts: string[] = [];
  if (bounds.movers.usable < k) {
    const list = bounds.movers.blocked.map((v) => `${graph.ids[v]} is ${deviceProblem(view, v)}`);
    parts.push(`${bounds.movers.usable} of ${counted(bounds.movers.total, request.mover)} can be used${listed(list)}`);
  }
  if (bounds.libraries.usable < k) {
    const list = bounds.libraries.blocked.map((v) => libraryProblem(view, v));
    parts.push(`${bounds.libraries.usable} of ${counted(bounds.libraries.total, 'library')} can be used${listed(list)}`);
  }
  const devices = Math.min(k, bounds.movers.usable, bounds.libraries.usable);
  const storage = graph.ids[request.storage]!;
  if (bounds.fromStorage.paths < devices) {
    const what =
      bounds.fromStorage.paths === 0
        ? `no path leads from ${storage} to a usable ${kindName(request.mover)}`
        : `${storage} reaches only ${counted(bounds.fromStorage.paths, request.mover)} over paths that share no switch`;
    parts.push(what + flowDetails(view, bounds.fromStorage));
  }
  if (bounds.toLibraries.paths < Math.min(devices, bounds.fromStorage.paths)) {
    const what =
      bounds.toLibraries.paths === 0
        ? `no usable ${kindName(request.mover)} has a path to a usable library`
        : `the usable ${movers} reach only ${counted(bounds.toLibraries.paths, 'library')} over paths that share no switch`;
    parts.push(what + flowDetails(view, bounds.toLibraries));
  }
  for (const { side, pinned, flow } of bounds.pinned) {
    const named = `${side === 'to libraries' ? 'libraries' : movers} ${shortList(pinned.map((v) => graph.ids[v]!))}`;
    const paths = flow.paths === 0 ? 'no path' : flow.paths === 1 ? 'only 1 path' : `only ${flow.paths} paths that share no switch`;
    const what =
      side === 'storage to movers'
        ? `${storage} reaches the pinned ${named} over ${paths}`
        : side === 'movers to libraries'
          ? `the pinned ${named} reach libraries over ${paths}`
          : `the pinned ${named} are reached from ${movers} over ${paths}`;
    parts.push(what + flowDetails(view, flow));
  }
  return parts;
}

/** Where a flow is stuck: the switches all its paths pass and the devices blocking the way. */
function flowDetails(view: InventoryView, flow: FlowBound): string {
  const { graph } = view;
  let details = '';
  const narrow = flow.cut.filter((v) => graph.isSwitch(v)).map((v) => graph.ids[v]!);
  if (narrow.length === 1) details += `; every such path passes through ${narrow[0]}`;
  if (narrow.length > 1) details += `; every such path passes through one of ${shortList(narrow)}`;
  const blocked = [...flow.blocked].sort(view.compare).map((v) => `${graph.ids[v]} is ${deviceProblem(view, v)}`);
  if (blocked.length > 0) details += `; in the way: ${shortList(blocked)}`;
  return details;
}

function impossibleStream(view: InventoryView, rules: StreamRules): string {
  const { graph, request } = view;
  const mover = rules.mover === null ? `a usable ${kindName(request.mover)}` : graph.ids[rules.mover];
  const library = rules.library === null ? 'a usable library' : graph.ids[rules.library];
  const excludes = rules.constraint.exclude.length > 0 ? ` avoiding ${shortList(rules.constraint.exclude)}` : '';
  const pinnedElsewhere = request.rules.flatMap((other) =>
    other === rules ? [] : [other.mover, other.library, ...other.switches].flatMap((v) => (v === null ? [] : [`${graph.ids[v]} (pinned to stream ${other.stream})`])),
  );
  const others = pinnedElsewhere.length > 0 ? `; it may not use ${shortList(pinnedElsewhere)}` : '';
  return `stream ${rules.stream} has no path from ${graph.ids[request.storage]} to ${mover} and on to ${library}${excludes}${others}${blockedNearStorage(view)}`;
}

function sharedSwitches(view: InventoryView, streams: number): string {
  const movers = kindName(view.request.mover, 2);
  return `any ${streams} streams would have to share a switch, one of the ${movers} or a library${blockedNearStorage(view)}`;
}

/** Unusable switches next to what the storage reaches, as `; in the way: ...`. */
function blockedNearStorage(view: InventoryView): string {
  const { graph, request } = view;
  const reach = reachFrom(graph, [request.storage], (v) => view.usable(v), new SearchBudget(Infinity));
  const blocked = new Set<number>();
  for (const v of reach.order) {
    if (v !== request.storage && !graph.isSwitch(v)) continue;
    for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
      const w = graph.peerOf(e);
      if (graph.isSwitch(w) && !view.usable(w)) blocked.add(w);
    }
  }
  const list = [...blocked].sort(view.compare).map((v) => `${graph.ids[v]} is ${deviceProblem(view, v)}`);
  return list.length > 0 ? `; in the way: ${shortList(list)}` : '';
}

/** `unavailable`, `in use by job 7 stream 0`, `excluded by the request`. */
function deviceProblem(view: InventoryView, v: number): string {
  const status = view.status(v);
  return status.state === 'available' && view.request.excluded.has(v) ? 'excluded by the request' : stateText(status);
}

/** `library-B is unavailable`, `library-D has no usable tape (3 full, 5 in use)`; `rules` adds a stream's excludes. */
function libraryProblem(view: InventoryView, library: number, rules?: StreamRules): string {
  const { graph, request } = view;
  const name = graph.ids[library]!;
  if (!view.usable(library)) return `${name} is ${deviceProblem(view, library)}`;
  const tapes = graph.tapesOf(library);
  if (tapes.length === 0) return `${name} has no tapes`;
  const counts = new Map<string, number>();
  for (const tape of tapes) {
    const excluded = request.excludedTapes.has(tape) || rules?.excludedTapes.has(tape);
    const problem = excluded ? 'excluded' : (tapeProblem(view.inventory, tape) ?? 'usable');
    counts.set(problem, (counts.get(problem) ?? 0) + 1);
  }
  const summary = [...counts].map(([problem, count]) => `${count} ${problem}`).join(', ');
  return `${name} has no usable tape (${summary})`;
}

function listed(items: string[]): string {
  return items.length > 0 ? `: ${shortList(items)}` : '';
}
