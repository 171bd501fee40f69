// What a key does in the catalog tree (the WAI-ARIA tree pattern, plus adding to the restore):
// ↑/↓ move (Shift extends the selection, Ctrl moves the focus alone), Home/End and PageUp/PageDown
// jump, → opens a row or goes to its first child, ← closes it or goes to its parent, Ctrl+Space
// toggles the row in the selection, Escape empties it, Space or Enter adds the selection (a
// closed folder's Enter too; targets and backups open and close), and the context-menu key or
// Shift+F10 opens the menu.
import { isExpandable, isSelectable, parentIndex, type TreeRow } from './treeRows';

export type TreeKeyAction =
  | { type: 'move'; index: number; mode: 'only' | 'range' | 'focus' }
  | { type: 'expand'; index: number }
  | { type: 'collapse'; index: number }
  | { type: 'toggleSelect'; index: number }
  | { type: 'activate'; index: number }
  | { type: 'add' }
  | { type: 'clear' }
  | { type: 'menu' };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** The action of a key press, given the rows, the focused row and the rows a page holds; null: not the tree's key. */
export function treeKeyAction(event: KeyInput, rows: readonly TreeRow[], active: number, pageRows: number): TreeKeyAction | null {
  if (rows.length === 0) return null;
  const at = Math.min(Math.max(active, 0), rows.length - 1);
  const row = rows[at]!;
  const ctrl = event.ctrlKey || event.metaKey;
  const move = (index: number): TreeKeyAction => ({
    type: 'move',
    index: Math.min(Math.max(index, 0), rows.length - 1),
    mode: event.shiftKey ? 'range' : ctrl ? 'focus' : 'only',
  });
  if (active < 0 && ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'].includes(event.key)) return move(0);
  switch (event.key) {
    case 'ArrowDown':
      return move(at + 1);
    case 'ArrowUp':
      return move(at - 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(rows.length - 1);
    case 'PageDown':
      return move(at + pageRows);
    case 'PageUp':
      return move(at - pageRows);
    case 'ArrowRight':
      if (!isExpandable(row)) return null;
      return row.expanded ? { type: 'move', index: Math.min(at + 1, rows.length - 1), mode: 'only' } : { type: 'expand', index: at };
    case 'ArrowLeft': {
      if (isExpandable(row) && row.expanded) return { type: 'collapse', index: at };
      const parent = parentIndex(rows, at);
      return parent < 0 ? null : { type: 'move', index: parent, mode: 'only' };
    }
    case ' ':
    case 'Spacebar':
      if (ctrl) return isSelectable(row) ? { type: 'toggleSelect', index: at } : null;
      return isSelectable(row) && row.kind === 'entry' ? { type: 'add' } : { type: 'activate', index: at };
    case 'Enter':
      return row.kind === 'entry' ? { type: 'add' } : { type: 'activate', index: at };
    case 'Escape':
      return { type: 'clear' };
    case 'ContextMenu':
      return { type: 'menu' };
    case 'F10':
      return event.shiftKey ? { type: 'menu' } : null;
    default:
      return null;
  }
}
