// Restores and verification (SPEC "Restore", the restore processor [404]): what the operator
// selects (a backup, paths inside it, a destination, what to do when a file is already there),
// the plan shown before anything runs (which tapes in which order, which chunk from where), and
// the report at the end (restored, skipped, failed with reasons).
import { z } from 'zod';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './backups';
import { Fault } from './faults';
import { Job } from './jobs';

/** rename: the restored file gets a new name beside the existing one; skip: keep the existing file; overwrite: replace it. */
export const ConflictPolicy = z.enum(['rename', 'skip', 'overwrite']);
export type ConflictPolicy = z.infer<typeof ConflictPolicy>;

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

export const RestoreRequest = z
  .object({
    backupId: Id,
    /** Files and directories inside the backup ('/'-separated, relative to its root); none: the whole backup. */
    paths: z.array(z.string().min(1).max(4096)).max(10_000).default([]),
    /** An absolute directory; created when missing. */
    destination: z.string().min(1).max(4096),
    onConflict: ConflictPolicy.default('rename'),
    /** A mover that does not answer within this is fenced. */
    timeoutMs: z.number().int().min(10).max(24 * 3600_000).default(DEFAULT_COMMAND_TIMEOUT_MS),
    /** Faults to inject while reading (drills and tests): tapes, libraries, the mover. */
    faults: z.array(Fault).default([]),
  })
  .strict();
export type RestoreRequestInput = z.input<typeof RestoreRequest>;
export type RestoreRequest = z.output<typeof RestoreRequest>;

/** Where one chunk of the backup stream is read from. */
export const ChunkSource = z.object({
  copy: Count,
  library: z.string(),
  tape: z.string(),
  /** Byte position of the chunk's record on the tape. */
  position: Count,
});
export type ChunkSource = z.infer<typeof ChunkSource>;

export const PlannedChunk = z.object({
  index: Count,
  /** The chunk's bytes in the backup stream. */
  offset: Count,
  length: Count,
  /** The source read first, then the others in order when it fails; empty when no copy can be read. */
  sources: z.array(ChunkSource),
});
export type PlannedChunk = z.infer<typeof PlannedChunk>;

/** A tape the restore loads, in the order its library reads it. */
export const PlannedTape = z.object({
  library: z.string(),
  tape: z.string(),
  copy: Count,
  /** Chunks read from it first-hand, and their bytes. */
  chunks: Count,
  bytes: Count,
});
export type PlannedTape = z.infer<typeof PlannedTape>;

export const RestorePlan = z.object({
  backupId: Id,
  target: z.string(),
  dataTime: z.string(),
  /** Entries selected (files, directories, symlinks). */
  entries: Count,
  /** Bytes of file data selected. */
  bytes: Count,
  /** Chunks of the backup stream the selection needs, in stream order. */
  chunks: z.array(PlannedChunk),
  /** Per library, the tapes it loads in order; different libraries are read in parallel. */
  tapes: z.array(PlannedTape),
  /** Entries that cannot come back, and why (no readable copy of their chunks). */
  unreadable: z.array(z.object({ path: z.string(), reason: z.string() })),
  /**
   * Each path asked for ('' for the whole backup), with the chunks its entries lie in: where in
   * the reassembled stream it comes from (a directory brings its subtree).
   */
  selections: z.array(
    z.object({
      path: z.string(),
      type: z.enum(['file', 'directory', 'symlink']),
      firstChunk: Count,
      lastChunk: Count,
      entries: Count,
      bytes: Count,
    }),
  ),
});
export type RestorePlan = z.infer<typeof RestorePlan>;

export const RestoreError = z.object({ path: z.string(), reason: z.string() });
export type RestoreError = z.infer<typeof RestoreError>;

export const RestoreResult = z.object({
  job: Job,
  plan: RestorePlan.nullable(),
  destination: z.string(),
  files: z.object({ restored: Count, skipped: Count, failed: Count }),
  /** Every entry not restored: failed ones with the reason, skipped ones with "exists". */
  errors: z.array(RestoreError),
  /** Tapes actually read, in the order they were first read. */
  tapes: z.array(z.string()),
  /** Chunks read, counting second tries from another copy. */
  chunksRead: Count,
  /** Entries restored under another name (policy rename): their path in the backup and where they went. */
  renamed: z.array(z.object({ path: z.string(), to: z.string() })),
});
export type RestoreResult = z.infer<typeof RestoreResult>;

export const VerifyRequest = z
  .object({
    backupId: Id,
    timeoutMs: z.number().int().min(10).max(24 * 3600_000).default(DEFAULT_COMMAND_TIMEOUT_MS),
  })
  .strict();
export type VerifyRequestInput = z.input<typeof VerifyRequest>;

export const CopyVerification = z.object({
  copy: Count,
  /** ok: every chunk and fragment checksum matched; damaged: some did not; unreadable: its libraries could not be used. */
  status: z.enum(['ok', 'damaged', 'unreadable']),
  chunks: Count,
  bytes: Count,
  problems: z.array(z.string()),
});
export type CopyVerification = z.infer<typeof CopyVerification>;

export const VerifyResult = z.object({
  job: Job,
  backupId: Id,
  copies: z.array(CopyVerification),
});
export type VerifyResult = z.infer<typeof VerifyResult>;
