// Paths through the SAN. A path runs between two devices and passes only through FC switches:
// never through another mover, host, storage device or library. Breadth-first reach gives
// distances; `pathsBetween` lists the paths of one exact length.
import type { SanGraph } from './graph';

/** Caps the work of one search, so a pathological site cannot stall the manager. */
export class SearchBudget {
  private spent = 0;

  constructor(private limit: number) {}

  spend(units = 1): void {
    this.spent += units;
    if (this.spent > this.limit) throw new BudgetExhausted();
  }

  /** Allows at most `units` more work from now on. */
  narrow(units: number): void {
    this.limit = Math.min(this.limit, this.spent + units);
  }
}

export class BudgetExhausted extends Error {
  override name = 'BudgetExhausted';
}

export type Passable = (switchIndex: number) => boolean;

export interface Reach {
  /** Links from the nearest start to each device; -1 where unreachable (or not reached yet). */
  dist: Int32Array;
  /** Every reached device in order of distance (starts first). */
  order: number[];
}

/**
 * Breadth-first reach from `starts` through the switches `passable` allows. Other devices are
 * reached (they end a path) but never passed through.
 */
export function reachFrom(graph: SanGraph, starts: readonly number[], passable: Passable, budget: SearchBudget): Reach {
  return new GrowingReach(graph, starts, passable, budget).extendTo(Infinity);
}

/** A breadth-first reach that goes only as far as asked, and further when asked again. */
export class GrowingReach implements Reach {
  readonly dist: Int32Array;
  readonly order: number[] = [];
  private expanded = 0;

  constructor(
    private readonly graph: SanGraph,
    starts: readonly number[],
    private readonly passable: Passable,
    private readonly budget: SearchBudget,
  ) {
    this.dist = new Int32Array(graph.size).fill(-1);
    for (const start of starts) {
      if (this.dist[start] === 0) continue;
      this.dist[start] = 0;
      this.order.push(start);
    }
  }

  /** Reaches every device at most `depth` links away. */
  extendTo(depth: number): this {
    const { graph, dist, order } = this;
    const before = order.length;
    for (; this.expanded < order.length && dist[order[this.expanded]!]! < depth; this.expanded++) {
      const v = order[this.expanded]!;
      const d = dist[v]!;
      if (d > 0 && !graph.isSwitch(v)) continue;
      for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
        const w = graph.peerOf(e);
        if (dist[w] !== -1 || (graph.isSwitch(w) && !this.passable(w))) continue;
        dist[w] = d + 1;
        order.push(w);
      }
    }
    this.budget.spend(order.length - before + 1);
    return this;
  }
}

/**
 * Every path of exactly `length` links from `from` to `to` through switches `passable` allows,
 * each as its devices in order. `toTarget` holds the distances from `to` (see `reachFrom`).
 * With `induced`, a path with a shortcut (a link between two of its devices that are not next to
 * each other) is left out: taking the shortcut gives a shorter path over a subset of its switches.
 */
export function pathsBetween(
  graph: SanGraph,
  from: number,
  to: number,
  length: number,
  passable: Passable,
  toTarget: Int32Array,
  induced: boolean,
  budget: SearchBudget,
): number[][] {
  const found: number[][] = [];
  const path = [from];
  const onPath = new Set(path);
  const shortcut = (w: number, previous: number): boolean => {
    if (!induced) return false;
    for (let e = graph.linkStart(w); e < graph.linkEnd(w); e++) {
      const u = graph.peerOf(e);
      if (u !== previous && onPath.has(u)) return true;
    }
    return false;
  };
  const extend = (v: number, depth: number): void => {
    for (let e = graph.linkStart(v); e < graph.linkEnd(v); e++) {
      budget.spend();
      const w = graph.peerOf(e);
      if (w === to) {
        if (depth + 1 === length && !shortcut(w, v)) found.push([...path, w]);
        continue;
      }
      if (onPath.has(w) || !graph.isSwitch(w) || !passable(w)) continue;
      const rest = toTarget[w]!;
      if (rest < 0 || depth + 1 + rest > length || shortcut(w, v)) continue;
      path.push(w);
      onPath.add(w);
      extend(w, depth + 1);
      path.pop();
      onPath.delete(w);
    }
  };
  extend(from, 0);
  return found;
}
