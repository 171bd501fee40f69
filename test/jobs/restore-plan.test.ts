// Which copy each chunk of a restore is read from (planChunks): every needed chunk and no other,
// only complete copies on usable devices, a small read from one copy, a large one dealt to the
// copies in runs so their libraries read side by side, the other copies kept as second tries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupView, FragmentView } from '../../engine/contract';
import { planChunks } from '../../engine/jobs/restore-plan';
import { RECORD_OVERHEAD } from '../../engine/media';

const CHUNK = 1000;

function backup(size: number, copies: Array<'complete' | 'failed'>): BackupView {
  return {
    id: 1,
    jobId: 1,
    target: '/data',
    mode: 'mirrored',
    state: 'complete',
    dataTime: '2026-12-01T00:00:00.000Z',
    startedAt: '2026-12-01T00:00:00.000Z',
    endedAt: '2026-12-01T00:01:00.000Z',
    size,
    chunkSize: CHUNK,
    sourceKind: 'directory',
    files: 1,
    copies: copies.map((state, copy) => ({ copy, state })),
  };
}

/** Copy n on library L<n>, one fragment per tape, `perTape` chunks a tape. */
function fragments(size: number, copies: number, perTape: number): FragmentView[] {
  const out: FragmentView[] = [];
  const chunks = Math.ceil(size / CHUNK);
  for (let copy = 0; copy < copies; copy++) {
    for (let first = 0; first < chunks; first += perTape) {
      const offset = first * CHUNK;
      const bytes = Math.min(perTape * CHUNK, size - offset);
      out.push({ copy, stream: copy, library: `L${copy}`, tape: `T${copy}-${first / perTape}`, position: 4096, size: bytes, offset, chunks: Math.ceil(bytes / CHUNK), sha256: '' });
    }
  }
  return out;
}

const everything = (size: number) => [{ from: 0, to: size }];
const usable = () => null;

describe('restore planning', () => {
  it('reads a small selection from one copy, with the other as its second try', () => {
    const size = 5 * CHUNK;
    const plan = planChunks(backup(size, ['complete', 'complete']), fragments(size, 2, 100), everything(size), usable);
    expect(plan.chunks.map((c) => c.sources.map((s) => s.copy))).toEqual(Array(5).fill([0, 1]));
  });

  it('deals a large selection to the copies in runs of four chunks', () => {
    const size = 20 * CHUNK - 10;
    const plan = planChunks(backup(size, ['complete', 'complete']), fragments(size, 2, 100), everything(size), usable);
    const first = plan.chunks.map((c) => c.sources[0]!.copy);
    expect(first).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(plan.chunks.every((c) => c.sources.length === 2)).toBe(true);
    expect(plan.chunks.at(-1)!.length).toBe(CHUNK - 10);
    // Positions follow the records on the tape: header and commit mark around every chunk.
    expect(plan.chunks[3]!.sources[0]!.position).toBe(4096 + 3 * (RECORD_OVERHEAD + CHUNK));
  });

  it('never reads a failed copy or a device that cannot be used, and says why a chunk has no source', () => {
    const size = 12 * CHUNK;
    const three = planChunks(backup(size, ['complete', 'failed', 'complete']), fragments(size, 3, 100), everything(size), (id) => (id === 'L0' ? 'L0 is unavailable' : null));
    expect(new Set(three.chunks.flatMap((c) => c.sources.map((s) => s.copy)))).toEqual(new Set([2]));
    const none = planChunks(backup(size, ['complete']), fragments(size, 1, 100), everything(size), (id) => (id === 'T0-0' ? 'T0-0 is unavailable' : null));
    expect(none.chunks.every((c) => c.sources.length === 0)).toBe(true);
    expect(none.unavailable.get(0)).toBe('T0-0 is unavailable');
  });

  it('plans exactly the chunks the ranges touch, each once, each from a complete copy that holds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 * CHUNK }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 * CHUNK })), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom<'complete' | 'failed'>('complete', 'failed'), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 20 }),
        (size, picks, states, perTape) => {
          const ranges = picks.map(([start, length]) => ({ from: start % size, to: Math.min(size, (start % size) + length) }));
          const frags = fragments(size, states.length, perTape);
          const plan = planChunks(backup(size, states), frags, ranges, usable);
          const wanted = new Set<number>();
          for (const { from, to } of ranges) {
            for (let i = Math.floor(from / CHUNK); i <= Math.floor((Math.max(to, from + 1) - 1) / CHUNK); i++) wanted.add(i);
          }
          expect(plan.chunks.map((c) => c.index)).toEqual([...wanted].sort((a, b) => a - b));
          const complete = states.flatMap((s, copy) => (s === 'complete' ? [copy] : []));
          for (const chunk of plan.chunks) {
            expect(chunk.sources.map((s) => s.copy).sort()).toEqual(complete);
            for (const source of chunk.sources) {
              const f = frags.find((x) => x.copy === source.copy && x.tape === source.tape)!;
              expect(chunk.offset >= f.offset && chunk.offset < f.offset + f.size).toBe(true);
            }
          }
        },
      ),
    );
  });
});
