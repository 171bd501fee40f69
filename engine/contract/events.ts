// Events a running job sends to whoever watches it (the UI, the command line): per-stream
// progress (at most 10 a second per job), a stream that failed and why, a failover from one
// stream to the next, state changes and the end of the job.
import { z } from 'zod';
import { JobState } from './jobs';

export const StreamProgress = z.object({
  stream: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  /** Bytes per second over the last interval. */
  throughput: z.number().nonnegative(),
});
export type StreamProgress = z.infer<typeof StreamProgress>;

export const JobEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job-state'), jobId: z.number().int(), state: JobState, message: z.string().nullable() }),
  z.object({
    type: z.literal('progress'),
    jobId: z.number().int(),
    /** Size of the backup stream. */
    size: z.number().int().nonnegative(),
    streams: z.array(StreamProgress),
  }),
  z.object({
    type: z.literal('stream-failed'),
    jobId: z.number().int(),
    stream: z.number().int().nonnegative(),
    /** The device at fault, when known. */
    device: z.string().nullable(),
    cause: z.string(),
  }),
  z.object({
    type: z.literal('failover'),
    jobId: z.number().int(),
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    chunk: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('job-finished'),
    jobId: z.number().int(),
    state: JobState,
    backupId: z.number().int().nullable(),
    message: z.string().nullable(),
  }),
]);
export type JobEvent = z.infer<typeof JobEvent>;
