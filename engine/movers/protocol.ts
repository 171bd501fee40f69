// The control protocol between the manager and a mover process, over the process's IPC channel.
// Only control messages travel here (write these chunks onto this tape at this position; chunk
// stored at position P with checksum C; failed because ...): the data itself flows from storage
// to the tape inside the mover. Both ends validate every message.
import { z } from 'zod';
import { Fault, MoverKind } from '../contract';

const Count = z.number().int().nonnegative();

export const LibraryInfo = z.object({
  id: z.string(),
  dir: z.string(),
  tapes: z.array(z.object({ id: z.string(), capacity: z.number().int().positive() })),
  loadDelayMs: Count,
  positionDelayMs: Count,
});
export type LibraryInfo = z.infer<typeof LibraryInfo>;

/** Everything a mover needs for one stream of one job. */
export const InitMessage = z.object({
  type: z.literal('init'),
  mover: z.object({ id: z.string(), kind: MoverKind }),
  /** The target's listing, written by the manager when the agent prepared the target. */
  listingFile: z.string(),
  streamSize: Count,
  chunkSize: z.number().int().positive(),
  backupId: z.number().int().positive(),
  stream: Count,
  library: LibraryInfo,
  /** Bytes kept free at the end of every tape for its catalog record. */
  reserveTail: Count,
  /** The devices of this stream's path (storage, switches), for the faults that concern them. */
  path: z.array(z.string()),
  /** Faults of this stream's devices (mover, storage, switches, library, its tapes). */
  faults: z.array(Fault),
});
export type InitMessage = z.infer<typeof InitMessage>;

/** Mount a tape of the stream's library. */
export const LoadMessage = z.object({ type: z.literal('load'), seq: Count, tape: z.string() });

/**
 * Write chunks [first, first + count) of the backup stream onto the loaded tape, starting at a
 * position. A copy device gets one chunk per command (EXTENDED COPY: source range, destination
 * tape and position, length); a backup server gets the whole rest of the stream.
 */
export const WriteMessage = z.object({
  type: z.literal('write'),
  seq: Count,
  tape: z.string(),
  position: Count,
  first: Count,
  count: z.number().int().positive(),
});
export type WriteMessage = z.infer<typeof WriteMessage>;

export const StopMessage = z.object({ type: z.literal('stop') });

export const ToMover = z.discriminatedUnion('type', [InitMessage, LoadMessage, WriteMessage, StopMessage]);
export type ToMover = z.infer<typeof ToMover>;

export const FileChangeReport = z.object({
  no: Count,
  path: z.string(),
  reason: z.enum(['changed', 'vanished']),
  detail: z.string(),
});

/** The mover process has started and waits for its work. */
export const HelloMessage = z.object({ type: z.literal('hello'), pid: Count });
/** The mover has its work (init) and can read the target's stream. */
export const ReadyMessage = z.object({ type: z.literal('ready') });
export const LoadedMessage = z.object({ type: z.literal('loaded'), seq: Count, tape: z.string(), labeledAt: z.string() });

/** A chunk whose record is durable (fsync'd and committed) on the tape. */
export const StoredMessage = z.object({
  type: z.literal('stored'),
  seq: Count,
  chunk: Count,
  offset: Count,
  length: Count,
  tape: z.string(),
  position: Count,
  end: Count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The run of consecutive records this chunk ends: its first position and the SHA-256 of its records' digests. */
  run: z.object({ position: Count, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  changes: z.array(FileChangeReport),
});
export type StoredMessage = z.infer<typeof StoredMessage>;

export const DoneMessage = z.object({ type: z.literal('done'), seq: Count });

/**
 * Why a command failed. end-of-medium: the tape cannot take the next chunk (nothing written);
 * the others are faults of a device (`device`), after which the stream is given up.
 */
export const FailureCode = z.enum(['end-of-medium', 'io-error', 'media-error', 'path-down', 'device-offline']);
export type FailureCode = z.infer<typeof FailureCode>;

export const FailedMessage = z.object({
  type: z.literal('failed'),
  seq: Count,
  chunk: Count.nullable(),
  code: FailureCode,
  device: z.string().nullable(),
  message: z.string(),
});
export type FailedMessage = z.infer<typeof FailedMessage>;

export const FromMover = z.discriminatedUnion('type', [HelloMessage, ReadyMessage, LoadedMessage, StoredMessage, DoneMessage, FailedMessage]);
export type FromMover = z.infer<typeof FromMover>;
