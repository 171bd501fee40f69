// Stream plans: what the operator asks for (how many independent streams, which kind of mover,
// devices pinned or excluded per stream) and what the resource and path selectors answer.
import { z } from 'zod';
import { MoverKind, PortRef } from './inventory';

export const MIN_STREAMS = 2;
export const MAX_STREAMS = 8;

export const StreamConstraint = z
  .object({
    /** Devices or tapes this stream must use (a mover, a library, a tape, switches on its path). */
    pin: z.array(z.string().min(1)).default([]),
    /** Devices or tapes this stream must not use. */
    exclude: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type StreamConstraint = z.infer<typeof StreamConstraint>;

export const StreamRequest = z
  .object({
    /** Number of independent streams k; a backup never runs with fewer than two. */
    streams: z.number().int().min(MIN_STREAMS).max(MAX_STREAMS).default(MIN_STREAMS),
    /** Backup servers for mirrored jobs, copy devices for failover jobs. */
    mover: MoverKind.default('backup-server'),
    /** The storage device the data is read from; may be omitted when the site has one. */
    storage: z.string().min(1).optional(),
    /** Per-stream constraints; entry i applies to stream i. */
    constraints: z.array(StreamConstraint).max(MAX_STREAMS).default([]),
    /** Devices or tapes no stream may use. */
    exclude: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type StreamRequestInput = z.input<typeof StreamRequest>;
export type StreamRequest = z.output<typeof StreamRequest>;

/** One hop of a stream's path: a link from one port to another. */
export const PathHop = z.object({ from: PortRef, to: PortRef });
export type PathHop = z.infer<typeof PathHop>;

export const PlannedStream = z.object({
  stream: z.number().int().nonnegative(),
  mover: z.string(),
  library: z.string(),
  tape: z.string(),
  /** FC switches of the path storage -> mover -> library, in path order, each once. */
  switches: z.array(z.string()),
  /** Every link of the path in order: storage to mover, then mover to library. */
  path: z.array(PathHop),
});
export type PlannedStream = z.infer<typeof PlannedStream>;

export const StreamPlan = z.object({
  feasible: z.boolean(),
  /** The streams that would be reserved (all k when feasible, else the most that could be found). */
  streams: z.array(PlannedStream),
  /** Why it is not feasible, in an operator's words; null when feasible. */
  reason: z.string().nullable(),
});
export type StreamPlan = z.infer<typeof StreamPlan>;
