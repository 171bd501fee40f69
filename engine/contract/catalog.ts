// Browsing the catalog (SPEC "Restore", steps 2000-2010): the targets that have backups, the
// backups of a target newest first with what became of them (the job's outcome, complete copies,
// tapes), one directory of a backup at a time, and a search by file name. What the restore
// browser shows before the operator picks what to restore.
import { z } from 'zod';
import { BackupView, FragmentView } from './backups';
import { JobState } from './jobs';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

/** Entries of one directory listed at once when no limit is given, and at most. */
export const DEFAULT_LIST_LIMIT = 1000;
export const MAX_LIST_LIMIT = 10_000;
/** Backups of a target listed at once when no limit is given, and at most. */
export const DEFAULT_BACKUPS_LIMIT = 1000;
export const MAX_BACKUPS_LIMIT = 10_000;
/** Search hits returned when no limit is given, and at most. */
export const DEFAULT_FIND_LIMIT = 100;
export const MAX_FIND_LIMIT = 10_000;

/** A target that has backups in the catalog. */
export const TargetSummary = z.object({
  target: z.string(),
  /** Every backup of the target the catalog holds, whatever became of it. */
  backups: Count,
  /** Backups in state `complete`. */
  completeBackups: Count,
  /** The data time of the newest complete backup; null when none is complete. */
  newestDataTime: z.string().nullable(),
});
export type TargetSummary = z.infer<typeof TargetSummary>;

/** A backup as the restore browser lists it. */
export const BackupSummary = BackupView.extend({
  /** The state of the backup's job. */
  outcome: JobState,
  /** Copies in state `complete`. */
  completeCopies: Count,
  /** Every tape holding a fragment of the backup, by copy then place in the stream, each once. */
  tapes: z.array(z.string()),
  /** The backup is complete and has at least one complete copy: a restore can be asked for. */
  restorable: z.boolean(),
});
export type BackupSummary = z.infer<typeof BackupSummary>;

/** A backup with where every byte of it went (table [460]), by copy in stream order. */
export const BackupDetail = BackupSummary.extend({
  fragments: z.array(FragmentView),
});
export type BackupDetail = z.infer<typeof BackupDetail>;

export const EntryType = z.enum(['file', 'directory', 'symlink']);
export type EntryType = z.infer<typeof EntryType>;

/** ok: stored as listed; changed, vanished: the file changed or went away while it was backed up (its data is not what was listed). */
export const EntryStatus = z.enum(['ok', 'changed', 'vanished']);
export type EntryStatus = z.infer<typeof EntryStatus>;

/** One entry of a directory of a backup. */
export const DirectoryEntry = z.object({
  /** The entry's number in the backup (its place in the backup stream). */
  no: Count,
  name: z.string(),
  /** '/'-separated, relative to the backup's root. */
  path: z.string(),
  type: EntryType,
  size: Count,
  mtimeMs: z.number().int(),
  mode: Count,
  /** What a symlink points to; null for other entries. */
  linkTarget: z.string().nullable(),
  status: EntryStatus,
  /** How many entries a directory holds (not counting deeper ones); null for other entries. */
  children: Count.nullable(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** One page of a directory of a backup, ordered by name (the bytes of its UTF-8 form). */
export const DirectoryListing = z.object({
  backupId: Id,
  /** The directory ('' for the backup's root). */
  path: z.string(),
  entries: z.array(DirectoryEntry),
  /** Entries in the directory in all; the page holds those from `offset` on. */
  total: Count,
  offset: Count,
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;

export const ListOptions = z
  .object({
    offset: Count.default(0),
    limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
  })
  .strict();
export type ListOptionsInput = z.input<typeof ListOptions>;
export type ListOptions = z.output<typeof ListOptions>;

export const BackupsOptions = z
  .object({
    limit: z.number().int().min(1).max(MAX_BACKUPS_LIMIT).default(DEFAULT_BACKUPS_LIMIT),
    /** A backup of the target: list the ones after it (older), to page through a long history. */
    before: Id.optional(),
  })
  .strict();
export type BackupsOptionsInput = z.input<typeof BackupsOptions>;
export type BackupsOptions = z.output<typeof BackupsOptions>;

/**
 * A search by file name: a case-insensitive part of the name (not of the path), in one backup or
 * in every complete backup of a target.
 */
const FindName = z.string().min(1).max(255);
const FindLimit = z.number().int().min(1).max(MAX_FIND_LIMIT).default(DEFAULT_FIND_LIMIT);
export const FindInBackup = z.object({ backupId: Id, name: FindName, limit: FindLimit }).strict();
export const FindInTarget = z.object({ target: z.string().min(1), name: FindName, limit: FindLimit }).strict();
export const FindRequest = z.union([FindInBackup, FindInTarget]);
export type FindRequestInput = z.input<typeof FindRequest>;
export type FindRequest = z.output<typeof FindRequest>;

/** An entry whose name matches a search. */
export const SearchHit = z.object({
  backupId: Id,
  dataTime: z.string(),
  path: z.string(),
  type: EntryType,
  size: Count,
});
export type SearchHit = z.infer<typeof SearchHit>;
