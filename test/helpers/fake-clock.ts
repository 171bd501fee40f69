// A hand-driven clock and timer for the scheduler: time stands still until a test advances it,
// and timers fire in order at their own times as it passes them (no real waiting).
import type { Clock, TimerHandle } from '../../engine';

/** Lets promises and I/O callbacks queued so far run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: string | Date) {
    this.time = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time to `to`, firing every timer due on the way at its time, in order. */
  async advanceTo(to: string | Date): Promise<void> {
    const end = new Date(to).getTime();
    if (end < this.time) throw new Error(`the fake clock does not go back (${new Date(end).toISOString()} < ${this.now().toISOString()})`);
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of this.timers) if (entry[1].at <= end && (next === null || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[0] < next[0]))) next = entry;
      if (next === null) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.time + ms));
  }
}
