// Backups: what the operator asks for (a target, a mode, how many streams, chunk size, command
// timeout, injected faults) and what the backup processor [403] answers: the job, its streams,
// and where every byte went (the fragments of table [460]).
import { z } from 'zod';
import { Fault } from './faults';
import { BackupMode, Job } from './jobs';
import { MAX_STREAMS, MIN_STREAMS, StreamConstraint } from './streams';

export const DEFAULT_CHUNK_SIZE = 8 * 2 ** 20;
export const MIN_CHUNK_SIZE = 64 * 2 ** 10;
export const MAX_CHUNK_SIZE = 64 * 2 ** 20;
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

export const BackupRequest = z
  .object({
    /** A volume such as `X:` or a path under the storage root such as `/pictures`. */
    target: z.string().min(1),
    mode: BackupMode.default('mirrored'),
    streams: z.number().int().min(MIN_STREAMS).max(MAX_STREAMS).default(MIN_STREAMS),
    /** The backup stream is cut into chunks of this many bytes (the last may be shorter). */
    chunkSize: z.number().int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE).default(DEFAULT_CHUNK_SIZE),
    /** A mover that does not answer a command (or, mirrored, report progress) within this is fenced. */
    timeoutMs: z.number().int().min(10).max(24 * 3600_000).default(DEFAULT_COMMAND_TIMEOUT_MS),
    /** Per-stream operator choices (pinned or excluded devices), as for a stream plan. */
    constraints: z.array(StreamConstraint).max(MAX_STREAMS).default([]),
    /** Faults to inject into this job's devices (drills and tests). */
    faults: z.array(Fault).default([]),
    /** The schedule [410] starting this backup, recorded with its job. */
    scheduleId: z.number().int().positive().optional(),
  })
  .strict();
export type BackupRequestInput = z.input<typeof BackupRequest>;
export type BackupRequest = z.output<typeof BackupRequest>;

/**
 * reserved: held, not yet writing; running: writing; completed: wrote everything it was given;
 * failed: stopped by a fault (its mover fenced); unused: a failover stream that was never needed.
 */
export const StreamStatus = z.enum(['reserved', 'running', 'completed', 'failed', 'unused']);
export type StreamStatus = z.infer<typeof StreamStatus>;

export const StreamOutcome = z.object({
  stream: z.number().int().nonnegative(),
  mover: z.string(),
  library: z.string(),
  /** Every tape the stream wrote on, in order (more than one when it spanned). */
  tapes: z.array(z.string()),
  switches: z.array(z.string()),
  status: StreamStatus,
  bytes: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type StreamOutcome = z.infer<typeof StreamOutcome>;

/** One row of table [460]: a contiguous run of a backup stream on one tape. */
export const FragmentView = z.object({
  copy: z.number().int().nonnegative(),
  stream: z.number().int().nonnegative(),
  library: z.string(),
  tape: z.string(),
  /** Byte position of the run's first record on the tape. */
  position: z.number().int().nonnegative(),
  /** Bytes of the backup stream in the run. */
  size: z.number().int().nonnegative(),
  /** Where the run starts in the backup stream. */
  offset: z.number().int().nonnegative(),
  chunks: z.number().int().positive(),
  sha256: z.string(),
});
export type FragmentView = z.infer<typeof FragmentView>;

/** running -> complete | failed | interrupted. Only complete backups are offered for restore. */
export const BackupState = z.enum(['running', 'complete', 'failed', 'interrupted']);
export type BackupState = z.infer<typeof BackupState>;

/** A copy of a backup: mirrored jobs make one per completed stream, failover jobs one in all. */
export const CopyState = z.enum(['writing', 'complete', 'failed']);
export type CopyState = z.infer<typeof CopyState>;

export const BackupView = z.object({
  id: z.number().int().positive(),
  jobId: z.number().int().positive(),
  target: z.string(),
  mode: BackupMode,
  state: BackupState,
  /** The time the data represents: when the target's listing was taken. */
  dataTime: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  size: z.number().int().nonnegative(),
  chunkSize: z.number().int().positive(),
  /** directory: a pax tar of a folder; file: a tar of one file; volume: the raw bytes of an image. */
  sourceKind: z.enum(['directory', 'file', 'volume']),
  files: z.number().int().nonnegative(),
  copies: z.array(z.object({ copy: z.number().int().nonnegative(), state: CopyState })),
});
export type BackupView = z.infer<typeof BackupView>;

export const BackupResult = z.object({
  job: Job,
  backup: BackupView.nullable(),
  streams: z.array(StreamOutcome),
  fragments: z.array(FragmentView),
});
export type BackupResult = z.infer<typeof BackupResult>;
