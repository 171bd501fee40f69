// The chunk map of a backup: for each copy, the runs of its chunks in stream order, each on the
// tape it landed on (table [460]'s fragments), and where a failover moved the copy from one
// stream to the next (from the fragments themselves, and from failover events while it runs).
import type { BackupResult, CopyState, FragmentView } from '../../../engine/contract';

export interface ChunkSegment {
  startChunk: number;
  chunks: number;
  stream: number;
  library: string;
  tape: string;
  /** Index of the tape in the map's legend (its colour). */
  tapeIndex: number;
}

export interface ChunkStrip {
  copy: number;
  /** What became of the copy; null when the backup does not list it (yet). */
  state: CopyState | null;
  /** The streams that wrote this copy, in order. */
  streams: number[];
  segments: ChunkSegment[];
  /** Chunks of the stream this copy holds. */
  stored: number;
}

export interface ChunkFailover {
  chunk: number;
  from: number;
  to: number;
}

export interface TapeKey {
  tape: string;
  library: string;
  chunks: number;
}

export interface ChunkMap {
  totalChunks: number;
  strips: ChunkStrip[];
  tapes: TapeKey[];
  failovers: ChunkFailover[];
}

function segmentsOf(fragments: FragmentView[], chunkSize: number, tapeIndex: (f: FragmentView) => number): ChunkSegment[] {
  return [...fragments]
    .sort((a, b) => a.offset - b.offset)
    .map((f) => ({ startChunk: Math.floor(f.offset / chunkSize), chunks: f.chunks, stream: f.stream, library: f.library, tape: f.tape, tapeIndex: tapeIndex(f) }));
}

/** `liveFailovers`: failovers the job's events reported (they may come before the fragments). */
export function chunkMap(result: BackupResult, liveFailovers: readonly ChunkFailover[] = []): ChunkMap {
  const backup = result.backup;
  const chunkSize = backup?.chunkSize ?? 1;
  const totalChunks = backup ? Math.ceil(backup.size / chunkSize) : 0;
  const tapes: TapeKey[] = [];
  const tapeIndex = (f: FragmentView) => {
    let i = tapes.findIndex((t) => t.tape === f.tape);
    if (i < 0) i = tapes.push({ tape: f.tape, library: f.library, chunks: 0 }) - 1;
    tapes[i]!.chunks += f.chunks;
    return i;
  };

  const byCopy = new Map<number, FragmentView[]>();
  for (const f of result.fragments) byCopy.set(f.copy, [...(byCopy.get(f.copy) ?? []), f]);
  const copies = new Set([...(backup?.copies.map((c) => c.copy) ?? []), ...byCopy.keys()]);

  const failovers = new Map<number, ChunkFailover>();
  for (const f of liveFailovers) failovers.set(f.chunk, { chunk: f.chunk, from: f.from, to: f.to });
  const strips: ChunkStrip[] = [...copies]
    .sort((a, b) => a - b)
    .map((copy) => {
      const segments = segmentsOf(byCopy.get(copy) ?? [], chunkSize, tapeIndex);
      const streams: number[] = [];
      segments.forEach((s, i) => {
        if (streams[streams.length - 1] !== s.stream) streams.push(s.stream);
        const before = segments[i - 1];
        if (before && before.stream !== s.stream) failovers.set(s.startChunk, { chunk: s.startChunk, from: before.stream, to: s.stream });
      });
      const state = backup?.copies.find((c) => c.copy === copy)?.state ?? null;
      return { copy, state, streams, segments, stored: segments.reduce((sum, s) => sum + s.chunks, 0) };
    });

  return { totalChunks, strips, tapes, failovers: [...failovers.values()].sort((a, b) => a.chunk - b.chunk) };
}
