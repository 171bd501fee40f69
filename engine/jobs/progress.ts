// Per-stream progress of a running job, sent as `progress` events at most ten times a second per
// job (and once more at the end), with each stream's throughput over the last interval.
import type { JobEvent, StreamProgress } from '../contract';

export const PROGRESS_INTERVAL_MS = 100;

export class ProgressMeter {
  private readonly streams = new Map<number, StreamProgress & { lastBytes: number }>();
  private lastAt = 0;

  constructor(
    private readonly jobId: number,
    private readonly size: number,
    streams: readonly number[],
    private readonly emit: (event: JobEvent) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {
    for (const stream of streams) this.streams.set(stream, { stream, bytes: 0, chunks: 0, throughput: 0, lastBytes: 0 });
    this.lastAt = this.clock();
  }

  /** A chunk of `bytes` was stored by a stream. */
  add(stream: number, bytes: number): void {
    const s = this.streams.get(stream);
    if (!s) return;
    s.bytes += bytes;
    s.chunks += 1;
    if (this.clock() - this.lastAt >= PROGRESS_INTERVAL_MS) this.flush();
  }

  /** Sends the current figures now. */
  flush(): void {
    const now = this.clock();
    const seconds = Math.max(now - this.lastAt, 1) / 1000;
    this.lastAt = now;
    const streams = [...this.streams.values()].map((s) => {
      const throughput = Math.round((s.bytes - s.lastBytes) / seconds);
      s.lastBytes = s.bytes;
      s.throughput = throughput;
      return { stream: s.stream, bytes: s.bytes, chunks: s.chunks, throughput };
    });
    this.emit({ type: 'progress', jobId: this.jobId, size: this.size, streams });
  }
}
