// How far a backup job is, from its streams' progress: a mirrored job ends when every stream
// still writing has written the whole stream (so the slowest of them tells), a failover job when
// its streams together have written it once. Time left is what remains at the current rate.
import type { BackupMode, StreamProgress } from '../../../engine/contract';

export interface JobProgress {
  bytes: number;
  size: number;
  /** Bytes per second the job is writing at now. */
  throughput: number;
  /** Seconds until it is done at that rate; null when nothing is moving. */
  secondsLeft: number | null;
}

/** Time to write `remaining` bytes at `rate` bytes per second; null when not moving. */
export function secondsLeft(remaining: number, rate: number): number | null {
  if (remaining <= 0) return 0;
  return rate > 0 ? remaining / rate : null;
}

/** `failed`: streams that failed (they stop counting towards a mirrored job's end). */
export function jobProgress(mode: BackupMode | null, size: number, streams: readonly StreamProgress[], failed: ReadonlySet<number> = new Set()): JobProgress {
  if (mode === 'failover') {
    const bytes = Math.min(size, streams.reduce((sum, s) => sum + s.bytes, 0));
    const throughput = streams.reduce((sum, s) => sum + s.throughput, 0);
    return { bytes, size, throughput, secondsLeft: secondsLeft(size - bytes, throughput) };
  }
  const writing = streams.filter((s) => !failed.has(s.stream));
  const counted = writing.length ? writing : streams;
  if (!counted.length) return { bytes: 0, size, throughput: 0, secondsLeft: null };
  const slowest = counted.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  let left: number | null = 0;
  for (const s of counted) {
    const own = secondsLeft(size - s.bytes, s.throughput);
    left = own === null || left === null ? null : Math.max(left, own);
  }
  return { bytes: slowest.bytes, size, throughput: slowest.throughput, secondsLeft: left };
}
