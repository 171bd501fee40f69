// What the operator picks for a restore (an entry of a backup, or a whole backup), made from a
// tree row or a search hit, and how picks travel in an HTML5 drag from the tree or the search
// results to the restore basket (their own data type, so nothing else dropped is taken for them).
import type { EntryType, SearchHit } from '../../../engine/contract';
import type { BackupRow, EntryRow } from './treeRows';

export interface RestorePick {
  backupId: number;
  /** '/'-separated inside the backup; '' is the whole backup. */
  path: string;
  name: string;
  type: EntryType | 'backup';
  /** A file's size; null for folders and whole backups. */
  size: number | null;
}

/** The data type of picks being dragged. */
export const PICKS_MIME = 'application/x-mpbackup-restore-picks';

export function pickOfRow(row: BackupRow | EntryRow): RestorePick {
  if (row.kind === 'backup') return { backupId: row.backup.id, path: '', name: '', type: 'backup', size: null };
  return { backupId: row.backupId, path: row.path, name: row.entry.name, type: row.entry.type, size: row.entry.type === 'file' ? row.entry.size : null };
}

export function pickOfHit(hit: SearchHit): RestorePick {
  return { backupId: hit.backupId, path: hit.path, name: hit.path.slice(hit.path.lastIndexOf('/') + 1), type: hit.type, size: hit.type === 'file' ? hit.size : null };
}

/** What a transfer needs to carry picks: our type, and their paths as text for anything else. */
export function writePicks(transfer: DataTransfer, picks: readonly RestorePick[]): void {
  transfer.setData(PICKS_MIME, JSON.stringify(picks));
  transfer.setData('text/plain', picks.map((p) => p.path || `backup ${p.backupId}`).join('\n'));
  transfer.effectAllowed = 'copy';
}

/** Whether a drag carries picks (its data is readable only on drop). */
export function carriesPicks(transfer: DataTransfer | null): boolean {
  return !!transfer && Array.from(transfer.types).includes(PICKS_MIME);
}

function isPick(value: unknown): value is RestorePick {
  const v = value as Partial<RestorePick> | null;
  return (
    !!v &&
    typeof v.backupId === 'number' &&
    Number.isInteger(v.backupId) &&
    v.backupId > 0 &&
    typeof v.path === 'string' &&
    typeof v.name === 'string' &&
    ['file', 'directory', 'symlink', 'backup'].includes(v.type as string) &&
    (v.size === null || typeof v.size === 'number')
  );
}

/** The picks of a drop; [] when it carries none or they are malformed. */
export function readPicks(transfer: DataTransfer | null): RestorePick[] {
  const text = transfer?.getData(PICKS_MIME);
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter(isPick) : [];
  } catch {
    return [];
  }
}
