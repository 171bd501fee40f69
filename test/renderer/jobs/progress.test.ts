// Job progress and per-stream rows: a mirrored job is as far as its slowest stream still
// writing, a failover job as far as its streams together; time left at the current rate; the
// recorded streams merged with live progress and failures.
import { describe, expect, it } from 'vitest';
import { jobProgress, secondsLeft } from '../../../renderer/src/jobs/progress';
import { streamRows } from '../../../renderer/src/jobs/streamRows';
import type { LiveJob } from '../../../renderer/src/stores/jobs';
import { failoverBackup } from '../fixtures';

const stream = (n: number, bytes: number, throughput: number) => ({ stream: n, bytes, chunks: 0, throughput });

describe('job progress', () => {
  it('mirrored: the slowest stream still writing, and the longest time left', () => {
    expect(jobProgress('mirrored', 100, [stream(0, 60, 10), stream(1, 40, 30)])).toEqual({ bytes: 40, size: 100, throughput: 30, secondsLeft: 4 });
    // A failed stream no longer holds the job back.
    expect(jobProgress('mirrored', 100, [stream(0, 60, 10), stream(1, 10, 0)], new Set([1]))).toEqual({ bytes: 60, size: 100, throughput: 10, secondsLeft: 4 });
    expect(jobProgress('mirrored', 100, [stream(0, 50, 0)]).secondsLeft).toBeNull();
    expect(jobProgress('mirrored', 100, []).bytes).toBe(0);
  });

  it('failover: what the streams wrote together, at their rate together', () => {
    expect(jobProgress('failover', 100, [stream(0, 30, 0), stream(1, 20, 25)])).toEqual({ bytes: 50, size: 100, throughput: 25, secondsLeft: 2 });
  });

  it('time left is zero when done and unknown when nothing moves', () => {
    expect(secondsLeft(0, 0)).toBe(0);
    expect(secondsLeft(10, 0)).toBeNull();
    expect(secondsLeft(10, 5)).toBe(2);
  });
});

describe('stream rows', () => {
  const live = (over: Partial<LiveJob> = {}): LiveJob => ({ size: 10 * 2 ** 20, streams: [], samples: [], failovers: [], failures: [], ...over });

  it('take devices, status and errors from the record and bytes and rate from the events while the job runs', () => {
    const recorded = failoverBackup();
    recorded.streams[1]!.status = 'running';
    recorded.streams[1]!.bytes = 4 * 2 ** 20;
    const rows = streamRows('failover', recorded, live({ streams: [stream(0, 3 * 2 ** 20, 0), stream(1, 5 * 2 ** 20, 2 ** 20)] }), true);
    expect(rows.map((r) => [r.stream, r.mover, r.status, r.bytes, r.throughput, r.secondsLeft])).toEqual([
      [0, 'copy-A', 'failed', 3 * 2 ** 20, null, null],
      // 2 MiB of the stream left for the failover job, at 1 MiB/s.
      [1, 'copy-B', 'running', 5 * 2 ** 20, 2 ** 20, 2],
    ]);
    expect(rows[0]!.error).toBe('crashed at chunk 3: copy-A was killed');
  });

  it('mark a stream failed as soon as its event comes, and show no rate once the job has ended', () => {
    const rows = streamRows('mirrored', null, live({ streams: [stream(0, 100, 50), stream(1, 80, 40)], failures: [{ stream: 1, device: 'server-B', cause: 'io error', at: 0 }] }), true);
    expect(rows.map((r) => [r.status, r.error, r.throughput])).toEqual([
      ['running', null, 50],
      ['failed', 'io error', null],
    ]);
    expect(streamRows('mirrored', failoverBackup(), live({ streams: [stream(1, 7 * 2 ** 20, 40)] }), false).every((r) => r.throughput === null)).toBe(true);
  });
});
