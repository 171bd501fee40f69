// The restore browser's catalog tree as the rows it shows, top to bottom: targets, their backups
// newest first, and the folders and files of each backup opened, one directory at a time. An
// entry of a directory whose page is not read yet is a pending row (so the list has its full
// height and the page is read when the row comes into view); an unread, empty or unreadable
// directory has one note row. Pure: the catalog store's data in, rows out.
import type { BackupSummary, DirectoryEntry, TargetSummary } from '../../../engine/contract';
import type { DirectoryPages } from '../stores/catalog';
import type { Failure } from '../stores/failure';

interface RowBase {
  /** Stable identity of the row (its node for targets, backups and entries). */
  key: string;
  /** 1 for targets, 2 for backups, 3 for a backup's top entries, and so on. */
  level: number;
}

interface TreeItemBase extends RowBase {
  /** Place among its siblings (1-based) and their number. */
  posInSet: number;
  setSize: number;
}

export interface TargetRow extends TreeItemBase {
  kind: 'target';
  target: TargetSummary;
  expanded: boolean;
}

export interface BackupRow extends TreeItemBase {
  kind: 'backup';
  backup: BackupSummary;
  expanded: boolean;
}

export interface EntryRow extends TreeItemBase {
  kind: 'entry';
  backupId: number;
  /** '/'-separated, relative to the backup's root. */
  path: string;
  entry: DirectoryEntry;
  expanded: boolean;
}

/** An entry of a directory whose page is not read yet. */
export interface PendingRow extends TreeItemBase {
  kind: 'pending';
  backupId: number;
  dirPath: string;
  index: number;
}

/** A directory being read, empty or unreadable; a target with older backups to read. */
export interface NoteRow extends RowBase {
  kind: 'note';
  note: 'loading' | 'empty' | 'error' | 'older' | 'noBackups';
  target?: string;
  backupId?: number;
  dirPath?: string;
  failure?: Failure;
}

export type TreeRow = TargetRow | BackupRow | EntryRow | PendingRow | NoteRow;

/** What the tree is made from. */
export interface TreeSource {
  targets: readonly TargetSummary[];
  backupsOf(target: string): readonly BackupSummary[];
  hasOlder(target: string): boolean;
  directory(backupId: number, path: string): DirectoryPages;
  /** Keys of the open targets, backups and folders. */
  expanded: ReadonlySet<string>;
}

export const targetKey = (target: string) => `t:${target}`;
export const backupKey = (backupId: number) => `b:${backupId}`;
export const entryKey = (backupId: number, path: string) => `e:${backupId}:${path}`;

/** The path of an entry of the directory at `dirPath`. */
export function childPath(dirPath: string, name: string): string {
  return dirPath === '' ? name : `${dirPath}/${name}`;
}

/** Rows that can be opened: targets, restorable backups, folders. */
export function isExpandable(row: TreeRow): row is TargetRow | BackupRow | EntryRow {
  if (row.kind === 'target') return true;
  if (row.kind === 'backup') return row.backup.restorable;
  return row.kind === 'entry' && row.entry.type === 'directory';
}

/** Rows that can go into a restore: entries, and restorable backups (the whole backup). */
export function isSelectable(row: TreeRow): row is BackupRow | EntryRow {
  return row.kind === 'entry' || (row.kind === 'backup' && row.backup.restorable);
}

function directoryRows(source: TreeSource, backupId: number, dirPath: string, level: number, out: TreeRow[]): void {
  const dir = source.directory(backupId, dirPath);
  const where = `${backupId}:${dirPath}`;
  if (dir.total === null) {
    out.push(dir.error ? { kind: 'note', note: 'error', key: `n:error:${where}`, level, backupId, dirPath, failure: dir.error } : { kind: 'note', note: 'loading', key: `n:loading:${where}`, level, backupId, dirPath });
    return;
  }
  if (dir.total === 0) {
    out.push({ kind: 'note', note: 'empty', key: `n:empty:${where}`, level, backupId, dirPath });
    return;
  }
  const setSize = dir.total;
  for (let index = 0; index < setSize; index++) {
    const entry = dir.entries[index];
    if (!entry) {
      out.push({ kind: 'pending', key: `p:${where}:${index}`, level, posInSet: index + 1, setSize, backupId, dirPath, index });
      continue;
    }
    const path = childPath(dirPath, entry.name);
    const key = entryKey(backupId, path);
    const expanded = entry.type === 'directory' && source.expanded.has(key);
    out.push({ kind: 'entry', key, level, posInSet: index + 1, setSize, backupId, path, entry, expanded });
    if (expanded) directoryRows(source, backupId, path, level + 1, out);
  }
  if (dir.error) out.push({ kind: 'note', note: 'error', key: `n:error:${where}`, level, backupId, dirPath, failure: dir.error });
}

/** Every row of the tree, top to bottom. */
export function treeRows(source: TreeSource): TreeRow[] {
  const out: TreeRow[] = [];
  source.targets.forEach((target, t) => {
    const tKey = targetKey(target.target);
    const open = source.expanded.has(tKey);
    out.push({ kind: 'target', key: tKey, level: 1, posInSet: t + 1, setSize: source.targets.length, target, expanded: open });
    if (!open) return;
    const backups = source.backupsOf(target.target);
    if (backups.length === 0) out.push({ kind: 'note', note: 'noBackups', key: `n:none:${target.target}`, level: 2, target: target.target });
    backups.forEach((backup, b) => {
      const bKey = backupKey(backup.id);
      const expanded = backup.restorable && source.expanded.has(bKey);
      out.push({ kind: 'backup', key: bKey, level: 2, posInSet: b + 1, setSize: target.backups, backup, expanded });
      if (expanded) directoryRows(source, backup.id, '', 3, out);
    });
    if (source.hasOlder(target.target)) out.push({ kind: 'note', note: 'older', key: `n:older:${target.target}`, level: 2, target: target.target });
  });
  return out;
}

/** The index of the row's parent (the nearest row above it one level up), or -1. */
export function parentIndex(rows: readonly TreeRow[], index: number): number {
  const level = rows[index]?.level ?? 1;
  for (let i = index - 1; i >= 0; i--) if (rows[i]!.level < level) return i;
  return -1;
}
