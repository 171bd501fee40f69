// What the catalog holds: the targets that have backups and each target's backups (outcome,
// copies, the tapes holding them), newest first, older ones a page at a time. From them: which
// backups each tape holds (the inventory) and the backup each job made (its size in the jobs
// list). For the restore browser: the directories of a backup, read a page at a time as they are
// shown (kept unproxied: a folder may hold 100,000 entries), where every byte of a backup went
// (its fragments), and a search by name. Targets and backups are read again when a job ends; a
// backup's directories and fragments never change once it is complete, so they are kept, until
// the site changes: then all of it is forgotten and what was read is read again from the new one.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import { DEFAULT_BACKUPS_LIMIT, DEFAULT_LIST_LIMIT } from '../../../engine/contract';
import type { BackupDetail, BackupSummary, DirectoryEntry, SearchHit, TargetSummary } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { failure, type Failure } from './failure';
import { latestReads } from './latest';

/** Entries of a directory read in one call. */
export const DIRECTORY_PAGE = DEFAULT_LIST_LIMIT;
/** Backups of a target read in one call (the engine's default). */
export const BACKUPS_PAGE = DEFAULT_BACKUPS_LIMIT;
/** Search hits asked for at once. */
export const FIND_LIMIT = 200;

/** What is known of one directory of a backup. */
export interface DirectoryPages {
  /** Entries in the directory; null until its first page is read. */
  total: number | null;
  /** By place in name order; undefined where its page is not read yet. */
  entries: readonly (DirectoryEntry | undefined)[];
  /** Pages read, and pages being read (page n holds entries n*DIRECTORY_PAGE on). */
  loaded: ReadonlySet<number>;
  loading: ReadonlySet<number>;
  error: Failure | null;
}

/** Where a search looks: one backup, or every complete backup of a target. */
export type SearchScope = { backupId: number } | { target: string };

export interface Search {
  scope: SearchScope;
  name: string;
  hits: SearchHit[];
  loading: boolean;
  /** The engine gave as many hits as asked for: there may be more. */
  truncated: boolean;
  error: Failure | null;
}

const NO_DIRECTORY: DirectoryPages = { total: null, entries: [], loaded: new Set(), loading: new Set(), error: null };

export function directoryKey(backupId: number, path: string): string {
  return `${backupId}\u0000${path}`;
}

