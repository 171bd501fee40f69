// The chunk map: copies as strips of chunk runs on their tapes, tapes in order of first use,
// failover points from the fragments (stream changes within a copy) and from live events.
import { describe, expect, it } from 'vitest';
import { chunkMap } from '../../../renderer/src/jobs/chunkMap';
import { backupSummary, failoverBackup, job } from '../fixtures';

const MiB = 2 ** 20;

describe('the chunk map', () => {
  it('shows a failover copy as one strip, coloured by tape, with the failover at the chunk stream 1 took over', () => {
    const map = chunkMap(failoverBackup());
    expect(map.totalChunks).toBe(10);
    expect(map.tapes).toEqual([
      { tape: 'A00001', library: 'library-A', chunks: 3 },
      { tape: 'B00002', library: 'library-B', chunks: 7 },
    ]);
    expect(map.strips).toEqual([
      {
        copy: 0,
        state: 'complete',
        streams: [0, 1],
        stored: 10,
        segments: [
          { startChunk: 0, chunks: 3, stream: 0, library: 'library-A', tape: 'A00001', tapeIndex: 0 },
          { startChunk: 3, chunks: 7, stream: 1, library: 'library-B', tape: 'B00002', tapeIndex: 1 },
        ],
      },
    ]);
    expect(map.failovers).toEqual([{ chunk: 3, from: 0, to: 1 }]);
  });

  it('marks a failover an event reported before any fragment of the next stream is stored', () => {
    const running = failoverBackup(7, { fragments: failoverBackup().fragments.slice(0, 1) });
    const map = chunkMap(running, [{ chunk: 3, from: 0, to: 1 }]);
    expect(map.strips[0]!.stored).toBe(3);
    expect(map.failovers).toEqual([{ chunk: 3, from: 0, to: 1 }]);
  });

  it('shows a mirrored backup as one strip per copy, a copy spanning two tapes in two runs, and a copy with nothing stored yet', () => {
    const summary = backupSummary(1, 2, { size: 6 * MiB, chunkSize: MiB, copies: [{ copy: 0, state: 'complete' }, { copy: 1, state: 'writing' }, { copy: 2, state: 'failed' }] });
    const { outcome: _o, completeCopies: _c, tapes: _t, restorable: _r, ...backup } = summary;
    const map = chunkMap({
      job: job(2),
      backup,
      streams: [],
      fragments: [
        { copy: 0, stream: 0, library: 'library-A', tape: 'A00001', position: 0, size: 4 * MiB, offset: 0, chunks: 4, sha256: '' },
        { copy: 0, stream: 0, library: 'library-A', tape: 'A00002', position: 0, size: 2 * MiB, offset: 4 * MiB, chunks: 2, sha256: '' },
        { copy: 1, stream: 1, library: 'library-B', tape: 'B00001', position: 0, size: 3 * MiB, offset: 0, chunks: 3, sha256: '' },
      ],
    });
    expect(map.totalChunks).toBe(6);
    expect(map.strips.map((s) => [s.copy, s.state, s.stored, s.segments.map((g) => g.tape)])).toEqual([
      [0, 'complete', 6, ['A00001', 'A00002']],
      [1, 'writing', 3, ['B00001']],
      [2, 'failed', 0, []],
    ]);
    expect(map.tapes.map((t) => t.tape)).toEqual(['A00001', 'A00002', 'B00001']);
    expect(map.failovers).toEqual([]);
  });

  it('is empty before the backup is recorded', () => {
    expect(chunkMap({ job: job(3), backup: null, streams: [], fragments: [] })).toEqual({ totalChunks: 0, strips: [], tapes: [], failovers: [] });
  });
});
