// What the catalog holds: the targets that have backups and each target's backups (outcome,
// copies, the tapes holding them), newest first. From them: which backups each tape holds (the
// inventory) and the backup each job made (its size in the jobs list). Reloaded when a job ends.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BackupSummary, TargetSummary } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { failure, type Failure } from './failure';

export const useCatalogStore = defineStore('catalog', () => {
  const api = useApi();
  const targets = ref<TargetSummary[]>([]);
  const backupsByTarget = ref<Record<string, BackupSummary[]>>({});
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<Failure | null>(null);

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

  /** Every target and every backup of each. */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      const nextTargets = await api.catalogTargets();
      const lists = await Promise.all(nextTargets.map((t) => api.catalogBackups({ target: t.target })));
      targets.value = nextTargets;
      backupsByTarget.value = Object.fromEntries(nextTargets.map((t, i) => [t.target, lists[i] ?? []]));
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      error.value = failure('failures.readCatalog', cause);
    } finally {
      loading.value = false;
    }
  }
  const reload = coalesce(load, 500);

  api.on('job', (event) => {
    if (event.type === 'job-finished' && loaded.value) reload();
  });

  return { targets, backupsByTarget, loaded, loading, error, backupsByTape, backupByJob, load };
});
