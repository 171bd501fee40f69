// The restore browser's catalog tree: which targets, backups and folders are open (a folder's
// first page is read as it opens), the rows they make (restore/treeRows.ts), the row that has
// the keyboard's focus, and the selection (Ctrl toggles, Shift extends from the anchor) that
// goes into the basket by drag, key or context menu. Kept while the operator visits other views;
// closed and cleared when the site changes (the catalog is read again).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useApi } from '../api/client';
import { pickOfRow, type RestorePick } from '../restore/picks';
import { isExpandable, isSelectable, targetKey, treeRows, type TreeRow } from '../restore/treeRows';
import { useCatalogStore } from './catalog';

export type SelectMode = 'only' | 'toggle' | 'range';

export const useRestoreTreeStore = defineStore('restoreTree', () => {
  const catalog = useCatalogStore();
  const expanded = ref(new Set<string>());
  /** Row key -> what it stands for, in the order picked. */
  const selection = ref(new Map<string, RestorePick>());
  const activeKey = ref<string | null>(null);
  const anchorKey = ref<string | null>(null);

  const rows = computed(() =>
    treeRows({
      targets: catalog.targets,
      backupsOf: (target) => catalog.backupsByTarget[target] ?? [],
      hasOlder: catalog.hasOlder,
      directory: catalog.directory,
      expanded: expanded.value,
    }),
  );
  const activeIndex = computed(() => (activeKey.value === null ? -1 : rows.value.findIndex((r) => r.key === activeKey.value)));
  const picks = computed(() => [...selection.value.values()]);

  /** The target, and the backup when there is one, of the focused row. */
  const activeContext = computed(() => {
    const row = rows.value[activeIndex.value];
    if (!row) return { target: catalog.targets[0]?.target ?? null, backup: null };
    if (row.kind === 'target') return { target: row.target.target, backup: null };
    if (row.kind === 'backup') return { target: row.backup.target, backup: row.backup };
    const backup = row.backupId === undefined ? null : (catalog.backupById.get(row.backupId) ?? null);
    return { target: backup?.target ?? (row.kind === 'note' ? (row.target ?? null) : null), backup };
  });

  function expand(row: TreeRow): void {
    if (!isExpandable(row) || row.expanded) return;
    expanded.value.add(row.key);
    if (row.kind === 'backup') void catalog.loadDirectoryPage(row.backup.id, '', 0);
    if (row.kind === 'entry') void catalog.loadDirectoryPage(row.backupId, row.path, 0);
  }

  /** Closes a row; what was selected inside it is no longer. */
  function collapse(row: TreeRow): void {
    if (!isExpandable(row) || !row.expanded) return;
    expanded.value.delete(row.key);
    const inside = (pick: RestorePick) => {
      if (row.kind === 'target') return catalog.backupById.get(pick.backupId)?.target === row.target.target;
      if (row.kind === 'backup') return pick.backupId === row.backup.id && pick.path !== '';
      return pick.backupId === row.backupId && pick.path.startsWith(`${row.path}/`);
    };
    for (const [key, pick] of selection.value) if (inside(pick)) selection.value.delete(key);
  }

  function toggle(row: TreeRow): void {
    if (row.kind !== 'pending' && row.kind !== 'note' && row.expanded) collapse(row);
    else expand(row);
  }

  function focus(key: string | null): void {
    activeKey.value = key;
  }

  /** Selects a row: alone, toggled in or out of the selection, or every row from the anchor to it. */
  function select(row: TreeRow, mode: SelectMode = 'only'): void {
    activeKey.value = row.key;
    if (!isSelectable(row)) {
      if (mode === 'only') selection.value.clear();
      return;
    }
    if (mode === 'toggle') {
      if (selection.value.has(row.key)) selection.value.delete(row.key);
      else selection.value.set(row.key, pickOfRow(row));
      anchorKey.value = row.key;
      return;
    }
    const from = mode === 'range' && anchorKey.value !== null ? rows.value.findIndex((r) => r.key === anchorKey.value) : -1;
    if (from < 0) {
      selection.value.clear();
      selection.value.set(row.key, pickOfRow(row));
      anchorKey.value = row.key;
      return;
    }
    const to = rows.value.findIndex((r) => r.key === row.key);
    selection.value.clear();
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      const r = rows.value[i]!;
      if (isSelectable(r)) selection.value.set(r.key, pickOfRow(r));
    }
  }

  function clearSelection(): void {
    selection.value.clear();
    anchorKey.value = null;
  }

  /** Opens a target and puts the focus on it (the route #/restore/<target>). */
  function reveal(target: string): void {
    expanded.value.add(targetKey(target));
    activeKey.value = targetKey(target);
  }

  useApi().on('site', () => {
    expanded.value.clear();
    clearSelection();
    activeKey.value = null;
  });

  return { expanded, selection, activeKey, anchorKey, rows, activeIndex, picks, activeContext, expand, collapse, toggle, focus, select, clearSelection, reveal };
});
