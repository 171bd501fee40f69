// The choices for one stream, cheapest first: a mover, a library with a tape for it, and the
// paths storage -> mover and mover -> library, given what earlier streams already took. Cost is
// the number of links of both paths; equal costs go by the mover's preference, then the
// library's, then the paths'; each choice also carries its devices' total preference.
//
// The list leaves out only choices that cannot matter to the rest of the search:
// - of several interchangeable movers (same kind, same neighbours, named by no constraint) only
//   the preferred one is offered; likewise for libraries;
// - a choice whose switches include all the switches of an earlier choice with the same mover
//   and library is dropped (the earlier one is no dearer and leaves more for other streams); for
//   the same reason a path with a shortcut is never offered, unless the stream pins switches.
import type { StreamRules } from './request';
import { GrowingReach, pathsBetween, reachFrom, type Passable, type SearchBudget } from './paths';
import type { InventoryView } from './view';

export interface StreamChoice {
  stream: number;
  mover: number;
  library: number;
  tape: string;
  /** Devices from the storage to the mover, and from the mover to the library. */
  toMover: number[];
  toLibrary: number[];
  /** Switches of both paths, each once, ascending: what other streams must avoid. */
  switches: number[];
  cost: number;
  /** Total preference of its mover, library and switches (lower is preferred). */
  preference: number;
}

/** What a search has taken so far: a mark per device. */
export interface Taken {
  view: InventoryView;
  used: Uint8Array;
  budget: SearchBudget;
}

/** Distances for one stream's rules with some switches taken: from the storage, and to the nearest library. */
export interface StreamReach {
  fromStorage: Int32Array;
  /** To the nearest library the stream may use, taken or not (a lower bound where taken). */
  toLibrary: Int32Array;
}

export function streamReach(view: InventoryView, rules: StreamRules, taken: Passable, budget: SearchBudget): StreamReach {
  const graph = view.graph;
  const passable: Passable = (v) => !taken(v) && view.switchOpen(rules, v);
  const fromStorage = reachFrom(graph, [view.request.storage], passable, budget).dist;
  const libraries = graph.ofKind('library').filter((v) => view.libraryOpen(rules, v));
  return { fromStorage, toLibrary: reachFrom(graph, libraries, passable, budget).dist };
}

/** The cost of the cheapest stream with this reach, tapes and taken movers aside; Infinity if none. */
export function cheapestCost(view: InventoryView, rules: StreamRules, reach: StreamReach): number {
  let cheapest = Infinity;
  for (const m of view.graph.ofKind(view.request.mover)) {
    const fromStorage = reach.fromStorage[m]!;
    const toLibrary = reach.toLibrary[m]!;
    if (fromStorage < 0 || toLibrary < 0 || fromStorage + toLibrary >= cheapest || !view.moverOpen(rules, m)) continue;
    cheapest = fromStorage + toLibrary;
  }
  return cheapest;
}

/** Stream `rules`'s choices given what is `taken` (whose switches `reach` already avoids), cheapest first. */
export function* streamChoices(taken: Taken, rules: StreamRules, reach: StreamReach): Generator<StreamChoice> {
  const { view, used } = taken;
  const graph = view.graph;
  const passable: Passable = (v) => used[v] === 0 && view.switchOpen(rules, v);
  const preferred = new Map<number, number>();
  for (const m of graph.ofKind(view.request.mover)) {
    if (used[m] !== 0 || reach.fromStorage[m]! < 0 || reach.toLibrary[m]! < 0 || !view.moverOpen(rules, m)) continue;
    const kin = kinship(view, m);
    const current = preferred.get(kin);
    if (current === undefined || view.compare(m, current) < 0) preferred.set(kin, m);
  }
  if (preferred.size === 0) return;
  const movers = [...preferred.values()]
    .sort(view.compare)
    .map((m) => new MoverChoices(taken, rules, passable, m, reach.fromStorage[m]!, reach.toLibrary[m]!));

  let openSwitches = 0;
  for (const s of graph.ofKind('switch')) if (passable(s)) openSwitches++;
  const cheapest = Math.min(...movers.map((m) => m.cheapest));
  // A path holds each switch at most once, so neither half is longer than this.
  const dearest = 2 * (openSwitches + 1);
  for (let cost = cheapest; cost <= dearest; cost++) {
    for (const mover of movers) if (mover.cheapest <= cost) yield* mover.choicesOfCost(cost);
  }
}

/** Devices with the same kinship are interchangeable in this request. */
function kinship(view: InventoryView, v: number): number {
  return view.request.named.has(v) ? -1 - v : view.graph.shape[v]!;
}

interface LibraryChoices {
  library: number;
  tape: string;
  dist: number;
  /** Paths mover -> library by length. */
  paths: Map<number, number[][]>;
  /** Switch sets already offered with this mover and library. */
  offered: number[][];
}

/** The choices of one mover, by cost. */
class MoverChoices {
  /** Cost of its cheapest stream, libraries' tapes aside. */
  readonly cheapest: number;
  private reachCache: GrowingReach | null = null;
  private readonly libraries: LibraryChoices[] = [];
  private readonly seenKin = new Set<number>();
  private reachedUpTo = 0;
  private readonly pathsToMover = new Map<number, number[][]>();
  private readonly induced: boolean;

