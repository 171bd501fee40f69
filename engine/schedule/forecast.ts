// The forecast of planned runs in a time range: when each enabled schedule's runs fall due, how
// long each is expected to take (the median of its target's completed backups, else the target's
// size at the site's measured rate, else at a default rate), and whether enough independent
// streams will be free: the streams of the runs that overlap it are added up and compared with
// the streams the site can give now (the allocator's feasibility). A run expected to end after
// its window closes is flagged too.
import type { ForecastEntry, MoverKind } from '../contract';
import type { PastBackup, ScheduleHost, StoredSchedule } from './host';
import { moverOf } from './settings';
import { dueTimes, windowClose } from './timing';

/** Bytes per second assumed when the site has no completed backup to measure. */
export const DEFAULT_RATE = 50 * 2 ** 20;
/** The shortest expected duration. */
const MIN_DURATION_MS = 1000;
/** Planned runs listed at most. */
export const MAX_FORECAST_RUNS = 2000;

interface Planned {
  schedule: StoredSchedule;
  due: number;
  end: number;
  durationMs: number;
  basis: ForecastEntry['durationBasis'];
  windowEnd: number | null;
  mover: MoverKind;
}

export function forecast(host: ScheduleHost, schedules: readonly StoredSchedule[], from: Date, to: Date): ForecastEntry[] {
  const rate = measuredRate(host.history()) ?? DEFAULT_RATE;
  const durations = new Map<string, { ms: number; basis: ForecastEntry['durationBasis'] }>();
  const planned: Planned[] = [];
  for (const schedule of schedules.filter((s) => s.enabled)) {
    let expected = durations.get(schedule.target);
    if (!expected) {
      expected = expectedDuration(host, schedule.target, rate);
      durations.set(schedule.target, expected);
    }
    // Runs due at `from` itself are included.
    for (const due of dueTimes(schedule, new Date(from.getTime() - 1), new Date(to.getTime() - 1), MAX_FORECAST_RUNS)) {
      const close = windowClose(schedule, due);
      planned.push({
        schedule,
        due: due.getTime(),
        end: due.getTime() + expected.ms,
        durationMs: expected.ms,
        basis: expected.basis,
        windowEnd: close?.getTime() ?? null,
        mover: moverOf(schedule.mode),
      });
    }
  }
  planned.sort((a, b) => a.due - b.due || a.schedule.id - b.schedule.id);
  planned.splice(MAX_FORECAST_RUNS);

  const available = new Map<string, number>();
  const streamsFor = (mover: MoverKind, target: string): number => {
    let storage: string | undefined;
    try {
      storage = host.checkBackup({ target }).storage;
    } catch {
      storage = undefined;
    }
    const key = `${mover} ${storage ?? ''}`;
    if (!available.has(key)) available.set(key, host.feasibility(mover, storage));
    return available.get(key)!;
  };

  return planned.map((run) => {
    const overlapping = planned.filter((o) => o !== run && o.due < run.end && run.due < o.end);
    const needed = run.schedule.streams + overlapping.reduce((sum, o) => sum + o.schedule.streams, 0);
    const free = streamsFor(run.mover, run.schedule.target);
    const reasons: string[] = [];
    if (run.schedule.streams > free) {
      reasons.push(`it needs ${run.schedule.streams} independent streams; the site can give ${free} with ${run.mover}s now`);
    } else if (needed > free) {
      reasons.push(
        `${overlapping.length + 1} runs at the same time need ${needed} independent streams; the site can give ${free} with ${run.mover}s now (overlaps schedule ${unique(overlapping.map((o) => o.schedule.id)).join(', ')})`,
      );
    }
    if (run.windowEnd !== null && run.end > run.windowEnd) {
      reasons.push(`expected to end at ${iso(run.end)}, after its window closes at ${iso(run.windowEnd)}`);
    }
    return {
      scheduleId: run.schedule.id,
      target: run.schedule.target,
      mode: run.schedule.mode,
      streams: run.schedule.streams,
      dueAt: iso(run.due),
      expectedDurationMs: run.durationMs,
      durationBasis: run.basis,
      expectedEndAt: iso(run.end),
      windowEndAt: run.windowEnd === null ? null : iso(run.windowEnd),
      streamsAvailable: free,
      streamsNeeded: needed,
      overlapsWith: unique(overlapping.map((o) => o.schedule.id)),
      conflict: reasons.length > 0,
      reasons,
    };
  });
}

/** The median duration of the target's completed backups, else its size at `rate`. */
export function expectedDuration(host: ScheduleHost, target: string, rate: number): { ms: number; basis: ForecastEntry['durationBasis'] } {
  let name = target;
  try {
    name = host.checkBackup({ target }).target;
  } catch {
    // A target gone from storage: its history still tells.
  }
  const past = host.history(name).map((b) => b.durationMs);
  if (past.length > 0) return { ms: Math.max(MIN_DURATION_MS, Math.round(median(past))), basis: 'history' };
  const size = host.targetSize(name) ?? 0;
  return { ms: Math.max(MIN_DURATION_MS, Math.round((size / rate) * 1000)), basis: 'size' };
}

/** Bytes per second over the site's completed backups, null when there are none. */
export function measuredRate(history: readonly PastBackup[]): number | null {
  const ms = history.reduce((sum, b) => sum + b.durationMs, 0);
  const bytes = history.reduce((sum, b) => sum + b.size, 0);
  return ms > 0 && bytes > 0 ? (bytes / ms) * 1000 : null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
