// Browsing what the catalog holds (SPEC "Restore", steps 2000-2010): targets, the backups of a
// target newest first with their outcome, copies and tapes, one directory of a backup at a time,
// a search by name, and the entries a path stands for. Read-only: nothing here writes.
//
// The file index is a tree by `parent_no`, numbered depth first in stream order with each
// directory before its contents, so:
// - one directory is one range of the index `file_index(backup_id, parent_no, name)`, already
//   in name order: a page of it costs its own rows, whatever the size of the directory;
// - a directory's subtree is the run of entry numbers from the directory to the first later
//   entry whose parent comes before the directory (or is the root): one range of the primary key.
// Paths are not stored: they are built by walking `parent_no`, with a cache per call and backup.
import type {
  BackupSummary,
  CopyState,
  DirectoryEntry,
  DirectoryListing,
  EntryStatus,
  EntryType,
  JobState,
  SearchHit,
  TargetSummary,
} from '../contract';
import { BackupsOptions, DEFAULT_FIND_LIMIT, ListOptions, type BackupsOptionsInput, type ListOptionsInput } from '../contract';
import { backupView, type BackupRow as BackupTableRow, type FileIndexEntry } from './backups';
import type { CatalogDatabase } from './database';
import { CatalogError, CatalogRequestError, NotFoundError } from './errors';

/** An entry of a backup's file index with its path inside the backup. */
export interface IndexedEntry extends FileIndexEntry {
  type: EntryType;
  status: EntryStatus;
  /** '/'-separated, relative to the backup's root. */
  path: string;
}

/** Where a search looks: one backup, or every complete backup of a target. */
export type FindScope = { backupId: number } | { target: string };

/** Longest path accepted inside a backup. */
const MAX_PATH = 4096;

/** A backup row with its job's outcome. */
type BackupRow = BackupTableRow & { outcome: string };

interface EntryRow {
  no: number;
  parent: number | null;
  name: string;
  type: string;
  size: number;
  mtime: number;
  mode: number;
  offset: number;
  link: string | null;
  status: string;
}

const ENTRY = `file_no AS no, parent_no AS parent, name, type, size, mtime, mode, stream_offset AS offset, link_target AS link, status`;
const BACKUP = `SELECT b.*, j.state AS outcome FROM backup b JOIN job j ON j.id = b.job_id`;
const NEWEST_FIRST = `ORDER BY b.data_time DESC, b.id DESC`;
const CHILDREN = `CASE WHEN f.type = 'directory' THEN (SELECT count(*) FROM file_index c WHERE c.backup_id = f.backup_id AND c.parent_no = f.file_no) END AS children`;

/**
 * The components of a path inside a backup: '/'-separated and relative; '' and '/' are the root;
 * one leading and one trailing '/' are allowed. Empty components, '.', '..' and NUL are refused.
 */
