// One request's view of the live inventory: which devices and tapes each stream may use right
// now. States, preferences and tape rankings are read lazily and kept for the request's lifetime
// (one plan), so a large site costs only what the search actually looks at.
import type { ResourceState, ResourceStatus } from '../contract';
import type { Inventory } from '../site';
import type { SanGraph } from './graph';
import type { ResolvedRequest, StreamRules } from './request';
import { rankTapes } from './tapes';

/**
 * How much to avoid a device: 0 or more, lower preferred (e.g. how recently or often it was used).
 * Among equally short sets of streams the lowest total wins; anything not a positive number counts as 0.
 */
export type Preference = (id: string) => number;

const STATES: readonly ResourceState[] = ['available', 'in-use', 'unavailable'];

export class InventoryView {
  private readonly states: Int8Array;
  private readonly preferences: Float64Array;
  private readonly tapeRanking = new Map<number, string[]>();

  constructor(
    readonly graph: SanGraph,
    readonly inventory: Inventory,
    private readonly preferenceOf: Preference,
    readonly request: ResolvedRequest,
  ) {
    this.states = new Int8Array(graph.size).fill(-1);
    this.preferences = new Float64Array(graph.size).fill(Number.NaN);
  }

  state(v: number): ResourceState {
    let state = this.states[v]!;
    if (state < 0) this.states[v] = state = STATES.indexOf(this.inventory.status(this.graph.ids[v]!).state);
    return STATES[state]!;
  }

  status(v: number): ResourceStatus {
    return this.inventory.status(this.graph.ids[v]!);
  }

  preference(v: number): number {
    let preference = this.preferences[v]!;
    if (Number.isNaN(preference)) {
      const given = this.preferenceOf(this.graph.ids[v]!);
      this.preferences[v] = preference = given > 0 && Number.isFinite(given) ? given : 0;
    }
    return preference;
  }

  /** Orders devices by preference, then by id. */
  readonly compare = (a: number, b: number): number => this.preference(a) - this.preference(b) || this.graph.idRank[a]! - this.graph.idRank[b]!;

  /** Available and not excluded by the request as a whole. */
  usable(v: number): boolean {
    return this.state(v) === 'available' && !this.request.excluded.has(v);
  }

  /** A switch stream `rules` may pass through (before counting what other streams took). */
  switchOpen(rules: StreamRules, v: number): boolean {
    return this.graph.kinds[v] === 'switch' && this.usable(v) && !rules.forbidden.has(v);
  }

  /** A mover of the requested kind that stream `rules` may use. */
  moverOpen(rules: StreamRules, v: number): boolean {
    return (
      this.graph.kinds[v] === this.request.mover &&
      (rules.mover === null || rules.mover === v) &&
      this.usable(v) &&
      !rules.forbidden.has(v)
    );
  }

  /** A library stream `rules` may use, tapes aside (see `tapeFor`). */
  libraryOpen(rules: StreamRules, v: number): boolean {
    return (
      this.graph.kinds[v] === 'library' &&
      (rules.library === null || rules.library === v) &&
      this.usable(v) &&
      !rules.forbidden.has(v)
    );
  }

  /** The usable tapes of a library, best first, ignoring what the request excludes. */
  rankedTapes(library: number): string[] {
    let ranking = this.tapeRanking.get(library);
    if (!ranking) this.tapeRanking.set(library, (ranking = rankTapes(this.inventory, this.graph.tapesOf(library))));
    return ranking;
  }

  /** The tape stream `rules` would write in `library`, or null when it has none it may use. */
  tapeFor(rules: StreamRules, library: number): string | null {
    const ranking = this.rankedTapes(library);
    if (rules.tape !== null) return ranking.includes(rules.tape) ? rules.tape : null;
    return ranking.find((tape) => !this.request.excludedTapes.has(tape) && !rules.excludedTapes.has(tape)) ?? null;
  }
}
