// The tapes of a restore plan in the order they are loaded: per library (libraries are read side
// by side), each tape with its place in its library's order, the chunks and bytes read from it
// first-hand and the first chunk it is needed for; and the tapes held only for second tries.
import type { RestorePlan } from '../../../engine/contract';

export interface TapeStep {
  library: string;
  /** 1-based place in its library's order. */
  step: number;
  tape: string;
  copy: number;
  chunks: number;
  bytes: number;
  firstChunk: number;
}

export interface LibraryOrder {
  library: string;
  tapes: TapeStep[];
  bytes: number;
}

export interface StandbyTape {
  library: string;
  tape: string;
  copy: number;
  /** Chunks it can give again if their first source fails. */
  chunks: number;
}

export function tapeOrder(plan: RestorePlan): LibraryOrder[] {
  const firstChunk = new Map<string, number>();
  for (const chunk of plan.chunks) {
    const first = chunk.sources[0];
    if (first && !firstChunk.has(first.tape)) firstChunk.set(first.tape, chunk.index);
  }
  const libraries = new Map<string, LibraryOrder>();
  for (const t of plan.tapes) {
    const order = libraries.get(t.library) ?? { library: t.library, tapes: [], bytes: 0 };
    order.tapes.push({ library: t.library, step: order.tapes.length + 1, tape: t.tape, copy: t.copy, chunks: t.chunks, bytes: t.bytes, firstChunk: firstChunk.get(t.tape) ?? 0 });
    order.bytes += t.bytes;
    libraries.set(t.library, order);
  }
  return [...libraries.values()];
}

export function standbyTapes(plan: RestorePlan): StandbyTape[] {
  const first = new Set(plan.tapes.map((t) => t.tape));
  const standby = new Map<string, StandbyTape>();
  for (const chunk of plan.chunks) {
    for (const source of chunk.sources.slice(1)) {
      if (first.has(source.tape)) continue;
      const have = standby.get(source.tape) ?? { library: source.library, tape: source.tape, copy: source.copy, chunks: 0 };
      have.chunks += 1;
      standby.set(source.tape, have);
    }
  }
  return [...standby.values()];
}
