// The control protocol between the manager and a mover process, over the process's IPC channel.
// Only control messages travel here (write these chunks onto this tape at this position; chunk
// stored at position P with checksum C; failed because ...): the data itself flows from storage
// to the tape inside the mover. Both ends validate every message.
import { z } from 'zod';
import { ConflictPolicy, Fault, LiveFault, MoverKind } from '../contract';

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

const ReadSource = z.object({ copy: Count, library: z.string(), tape: z.string(), position: Count });

/**
 * A restore (step 2070) or a verification, as the manager planned it: the chunks to read in stream
 * order, each with its sources (the first, then the others when it fails), from the libraries
 * reserved for the job. Large, so it travels as a file (`workFile`) that the mover validates.
 */
export const ReadWork = z.object({
  mover: z.object({ id: z.string(), kind: MoverKind }),
  backupId: z.number().int().positive(),
  sourceKind: z.enum(['directory', 'file', 'volume']),
  libraries: z.array(LibraryInfo),
  chunks: z.array(z.object({ index: Count, offset: Count, length: Count, sources: z.array(ReadSource) })),
  faults: z.array(Fault),
  /** Restore: where and what to extract. Verify: the fragments whose checksums to check. */
  task: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('restore'),
      destination: z.string(),
      onConflict: ConflictPolicy,
      /** Names the temporary files (`.<name>.mpb-<tag>-<no>.tmp`). */
      tag: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
      entries: z.array(
        z.object({
          no: Count,
          path: z.string(),
          name: z.string(),
          type: z.enum(['file', 'directory', 'symlink']),
          size: Count,
          mtimeMs: z.number(),
          mode: z.int().min(0).max(0o7777),
          linkTarget: z.string().optional(),
          offset: Count,
          dataOffset: Count,
        }),
      ),
    }),
    z.object({
      kind: z.literal('verify'),
      fragments: z.array(z.object({ copy: Count, tape: z.string(), position: Count, offset: Count, size: Count, sha256: z.string() })),
    }),
  ]),
});
export type ReadWork = z.infer<typeof ReadWork>;

export const ReadMessage = z.object({ type: z.literal('read'), seq: Count, workFile: z.string() });

/** A fault injected now (demo sites): it fires as the mover handles its next chunk. Needs no answer. */
export const FaultMessage = z.object({ type: z.literal('fault'), fault: LiveFault });

export const ToMover = z.discriminatedUnion('type', [InitMessage, LoadMessage, WriteMessage, StopMessage, ReadMessage, FaultMessage]);
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

/** A chunk read and checked (restore: handed to the extraction). */
export const ChunkReadMessage = z.object({ type: z.literal('chunk-read'), seq: Count, chunk: Count, length: Count, copy: Count, library: z.string(), tape: z.string() });
/** A chunk that could not be read from one source; `retry` says whether another source follows. */
export const ReadFailedMessage = z.object({
  type: z.literal('read-failed'),
  seq: Count,
  chunk: Count,
  copy: Count,
  library: z.string(),
  tape: z.string(),
  device: z.string().nullable(),
  message: z.string(),
  retry: z.boolean(),
});
/** Restore: what became of entries (batched). */
export const EntriesMessage = z.object({
  type: z.literal('entries'),
  seq: Count,
  outcomes: z.array(
    z.object({ no: Count, path: z.string(), outcome: z.enum(['restored', 'skipped', 'failed']), renamedTo: z.string().nullable(), reason: z.string().nullable() }),
  ),
});
/** Verify: a fragment whose checksum did not match. */
export const FragmentBadMessage = z.object({ type: z.literal('fragment-bad'), seq: Count, copy: Count, tape: z.string(), position: Count, message: z.string() });

export const FromMover = z.discriminatedUnion('type', [
  HelloMessage,
  ReadyMessage,
  LoadedMessage,
  StoredMessage,
  DoneMessage,
  FailedMessage,
  ChunkReadMessage,
  ReadFailedMessage,
  EntriesMessage,
  FragmentBadMessage,
]);
export type FromMover = z.infer<typeof FromMover>;