  constructor(
    private readonly taken: Taken,
    private readonly rules: StreamRules,
    private readonly passable: Passable,
    readonly mover: number,
    private readonly fromStorage: number,
    toLibrary: number,
  ) {
    this.cheapest = fromStorage + toLibrary;
    this.induced = rules.switches.length === 0;
  }

  /** Distances from the mover, as far as they were needed. */
  private get reach(): GrowingReach {
    return (this.reachCache ??= new GrowingReach(this.taken.view.graph, [this.mover], this.passable, this.taken.budget));
  }

  /** This mover's choices of exactly `cost`: by library, then fewest switches first. */
  *choicesOfCost(cost: number): Generator<StreamChoice> {
    const { view } = this.taken;
    for (const library of this.librariesWithin(cost - this.fromStorage)) {
      const found: { toMover: number[]; toLibrary: number[]; switches: number[] }[] = [];
      for (let a = this.fromStorage; a <= cost - library.dist; a++) {
        const toMover = this.pathsOfLength(a);
        if (toMover.length === 0) continue;
        for (const toLibrary of this.libraryPathsOfLength(library, cost - a)) {
          for (const p of toMover) found.push({ toMover: p, toLibrary, switches: switchesOf(p, toLibrary) });
        }
      }
      found.sort((x, y) => x.switches.length - y.switches.length);
      for (const { toMover, toLibrary, switches } of found) {
        if (!this.rules.switches.every((s) => switches.includes(s))) continue;
        if (library.offered.some((earlier) => isSubset(earlier, switches))) continue;
        library.offered.push(switches);
        const preference = switches.reduce((sum, s) => sum + view.preference(s), view.preference(this.mover) + view.preference(library.library));
        yield { stream: this.rules.stream, mover: this.mover, library: library.library, tape: library.tape, toMover, toLibrary, switches, cost, preference };
      }
    }
  }

  /** Libraries at most `maxDist` links away, nearest first, then by preference and id. */
  private librariesWithin(maxDist: number): LibraryChoices[] {
    const { view, used } = this.taken;
    const { dist, order } = this.reach.extendTo(maxDist);
    while (this.reachedUpTo < order.length && dist[order[this.reachedUpTo]!]! <= maxDist) {
      const layer: number[] = [];
      const d = dist[order[this.reachedUpTo]!]!;
      for (; this.reachedUpTo < order.length && dist[order[this.reachedUpTo]!] === d; this.reachedUpTo++) {
        const v = order[this.reachedUpTo]!;
        if (used[v] === 0 && view.libraryOpen(this.rules, v)) layer.push(v);
      }
      for (const library of layer.sort(view.compare)) {
        const kin = kinship(view, library);
        if (this.seenKin.has(kin)) continue;
        const tape = view.tapeFor(this.rules, library);
        if (tape === null) continue;
        this.seenKin.add(kin);
        this.libraries.push({ library, tape, dist: d, paths: new Map(), offered: [] });
      }
    }
    return this.libraries.filter((library) => library.dist <= maxDist);
  }

  private pathsOfLength(length: number): number[][] {
    let paths = this.pathsToMover.get(length);
    if (!paths) {
      const { view, budget } = this.taken;
      const toMover = this.reach.extendTo(length).dist;
      const found = pathsBetween(view.graph, view.request.storage, this.mover, length, this.passable, toMover, this.induced, budget);
      paths = byPreference(view, found);
      this.pathsToMover.set(length, paths);
    }
    return paths;
  }

  private libraryPathsOfLength(library: LibraryChoices, length: number): number[][] {
    let paths = library.paths.get(length);
    if (!paths) {
      const { view, budget } = this.taken;
      const toMover = this.reach.extendTo(length).dist;
      const found = pathsBetween(view.graph, library.library, this.mover, length, this.passable, toMover, this.induced, budget);
      paths = byPreference(view, found.map((path) => path.reverse()));
      library.paths.set(length, paths);
    }
    return paths;
  }
}

/** Paths whose switches are preferred come first; otherwise the order found (by id) stays. */
function byPreference(view: InventoryView, paths: number[][]): number[][] {
  const weight = (path: number[]) => path.reduce((sum, v, i) => (i > 0 && i < path.length - 1 ? sum + view.preference(v) : sum), 0);
  return paths.map((path) => ({ path, weight: weight(path) })).sort((a, b) => a.weight - b.weight).map((entry) => entry.path);
}

function switchesOf(toMover: number[], toLibrary: number[]): number[] {
  const switches = new Set<number>();
  for (let i = 1; i < toMover.length - 1; i++) switches.add(toMover[i]!);
  for (let i = 1; i < toLibrary.length - 1; i++) switches.add(toLibrary[i]!);
  return [...switches].sort((a, b) => a - b);
}

/** Whether sorted `small` is a subset of sorted `large`. */
function isSubset(small: number[], large: number[]): boolean {
  let j = 0;
  for (const s of small) {
    while (j < large.length && large[j]! < s) j++;
    if (large[j] !== s) return false;
  }
  return true;
}
