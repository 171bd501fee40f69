// Planning: bounds first (fail fast), then the exact search; when the request cannot be met, the
// most streams that can be (searching for fewer and fewer) and the reason. Reads the inventory,
// never changes it.
import type { StreamPlan, StreamRequest } from '../contract';
import type { Inventory, SiteModel } from '../site';
import { streamBounds } from './bounds';
import type { StreamChoice } from './candidates';
import type { SanGraph } from './graph';
import { SearchBudget } from './paths';
import { blockingProblems, explain, type SearchOutcome } from './reasons';
import { resolveRequest } from './request';
import { findStreams } from './search';
import { InventoryView, type Preference } from './view';
import { plannedStream } from './zoning';

export interface Planner {
  graph: SanGraph;
  site: SiteModel;
  inventory: Inventory;
  preference: Preference;
  /** Work allowed to one search (see SearchBudget). */
  searchBudget: number;
}

export function planStreams(planner: Planner, request: StreamRequest): StreamPlan {
  const view = viewOf(planner, request);
  const k = request.streams;
  const problems = blockingProblems(view);
  const bounds = streamBounds(view, k);
  let outcome: SearchOutcome | null = null;
  if (problems.length === 0 && bounds.streams >= k && bounds.pinned.length === 0) {
    const result = findStreams(view, new SearchBudget(planner.searchBudget), 'best');
    if (result.streams) return { feasible: true, streams: toPlanned(planner, result.streams), reason: null };
    outcome = { impossible: result.impossible, gaveUp: result.gaveUp, budget: planner.searchBudget };
  }
  const most = mostStreams(planner, request, Math.min(bounds.streams, k - 1));
  return { feasible: false, streams: toPlanned(planner, most), reason: explain(view, most.length, problems, bounds, outcome) };
}

/** How many independent streams exist right now, at most `cap`. */
export function countStreams(planner: Planner, request: StreamRequest, cap: number): number {
  const view = viewOf(planner, { ...request, streams: 1 });
  if (blockingProblems(view).length > 0) return 0;
  for (let k = streamBounds(view, cap).streams; k > 0; k--) {
    const result = findStreams(viewOf(planner, { ...request, streams: k }), new SearchBudget(planner.searchBudget), 'any');
    if (result.streams) return k;
  }
  return 0;
}

/** The cheapest set of the most streams (at most `upTo`) that meet their own constraints. */
function mostStreams(planner: Planner, request: StreamRequest, upTo: number): StreamChoice[] {
  for (let k = upTo; k > 0; k--) {
    const view = viewOf(planner, { ...request, streams: k, constraints: request.constraints.slice(0, k) });
    if (blockingProblems(view).length > 0) continue;
    const result = findStreams(view, new SearchBudget(planner.searchBudget), 'best');
    if (result.streams) return result.streams;
  }
  return [];
}

function viewOf(planner: Planner, request: StreamRequest): InventoryView {
  const resolved = resolveRequest(planner.graph, planner.site, request);
  return new InventoryView(planner.graph, planner.inventory, planner.preference, resolved);
}

function toPlanned(planner: Planner, streams: StreamChoice[]) {
  return streams.map((choice) => plannedStream(planner.graph, choice));
}
