// Rebuilding the catalog from the tapes: what the rebuild found on every volume of every library
// (read, blank, unreadable and why), the backups it recovered with their copies, fragments and
// file index, and everything it left out and why.
import { z } from 'zod';
import { BackupState, CopyState } from './backups';
import { BackupMode } from './jobs';

const Count = z.number().int().nonnegative();

/** read: its label and records were read; blank: no tape file (never written); unreadable: its label could not be read. */
export const RebuildVolumeStatus = z.enum(['read', 'blank', 'unreadable']);
export type RebuildVolumeStatus = z.infer<typeof RebuildVolumeStatus>;

export const RebuildVolume = z.object({
  library: z.string(),
  tape: z.string(),
  status: RebuildVolumeStatus,
  /** Why the volume is unreadable (null otherwise). */
  reason: z.string().nullable(),
  labeledAt: z.string().nullable(),
  /** End of data: the byte after the last committed record (the tape's used bytes), null when not read. */
  endOfData: Count.nullable(),
  dataRecords: Count,
  catalogRecords: Count,
  /** The tape catalog record used (the newest readable one), null when the tape has none. */
  catalogRecord: z.object({ position: Count, writtenAt: z.string(), backups: Count }).nullable(),
  /** Stretches of unreadable bytes that committed records follow (damage inside the recorded data). */
  damaged: z.array(z.object({ from: Count, to: Count })),
  /** Bytes after the end of data that hold no committed record (a write that was interrupted). */
  trailingBytes: Count,
});
export type RebuildVolume = z.infer<typeof RebuildVolume>;

export const RebuildCopy = z.object({
  copy: Count,
  state: CopyState,
  fragments: Count,
  bytes: Count,
});
export type RebuildCopy = z.infer<typeof RebuildCopy>;

export const RebuildBackup = z.object({
  id: z.number().int().positive(),
  jobId: z.number().int().positive(),
  target: z.string(),
  mode: BackupMode,
  state: BackupState,
  sourceKind: z.enum(['directory', 'file', 'volume']),
  size: Count,
  /**
   * tape-catalog: known from the catalog records on the tapes; record-headers: no catalog record
   * mentions it (its job stopped before step 1170), so only what the record headers say is known.
   */
  source: z.enum(['tape-catalog', 'record-headers']),
  /** A complete backup with at least one complete copy: offered for restore. */
  restorable: z.boolean(),
  copies: z.array(RebuildCopy),
  fileIndexRows: Count,
  problems: z.array(z.string()),
});
export type RebuildBackup = z.infer<typeof RebuildBackup>;

/** Something found on a tape that the rebuilt catalog does not use, and why. */
export const RebuildDrop = z.object({
  library: z.string(),
  tape: z.string(),
  position: Count.nullable(),
  backupId: z.number().int().nonnegative().nullable(),
  what: z.string(),
  reason: z.string(),
});
export type RebuildDrop = z.infer<typeof RebuildDrop>;

export const RebuildReport = z.object({
  site: z.string(),
  rebuiltAt: z.string(),
  /** Where the catalog files that were replaced were moved, null when there were none. */
  previousCatalog: z.string().nullable(),
  summary: z.object({
    volumes: Count,
    volumesRead: Count,
    volumesBlank: Count,
    volumesUnreadable: Count,
    backupsComplete: Count,
    backupsIncomplete: Count,
    fragments: Count,
    fileIndexRows: Count,
    dropped: Count,
  }),
  volumes: z.array(RebuildVolume),
  backups: z.array(RebuildBackup),
  dropped: z.array(RebuildDrop),
  /** Every volume was readable and every restorable backup got its file index. */
  ok: z.boolean(),
});
export type RebuildReport = z.infer<typeof RebuildReport>;
