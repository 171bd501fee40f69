// Reserving what a restore or a verification reads with (SPEC steps 2030-2050): the libraries
// and tapes that hold the data, one available mover (a backup server, else a copy device) and
// the FC switches of a path from each library to that mover and from the mover to the storage.
// Unlike backup streams these paths need not be independent: one reader, many libraries.
import type { MoverKind } from '../contract';
import type { Inventory, SiteModel } from '../site';
import { AllocationError } from './errors';
import type { SanGraph } from './graph';
import { reachFrom, SearchBudget } from './paths';

export interface ReaderRequest {
  /** Where the data goes back to (or, verifying, the storage the mover must see; null: none). */
  storage: string | null;
  libraries: readonly string[];
  tapes: readonly string[];
}

export interface ReservedReader {
  mover: string;
  moverKind: MoverKind;
  libraries: string[];
  tapes: string[];
  /** Every switch on the paths, each once. */
  switches: string[];
}

const MOVER_KINDS: readonly MoverKind[] = ['backup-server', 'copy-device'];

/** The reader `reserveReader` would take now, or why there is none. Changes nothing. */
export function planReader(graph: SanGraph, site: SiteModel, inventory: Inventory, request: ReaderRequest, preference: (id: string) => number): ReservedReader {
  for (const id of [...request.libraries, ...request.tapes, ...(request.storage ? [request.storage] : [])]) {
    if (!site.has(id)) throw new AllocationError(`no device or tape named ${id} in this site`);
  }
  const busy = [...request.libraries, ...request.tapes].filter((id) => !inventory.isAvailable(id));
  if (busy.length > 0) throw new AllocationError(`${busy.map((id) => `${id} is ${describeState(inventory, id)}`).join('; ')}`);
  const ends = [...request.libraries, ...(request.storage ? [request.storage] : [])].map((id) => graph.index(id)!);
  const passable = (v: number) => inventory.isAvailable(graph.ids[v]!);
  let best: { cost: number; rank: number; mover: number; kind: MoverKind; dist: Int32Array } | null = null;
  for (const [rank, kind] of MOVER_KINDS.entries()) {
    for (const mover of graph.ofKind(kind)) {
      if (!inventory.isAvailable(graph.ids[mover]!)) continue;
      const { dist } = reachFrom(graph, [mover], passable, new SearchBudget(1_000_000));
      if (ends.some((v) => dist[v]! < 0)) continue;
      const cost = ends.reduce((sum, v) => sum + dist[v]!, 0) + preference(graph.ids[mover]!) * 1e-3;
      if (!best || rank < best.rank || (rank === best.rank && cost < best.cost)) best = { cost, rank, mover, kind, dist };
    }
    if (best) break;
  }
  if (!best) {
    const what = request.storage ? `${request.libraries.join(', ')} and ${request.storage}` : request.libraries.join(', ');
    throw new AllocationError(`no available backup server or copy device reaches ${what} through available FC switches`);
  }
  const switches = new Set<string>();
  for (const end of ends) for (const v of pathBack(graph, best.dist, end, passable)) switches.add(graph.ids[v]!);
  return { mover: graph.ids[best.mover]!, moverKind: best.kind, libraries: [...request.libraries], tapes: [...request.tapes], switches: [...switches] };
}

/** The switches of one shortest path from the reach's start to `end`, walking back by distance. */
function pathBack(graph: SanGraph, dist: Int32Array, end: number, passable: (v: number) => boolean): number[] {
  const switches: number[] = [];
  let v = end;
  while (dist[v]! > 1) {
    let previous = -1;
    for (let e = graph.linkStart(v); e < graph.linkEnd(v) && previous < 0; e++) {
      const w = graph.peerOf(e);
      if (dist[w] === dist[v]! - 1 && graph.isSwitch(w) && passable(w)) previous = w;
    }
    switches.unshift(previous);
    v = previous;
  }
  return switches;
}

function describeState(inventory: Inventory, id: string): string {
  const { state, holder } = inventory.status(id);
  return state === 'in-use' && holder ? `in use by job ${holder.jobId}` : state;
}
