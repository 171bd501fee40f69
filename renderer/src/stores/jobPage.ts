// The job open on the job page: the job and its log (getJob) and, for a backup, its streams and
// fragments as recorded (getBackupJob). While it runs the record is fetched again as its events
// arrive (a failed stream, a failover, the end at once; progress and log entries at most every
// few seconds, so the chunk map fills in), and log entries of the job are added as they are written.
// Another site's job of the same number is another job: the page closes when the site changes
// (and reads the job again when the same site reopened with a new config).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BackupResult, JobDetail, JobEvent, LogEvent, SiteChange } from '../../../engine/contract';
import { useApi } from '../api/client';
import { failure, type Failure } from './failure';

/** A running backup's record is fetched again at most this often on progress alone (the chunk map fills in). */
export const BACKUP_REFRESH_MS = 1000;

export const useJobPageStore = defineStore('jobPage', () => {
  const api = useApi();
  const jobId = ref<number | null>(null);
  const detail = ref<JobDetail | null>(null);
  const backup = ref<BackupResult | null>(null);
  const loading = ref(false);
  const error = ref<Failure | null>(null);
  const backupError = ref<Failure | null>(null);
  let lastBackupFetch = 0;
  let backupTimer: ReturnType<typeof setTimeout> | null = null;

  async function fetchDetail(id: number): Promise<void> {
    try {
      const next = await api.getJob({ jobId: id });
      if (jobId.value !== id) return;
      detail.value = next;
      error.value = null;
    } catch (cause) {
      if (jobId.value === id) error.value = failure('failures.readJob', cause, { job: id });
    }
  }

  async function fetchBackup(id: number): Promise<void> {
    lastBackupFetch = Date.now();
    try {
      const next = await api.getBackupJob({ jobId: id });
      if (jobId.value !== id) return;
      backup.value = next;
      backupError.value = null;
    } catch (cause) {
      if (jobId.value === id) backupError.value = failure('failures.readBackupJob', cause, { job: id });
    }
  }

  async function open(id: number): Promise<void> {
    if (backupTimer) clearTimeout(backupTimer);
    backupTimer = null;
    jobId.value = id;
    detail.value = null;
    backup.value = null;
    error.value = null;
    backupError.value = null;
    loading.value = true;
    await fetchDetail(id);
    if (jobId.value === id && kindOf() === 'backup') await fetchBackup(id);
    if (jobId.value === id) loading.value = false;
  }

  function kindOf(): JobDetail['job']['kind'] | null {
    return detail.value?.job.kind ?? null;
  }

  function close(): void {
    if (backupTimer) clearTimeout(backupTimer);
    backupTimer = null;
    jobId.value = null;
    detail.value = null;
    backup.value = null;
  }

  function refreshBackupSoon(id: number): void {
    if (backupTimer) return;
    const wait = Math.max(0, lastBackupFetch + BACKUP_REFRESH_MS - Date.now());
    backupTimer = setTimeout(() => {
      backupTimer = null;
      if (jobId.value === id) void fetchBackup(id);
    }, wait);
  }

  function onJobEvent(event: JobEvent): void {
    const id = jobId.value;
    if (id === null || event.jobId !== id) return;
    const isBackup = kindOf() === 'backup';
    switch (event.type) {
      case 'job-state':
        if (detail.value) {
          detail.value.job.state = event.state;
          detail.value.job.message = event.message;
        }
        if (isBackup) refreshBackupSoon(id);
        break;
      case 'progress':
        if (isBackup) refreshBackupSoon(id);
        break;
      case 'stream-failed':
      case 'failover':
        if (isBackup) void fetchBackup(id);
        break;
      case 'job-finished':
        void fetchDetail(id);
        if (isBackup) void fetchBackup(id);
        break;
    }
  }

  function onLog(entry: LogEvent): void {
    if (entry.jobId === null || entry.jobId !== jobId.value || !detail.value) return;
    if (detail.value.log.some((e) => e.id === entry.id)) return;
    detail.value.log.push(entry);
    // Log entries mark a backup's milestones (reserved, recorded, a tape changed): read it again.
    if (kindOf() === 'backup') refreshBackupSoon(entry.jobId);
  }

  function siteChanged(change: SiteChange): void {
    const id = jobId.value;
    if (change.reason === 'config-saved' && id !== null) void open(id);
    else close();
  }

  api.on('job', onJobEvent);
  api.on('log', onLog);
  api.on('site', siteChanged);

  return { jobId, detail, backup, loading, error, backupError, open, close };
});
