// The event log: entries newest first, filtered by level (that level and the more severe), job
// and device, a page at a time going back (beforeId), with new entries that match the filter
// added on top as the engine writes them. Also the latest warnings and errors, for the overview.
// Another site's log replaces this one's when the site changes.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { EventLevel, LogEvent } from '../../../engine/contract';
import { useApi } from '../api/client';
import { failure, type Failure } from './failure';

export const LOG_PAGE = 100;
export const RECENT_WARNINGS = 8;

const SEVERITY: Record<EventLevel, number> = { info: 0, warning: 1, error: 2 };

export interface LogFilter {
  level: EventLevel | null;
  jobId: number | null;
  deviceId: string | null;
}

export function matches(entry: LogEvent, filter: LogFilter): boolean {
  if (filter.level && SEVERITY[entry.level] < SEVERITY[filter.level]) return false;
  if (filter.jobId !== null && entry.jobId !== filter.jobId) return false;
  if (filter.deviceId !== null && entry.deviceId !== filter.deviceId) return false;
  return true;
}

export const useEventLogStore = defineStore('eventLog', () => {
  const api = useApi();
  const filter = ref<LogFilter>({ level: null, jobId: null, deviceId: null });
  const entries = ref<LogEvent[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** A page came back full: there may be older entries. */
  const hasMore = ref(false);
  const error = ref<Failure | null>(null);
  const warnings = ref<LogEvent[]>([]);
  const warningsError = ref<Failure | null>(null);
  let generation = 0;
  let warningsRead = false;

  function query(beforeId?: number) {
    const f = filter.value;
    return {
      limit: LOG_PAGE,
      ...(beforeId !== undefined ? { beforeId } : {}),
      ...(f.level ? { level: f.level } : {}),
      ...(f.jobId !== null ? { jobId: f.jobId } : {}),
      ...(f.deviceId !== null ? { deviceId: f.deviceId } : {}),
    };
  }

  async function fetchPage(beforeId?: number): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = await api.listEvents(query(beforeId));
      if (mine !== generation) return;
      entries.value = beforeId === undefined ? page : [...entries.value, ...page.filter((e) => e.id < beforeId)];
      hasMore.value = page.length === LOG_PAGE;
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      if (mine === generation) error.value = failure('failures.readLog', cause);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** The newest page under the current filter. */
  function load(): Promise<void> {
    return fetchPage();
  }

  /** The page before the oldest entry shown. */
  function loadOlder(): Promise<void> {
    const oldest = entries.value[entries.value.length - 1];
    return oldest ? fetchPage(oldest.id) : fetchPage();
  }

  function setFilter(next: Partial<LogFilter>): Promise<void> {
    filter.value = { ...filter.value, ...next };
    return load();
  }

  async function loadWarnings(): Promise<void> {
    warningsRead = true;
    try {
      warnings.value = await api.listEvents({ level: 'warning', limit: RECENT_WARNINGS });
      warningsError.value = null;
    } catch (cause) {
      warningsError.value = failure('failures.readLog', cause);
    }
  }

  /** Another site (or this one reopened): its log, not the old one's. */
  function siteChanged(): void {
    const wasLoaded = loaded.value;
    generation++;
    entries.value = [];
    loaded.value = false;
    loading.value = false;
    hasMore.value = false;
    error.value = null;
    warnings.value = [];
    warningsError.value = null;
    if (wasLoaded) void load();
    if (warningsRead) void loadWarnings();
  }

  api.on('site', siteChanged);
  api.on('log', (entry) => {
    if (loaded.value && matches(entry, filter.value) && !entries.value.some((e) => e.id === entry.id)) entries.value.unshift(entry);
    if (entry.level !== 'info' && !warnings.value.some((e) => e.id === entry.id)) warnings.value = [entry, ...warnings.value].slice(0, RECENT_WARNINGS);
  });

  return { filter, entries, loaded, loading, hasMore, error, warnings, warningsError, load, loadOlder, setFilter, loadWarnings };
});