export function pathComponents(text: string): string[] {
  if (text.length > MAX_PATH) throw new CatalogRequestError(`a path inside a backup has at most ${MAX_PATH} characters, not ${text.length}`);
  const inner = text.replace(/^\//, '').replace(/\/$/, '');
  if (inner === '' && text.length <= 1) return [];
  const parts = inner.split('/');
  for (const part of parts) {
    const problem =
      part === '' ? 'it has an empty component'
      : part === '.' || part === '..' ? `"${part}" is not allowed in it`
      : part.includes('\0') ? 'it holds a NUL character'
      : null;
    if (problem) throw new CatalogRequestError(`"${text}" is not a path inside a backup: ${problem}`);
  }
  return parts;
}

/**
 * Patterns matching names that hold `needle` with letters in either case, wildcards taken
 * literally. `glob` is exact (any cased letter, ASCII or not: `ü` is `[üÜ]`); `like` is a cheaper
 * superset for a first pass (SQLite's LIKE folds ASCII letters only, so other cased letters are `_`).
 */
export function namePatterns(needle: string): { like: string; glob: string } {
  let glob = '*';
  let like = '%';
  for (const char of needle) {
    const variants = new Set([char, char.toLowerCase(), char.toUpperCase()].filter((c) => [...c].length === 1));
    const ascii = char.charCodeAt(0) < 0x80;
    glob += variants.size > 1 ? `[${[...variants].join('')}]` : char === '*' || char === '?' || char === '[' ? `[${char}]` : char;
    like += char === '%' || char === '_' || char === '\\' ? `\\${char}` : variants.size > 1 && !ascii ? '_' : char;
  }
  return { like: `${like}%`, glob: `${glob}*` };
}

export class BrowseRepository {
  constructor(private readonly db: CatalogDatabase) {}

  /** Every target that has a backup, by name. */
  targets(): TargetSummary[] {
    return this.db
      .all<{ target: string; backups: number; complete: number; newest: string | null }>(
        `SELECT target, count(*) AS backups, sum(state = 'complete') AS complete, max(CASE WHEN state = 'complete' THEN data_time END) AS newest
         FROM backup GROUP BY target ORDER BY target`,
      )
      .map((r) => ({ target: r.target, backups: r.backups, completeBackups: r.complete, newestDataTime: r.newest }));
  }

  /** The backups of a target, newest data time first (then highest id); [] when it has none. */
  backups(target: string, options: BackupsOptionsInput = {}): BackupSummary[] {
    const { limit, before } = BackupsOptions.parse(options);
    if (before === undefined) {
      return this.summaries(this.db.all<BackupRow>(`${BACKUP} WHERE b.target = ? ${NEWEST_FIRST} LIMIT ?`, [target, limit]));
    }
    const after = this.db.get<{ data_time: string; target: string }>('SELECT data_time, target FROM backup WHERE id = ?', [before]);
    if (!after || after.target !== target) throw new NotFoundError(`no backup ${before} of target "${target}" to list the backups before`);
    return this.summaries(
      this.db.all<BackupRow>(`${BACKUP} WHERE b.target = ? AND (b.data_time < ? OR (b.data_time = ? AND b.id < ?)) ${NEWEST_FIRST} LIMIT ?`, [
        target,
        after.data_time,
        after.data_time,
        before,
        limit,
      ]),
    );
  }

  /** One backup; NotFoundError when the catalog has no such backup. */
  backup(id: number): BackupSummary {
    const row = this.db.get<BackupRow>(`${BACKUP} WHERE b.id = ?`, [id]);
    if (!row) throw new NotFoundError(`no backup ${id} in the catalog`);
    return this.summaries([row])[0]!;
  }

  /**
   * The entry at `path` inside a backup, or null for its root ('' or '/'). NotFoundError names
   * the backup or the first component that is not there; CatalogRequestError a malformed path.
   */
  resolve(backupId: number, path: string): IndexedEntry | null {
    const parts = pathComponents(path);
    this.assertBackup(backupId);
    let entry: IndexedEntry | null = null;
    for (const name of parts) {
      if (entry && entry.type !== 'directory') {
        throw new NotFoundError(`"${path}" is not in backup ${backupId}: "${entry.path}" is a ${entry.type}, not a directory`);
      }
      const row: EntryRow | undefined = entry
        ? this.db.get<EntryRow>(`SELECT ${ENTRY} FROM file_index INDEXED BY file_index_dir WHERE backup_id = ? AND parent_no = ? AND name = ?`, [backupId, entry.no, name])
        : this.db.get<EntryRow>(`SELECT ${ENTRY} FROM file_index INDEXED BY file_index_dir WHERE backup_id = ? AND parent_no IS NULL AND name = ?`, [backupId, name]);
      if (!row) {
        const where = entry ? `"${entry.path}" has no entry "${name}"` : `its root has no entry "${name}"`;
        throw new NotFoundError(`"${path}" is not in backup ${backupId}: ${where}`);
      }
      entry = toEntry(row, entry ? `${entry.path}/${row.name}` : row.name);
    }
    return entry;
  }

  /** One page of a directory of a backup (its root for '' or '/'), by name, with the directory's entry count. */
  list(backupId: number, path: string, options: ListOptionsInput = {}): DirectoryListing {
    const { offset, limit } = ListOptions.parse(options);
    const dir = this.resolve(backupId, path);
    if (dir && dir.type !== 'directory') throw new CatalogRequestError(`"${dir.path}" in backup ${backupId} is a ${dir.type}, not a directory`);
    const dirPath = dir?.path ?? '';
    const parent = dir ? 'parent_no = ?' : 'parent_no IS NULL';
    const params = dir ? [backupId, dir.no] : [backupId];
    const total = this.db.get<{ n: number }>(`SELECT count(*) AS n FROM file_index INDEXED BY file_index_dir WHERE backup_id = ? AND ${parent}`, params)!.n;
    // The page's keys in name order from the index alone (skipping `offset` entries reads no
    // row), then the page's rows by key (reordered here, cheaper than sorting them in SQL).
    const keys = this.db
      .all<{ no: number }>(`SELECT file_no AS no FROM file_index INDEXED BY file_index_dir WHERE backup_id = ? AND ${parent} ORDER BY name LIMIT ? OFFSET ?`, [...params, limit, offset])
      .map((r) => r.no);
    const byNo = new Map<number, EntryRow & { children: number | null }>();
    if (keys.length > 0) {
      for (const row of this.db.all<EntryRow & { children: number | null }>(
        `SELECT ${ENTRY}, ${CHILDREN} FROM file_index f WHERE backup_id = ? AND file_no IN (SELECT value FROM json_each(?))`,
        [backupId, JSON.stringify(keys)],
      )) {
        byNo.set(row.no, row);
      }
    }
    const entries = keys.map((no): DirectoryEntry => {
      const row = byNo.get(no)!;
      const e = toEntry(row, dirPath === '' ? row.name : `${dirPath}/${row.name}`);
      return { no: e.no, name: e.name, path: e.path, type: e.type, size: e.size, mtimeMs: e.mtimeMs, mode: e.mode, linkTarget: e.linkTarget ?? null, status: e.status, children: row.children };
    });
    return { backupId, path: dirPath, entries, total, offset };
  }

  /**
   * Entries whose name holds `name` (any case; `%`, `_`, `*`, `?` and `[` are plain characters),
   * in one backup (in stream order) or in every complete backup of a target (newest backup first).
   */
  find(scope: FindScope, name: string, options: { limit?: number } = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_FIND_LIMIT;
    const { like, glob } = namePatterns(name);
    type HitRow = { backupId: number; dataTime: string; no: number; parent: number | null; name: string; type: string; size: number };
    let rows: HitRow[];
    if ('backupId' in scope) {
      const dataTime = this.assertBackup(scope.backupId);
      rows = this.db
        .all<Omit<HitRow, 'backupId' | 'dataTime'>>(
          `SELECT file_no AS no, parent_no AS parent, name, type, size FROM file_index WHERE backup_id = ? AND name LIKE ? ESCAPE '\\' AND name GLOB ? ORDER BY file_no LIMIT ?`,
          [scope.backupId, like, glob, limit],
        )
        .map((r) => ({ ...r, backupId: scope.backupId, dataTime }));
    } else {
      rows = this.db.all<HitRow>(
        `SELECT f.backup_id AS backupId, b.data_time AS dataTime, f.file_no AS no, f.parent_no AS parent, f.name, f.type, f.size
         FROM backup b JOIN file_index f ON f.backup_id = b.id
         WHERE b.target = ? AND b.state = 'complete' AND f.name LIKE ? ESCAPE '\\' AND f.name GLOB ?
         ${NEWEST_FIRST}, f.file_no LIMIT ?`,
        [scope.target, like, glob, limit],
      );
    }
    const paths = new Map<number, Map<number, string>>();
    return rows.map((r) => {
      let cache = paths.get(r.backupId);
      if (!cache) paths.set(r.backupId, (cache = new Map()));
      const parentPath = r.parent === null ? '' : this.pathOf(r.backupId, r.parent, cache);
      return { backupId: r.backupId, dataTime: r.dataTime, path: parentPath === '' ? r.name : `${parentPath}/${r.name}`, type: r.type as EntryType, size: r.size };
    });
  }

  /**
   * Every entry of the subtree of entry `no` (the entry itself first; a file or symlink is its
   * own subtree), or of the whole backup for null, with paths, in entry-number (stream) order.
   */
  subtree(backupId: number, no: number | null): IndexedEntry[] {
    this.assertBackup(backupId);
    if (no === null) return this.withPaths(backupId, this.db.all<EntryRow>(`SELECT ${ENTRY} FROM file_index WHERE backup_id = ? ORDER BY file_no`, [backupId]), new Map());
    const top = this.db.get<{ parent: number | null }>('SELECT parent_no AS parent FROM file_index WHERE backup_id = ? AND file_no = ?', [backupId, no]);
    if (!top) throw new NotFoundError(`backup ${backupId} has no entry number ${no}`);
    const next = this.db.get<{ no: number }>(
      `SELECT file_no AS no FROM file_index WHERE backup_id = ? AND file_no > ? AND (parent_no IS NULL OR parent_no < ?) ORDER BY file_no LIMIT 1`,
      [backupId, no, no],
    );
    const rows = this.db.all<EntryRow>(`SELECT ${ENTRY} FROM file_index WHERE backup_id = ? AND file_no >= ? AND file_no < ? ORDER BY file_no`, [
      backupId,
      no,
      next?.no ?? Number.MAX_SAFE_INTEGER,
    ]);
    const cache = new Map<number, string>();
    if (top.parent !== null) cache.set(top.parent, this.pathOf(backupId, top.parent, cache));
    return this.withPaths(backupId, rows, cache);
  }

  /** The data time of a backup; NotFoundError when there is no such backup. */
  private assertBackup(backupId: number): string {
    const row = this.db.get<{ data_time: string }>('SELECT data_time FROM backup WHERE id = ?', [backupId]);
    if (!row) throw new NotFoundError(`no backup ${backupId} in the catalog`);
    return row.data_time;
  }

  /** Rows in stream order given paths; each row's parent must be known (in `paths` or an earlier row). */
  private withPaths(backupId: number, rows: EntryRow[], paths: Map<number, string>): IndexedEntry[] {
    return rows.map((row) => {
      let path = row.name;
      if (row.parent !== null) {
        const parentPath = paths.get(row.parent);
        if (parentPath === undefined) throw new CatalogError(`the file index of backup ${backupId} is not depth first: entry ${row.no} comes before its directory ${row.parent}`);
        path = `${parentPath}/${row.name}`;
      }
      if (row.type === 'directory') paths.set(row.no, path);
      return toEntry(row, path);
    });
  }

  /** The path of entry `no`, walking up its parents; every path found is cached. */
  private pathOf(backupId: number, no: number, cache: Map<number, string>): string {
    const chain: Array<{ no: number; name: string }> = [];
    let base = '';
    let current: number | null = no;
    while (current !== null) {
      const known = cache.get(current);
      if (known !== undefined) {
        base = known;
        break;
      }
      const row: { parent: number | null; name: string } | undefined = this.db.get('SELECT parent_no AS parent, name FROM file_index WHERE backup_id = ? AND file_no = ?', [backupId, current]);
      if (!row) throw new CatalogError(`the file index of backup ${backupId} refers to entry ${current}, which it does not hold`);
      if (chain.length > MAX_PATH) throw new CatalogError(`the file index of backup ${backupId} has a cycle through entry ${no}`);
      chain.push({ no: current, name: row.name });
      current = row.parent;
    }
    for (const link of chain.reverse()) {
      base = base === '' ? link.name : `${base}/${link.name}`;
      cache.set(link.no, base);
    }
    return base;
  }

  /** Summaries of backup rows, their copies and tapes read in two queries for all of them. */
  private summaries(rows: BackupRow[]): BackupSummary[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const copies = new Map<number, Array<{ copy: number; state: CopyState }>>();
    for (const c of this.db.all<{ id: number; copy: number; state: string }>(
      'SELECT backup_id AS id, copy, state FROM backup_copy WHERE backup_id IN (SELECT value FROM json_each(?)) ORDER BY backup_id, copy',
      [ids],
    )) {
      let list = copies.get(c.id);
      if (!list) copies.set(c.id, (list = []));
      list.push({ copy: c.copy, state: c.state as CopyState });
    }
    const tapes = new Map<number, Set<string>>();
    for (const t of this.db.all<{ id: number; tape: string }>(
      `SELECT backup_id AS id, tape_id AS tape, copy, min(stream_offset) AS first FROM fragment
       WHERE backup_id IN (SELECT value FROM json_each(?)) GROUP BY backup_id, copy, tape_id ORDER BY backup_id, copy, first`,
      [ids],
    )) {
      let set = tapes.get(t.id);
      if (!set) tapes.set(t.id, (set = new Set()));
      set.add(t.tape);
    }
    return rows.map((r) => {
      const backupCopies = copies.get(r.id) ?? [];
      const completeCopies = backupCopies.filter((c) => c.state === 'complete').length;
      return {
        ...backupView(r, backupCopies),
        outcome: r.outcome as JobState,
        completeCopies,
        tapes: [...(tapes.get(r.id) ?? [])],
        restorable: r.state === 'complete' && completeCopies > 0,
      };
    });
  }
}

function toEntry(row: EntryRow, path: string): IndexedEntry {
  return {
    no: row.no,
    parent: row.parent,
    name: row.name,
    type: row.type as EntryType,
    size: row.size,
    mtimeMs: row.mtime,
    mode: row.mode,
    offset: row.offset,
    status: row.status as EntryStatus,
    path,
    ...(row.link === null ? {} : { linkTarget: row.link }),
  };
}
