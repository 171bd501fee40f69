// The scheduler's clock and timer, injectable so tests drive time by hand (a fake clock) instead
// of waiting; hosts use the system's.

export type TimerHandle = unknown;

export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, Math.min(ms, 2 ** 31 - 1))),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