export const useCatalogStore = defineStore('catalog', () => {
  const api = useApi();
  const targets = ref<TargetSummary[]>([]);
  const backupsByTarget = ref<Record<string, BackupSummary[]>>({});
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<Failure | null>(null);
  const olderLoading = ref<string[]>([]);
  const directories = shallowRef<ReadonlyMap<string, DirectoryPages>>(new Map());
  const details = shallowRef<ReadonlyMap<number, BackupDetail>>(new Map());
  const detailErrors = ref<Record<number, Failure>>({});
  const search = ref<Search | null>(null);
  let searches = 0;

  /** Tape id -> the backups with a fragment on it, newest first. */
  const backupsByTape = computed(() => {
    const map = new Map<string, BackupSummary[]>();
    for (const list of Object.values(backupsByTarget.value)) {
      for (const backup of list) {
        for (const tape of backup.tapes) {
          const held = map.get(tape) ?? [];
          held.push(backup);
          map.set(tape, held);
        }
      }
    }
    for (const held of map.values()) held.sort((a, b) => b.id - a.id);
    return map;
  });

  /** Job id -> the backup it made. */
  const backupByJob = computed(() => {
    const map = new Map<number, BackupSummary>();
    for (const list of Object.values(backupsByTarget.value)) for (const backup of list) map.set(backup.jobId, backup);
    return map;
  });

  /** Backup id -> the backup, of every target read. */
  const backupById = computed(() => {
    const map = new Map<number, BackupSummary>();
    for (const list of Object.values(backupsByTarget.value)) for (const backup of list) map.set(backup.id, backup);
    return map;
  });

  /** Every target and the newest backups of each. */
  const catalogReads = latestReads();
  async function load(): Promise<void> {
    const isLatest = catalogReads();
    loading.value = true;
    try {
      const nextTargets = await api.catalogTargets();
      const lists = await Promise.all(nextTargets.map((t) => api.catalogBackups({ target: t.target })));
      if (!isLatest()) return;
      targets.value = nextTargets;
      backupsByTarget.value = Object.fromEntries(nextTargets.map((t, i) => [t.target, lists[i] ?? []]));
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      if (isLatest()) error.value = failure('failures.readCatalog', cause);
    } finally {
      if (isLatest()) loading.value = false;
    }
  }
  const reload = coalesce(load, 500);

  /** Whether a target has backups older than those read. */
  function hasOlder(target: string): boolean {
    const summary = targets.value.find((t) => t.target === target);
    return !!summary && (backupsByTarget.value[target]?.length ?? 0) < summary.backups;
  }

  /** The next page of a target's older backups. */
  async function loadOlder(target: string): Promise<void> {
    const have = backupsByTarget.value[target] ?? [];
    const oldest = have[have.length - 1];
    if (!oldest || olderLoading.value.includes(target)) return;
    olderLoading.value = [...olderLoading.value, target];
    try {
      const more = await api.catalogBackups({ target, before: oldest.id });
      const known = new Set(have.map((b) => b.id));
      backupsByTarget.value = { ...backupsByTarget.value, [target]: [...have, ...more.filter((b) => !known.has(b.id))] };
      error.value = null;
    } catch (cause) {
      error.value = failure('failures.readCatalog', cause);
    } finally {
      olderLoading.value = olderLoading.value.filter((t) => t !== target);
    }
  }

  function directory(backupId: number, path: string): DirectoryPages {
    return directories.value.get(directoryKey(backupId, path)) ?? NO_DIRECTORY;
  }

  function putDirectory(backupId: number, path: string, next: DirectoryPages): void {
    const map = new Map(directories.value);
    map.set(directoryKey(backupId, path), next);
    directories.value = map;
  }

  const withPage = (pages: ReadonlySet<number>, page: number) => new Set(pages).add(page);
  const withoutPage = (pages: ReadonlySet<number>, page: number) => {
    const next = new Set(pages);
    next.delete(page);
    return next;
  };

  /** Reads one page of a directory (nothing when it is read or being read). */
  async function loadDirectoryPage(backupId: number, path: string, page = 0): Promise<void> {
    const have = directory(backupId, path);
    if (have.loaded.has(page) || have.loading.has(page)) return;
    putDirectory(backupId, path, { ...have, loading: withPage(have.loading, page), error: null });
    try {
      const listing = await api.catalogList({ backupId, path, offset: page * DIRECTORY_PAGE, limit: DIRECTORY_PAGE });
      const current = directory(backupId, path);
      const entries = current.entries.slice(0, listing.total);
      entries.length = listing.total;
      listing.entries.forEach((entry, i) => (entries[listing.offset + i] = markRaw(entry)));
      putDirectory(backupId, path, { total: listing.total, entries: markRaw(entries), loaded: withPage(current.loaded, page), loading: withoutPage(current.loading, page), error: null });
    } catch (cause) {
      const current = directory(backupId, path);
      putDirectory(backupId, path, { ...current, loading: withoutPage(current.loading, page), error: failure('restore.failures.list', cause, { path: path || '/', backup: backupId }) });
    }
  }

  /** Reads the pages holding entries `from` to `to` (exclusive) of a directory whose first page is read. */
  function loadDirectoryRange(backupId: number, path: string, from: number, to: number): void {
    const { total, error: failed } = directory(backupId, path);
    // After a failure the operator asks again (retryDirectory): no reading in a loop.
    if (total === null || failed) return;
    const last = Math.min(to, total) - 1;
    for (let page = Math.floor(Math.max(0, from) / DIRECTORY_PAGE); page * DIRECTORY_PAGE <= last; page++) void loadDirectoryPage(backupId, path, page);
  }

  /** Forgets a directory's failure; its first page is read again when it was not read. */
  function retryDirectory(backupId: number, path: string): void {
    const have = directory(backupId, path);
    putDirectory(backupId, path, { ...have, error: null });
    if (have.total === null) void loadDirectoryPage(backupId, path, 0);
  }

  /** Where every byte of a backup went (its fragments, by copy); kept once read. */
  async function loadBackupDetail(backupId: number): Promise<BackupDetail | null> {
    const have = details.value.get(backupId);
    if (have) return have;
    try {
      const detail = markRaw(await api.catalogBackup({ backupId }));
      details.value = new Map(details.value).set(backupId, detail);
      const { [backupId]: _gone, ...others } = detailErrors.value;
      detailErrors.value = others;
      return detail;
    } catch (cause) {
      detailErrors.value = { ...detailErrors.value, [backupId]: failure('restore.failures.readBackup', cause, { backup: backupId }) };
      return null;
    }
  }

  /** Entries whose name holds `name`, in a backup or in every complete backup of a target. */
  async function find(scope: SearchScope, name: string): Promise<void> {
    const text = name.trim();
    const asked = ++searches;
    if (text === '') {
      search.value = null;
      return;
    }
    const base: Search = { scope, name: text, hits: [], loading: true, truncated: false, error: null };
    search.value = base;
    try {
      const hits = await api.catalogFind({ ...scope, name: text, limit: FIND_LIMIT });
      if (asked === searches) search.value = { ...base, hits, truncated: hits.length >= FIND_LIMIT, loading: false };
    } catch (cause) {
      if (asked === searches) search.value = { ...base, loading: false, error: failure('restore.failures.find', cause, { name: text }) };
    }
  }

  function clearSearch(): void {
    searches++;
    search.value = null;
  }

  /** Another site (or this one reopened): none of what was read holds. */
  function siteChanged(): void {
    const wasLoaded = loaded.value;
    searches++;
    targets.value = [];
    backupsByTarget.value = {};
    loaded.value = false;
    error.value = null;
    olderLoading.value = [];
    directories.value = new Map();
    details.value = new Map();
    detailErrors.value = {};
    search.value = null;
    if (wasLoaded) void load();
  }

  api.on('job', (event) => {
    if (event.type === 'job-finished' && loaded.value) reload();
  });
  api.on('site', siteChanged);

  return {
    targets,
    backupsByTarget,
    loaded,
    loading,
    error,
    olderLoading,
    directories,
    details,
    detailErrors,
    search,
    backupsByTape,
    backupByJob,
    backupById,
    load,
    hasOlder,
    loadOlder,
    directory,
    loadDirectoryPage,
    loadDirectoryRange,
    retryDirectory,
    loadBackupDetail,
    find,
    clearSearch,
  };
});
