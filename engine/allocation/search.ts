// The exact search for k independent streams: depth first over the streams in order, each
// stream's choices cheapest first (see candidates.ts), branch and bound on the total cost, then
// on the total preference. A branch is cut only when it cannot beat the best set found, so when
// no set is found none exists, unless the budget ran out first (then the result says so).
import { cheapestCost, streamChoices, streamReach, type StreamChoice, type StreamReach, type Taken } from './candidates';
import { BudgetExhausted, type SearchBudget } from './paths';
import type { InventoryView } from './view';

export interface SearchResult {
  /** The best set of streams found, in stream order; null when none was found. */
  streams: StreamChoice[] | null;
  /** The budget ran out: a missing set may still exist, a set found may not be the best. */
  gaveUp: boolean;
  /** A stream that has no choice at all, even alone; null when each has some. */
  impossible: number | null;
}

/** `best` proves the set found is the cheapest (then the most preferred); `any` stops at the first set. */
export type SearchGoal = 'best' | 'any';

/** Work allowed to improve on the first set found, so ties between many equal sets stay cheap. */
const IMPROVEMENT_BUDGET = 200_000;

export function findStreams(view: InventoryView, budget: SearchBudget, goal: SearchGoal): SearchResult {
  const rules = view.request.rules;
  const k = rules.length;
  const taken: Taken = { view, used: new Uint8Array(view.graph.size), budget };
  const usedSwitches: number[] = [];
  const isUsed = (v: number) => taken.used[v] !== 0;

  let best: StreamChoice[] | null = null;
  let bestCost = Infinity;
  let bestPreference = Infinity;
  /** Whether a set of at least `cost` (and at least `preference`) could still beat the best. */
  const canBeat = (cost: number, preference: number) => cost < bestCost || (cost === bestCost && preference < bestPreference);
  try {
    // Distances per stream and switches taken. Streams without constraints share theirs.
    const reaches = new Map<string, StreamReach>();
    const reachOf = (stream: number): StreamReach => {
      const r = rules[stream]!;
      const free = r.forbidden.size === 0 && r.library === null;
      const key = `${free ? 'free' : stream}:${[...usedSwitches].sort((a, b) => a - b).join(',')}`;
      let reach = reaches.get(key);
      if (!reach) reaches.set(key, (reach = streamReach(view, r, isUsed, budget)));
      return reach;
    };
    const cheapest = (stream: number) => cheapestCost(view, rules[stream]!, reachOf(stream));

    // Lower bounds: stream j alone costs at least alone[j]; the streams from j on, atLeast[j].
    const alone = rules.map((_, j) => cheapest(j));
    const impossible = alone.findIndex((cost) => cost === Infinity);
    if (impossible >= 0) return { streams: null, gaveUp: false, impossible };
    const atLeast = [...alone, 0];
    for (let j = k - 1; j >= 0; j--) atLeast[j] = atLeast[j]! + atLeast[j + 1]!;

    const chosen: StreamChoice[] = [];
    const extend = (stream: number, costSoFar: number, preferenceSoFar: number): void => {
      if (stream === k) {
        if (!canBeat(costSoFar, preferenceSoFar)) return;
        if (best === null) budget.narrow(IMPROVEMENT_BUDGET);
        best = chosen.slice();
        bestCost = costSoFar;
        bestPreference = preferenceSoFar;
        // With any set good enough, nothing can beat this one: the search unwinds.
        if (goal === 'any') bestCost = -Infinity;
        return;
      }
      for (const choice of streamChoices(taken, rules[stream]!, reachOf(stream))) {
        budget.spend();
        const cost = costSoFar + choice.cost;
        // Choices come cheapest first, and preferences only add up.
        if (!canBeat(cost + atLeast[stream + 1]!, preferenceSoFar)) break;
        const preference = preferenceSoFar + choice.preference;
        if (!canBeat(cost + atLeast[stream + 1]!, preference)) continue;
        take(taken.used, usedSwitches, choice, 1);
        // The next stream's cheapest cost with these switches taken (movers and libraries aside).
        const next = stream + 1 < k ? cheapest(stream + 1) : 0;
        if (canBeat(cost + next + atLeast[Math.min(stream + 2, k)]!, preference)) {
          chosen.push(choice);
          extend(stream + 1, cost, preference);
          chosen.pop();
        }
        take(taken.used, usedSwitches, choice, 0);
      }
    };
    extend(0, 0, 0);
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    return { streams: best, gaveUp: true, impossible: null };
  }
  return { streams: best, gaveUp: false, impossible: null };
}

function take(used: Uint8Array, usedSwitches: number[], choice: StreamChoice, mark: 0 | 1): void {
  used[choice.mover] = mark;
  used[choice.library] = mark;
  for (const s of choice.switches) used[s] = mark;
  if (mark === 1) usedSwitches.push(...choice.switches);
  else usedSwitches.splice(usedSwitches.length - choice.switches.length);
}
