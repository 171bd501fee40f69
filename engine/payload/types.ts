// The listing of a backup target: every entry of its tar stream with the stream offsets of its
// headers and data. It is taken once, when the target is prepared (its time is the data time),
// and from it alone any byte range of the stream can be produced again, by any process.

/** A directory (tar of its contents), a single regular file (tar of that file), or a volume (raw image bytes). */
export type TargetKind = 'directory' | 'file' | 'volume';

export interface ListingEntry {
  /** 0.. in stream order. */
  no: number;
  /** `no` of the parent directory entry, null at top level. */
  parent: number | null;
  /** Relative POSIX path in the archive (for a volume: the image's base name). */
  path: string;
  /** Last path component. */
  name: string;
  type: 'file' | 'directory' | 'symlink';
  /** Data bytes (0 for directories and symlinks). */
  size: number;
  mtimeMs: number;
  /** st_mode & 0o7777. */
  mode: number;
  linkTarget?: string;
  /** Stream offset of this entry's first header byte (its pax header if it has one). */
  offset: number;
  /** Stream offset of its data. */
  dataOffset: number;
}

export interface Listing {
  kind: TargetKind;
  /** Absolute path of the directory, file or image. */
  source: string;
  /** ISO time the listing was taken: the backup's data time. */
  takenAt: string;
  /** Total stream size in bytes. */
  size: number;
  entries: ListingEntry[];
  /** Entries left out of the stream (sockets, fifos, devices, undecodable names), for the caller to log. */
  skipped: Array<{ path: string; reason: string }>;
}

/** A file whose bytes could not be stored as listed: its data in the stream is zeros. */
export interface FileChange {
  no: number;
  path: string;
  reason: 'changed' | 'vanished';
  detail: string;
}
