// Schedules [410]: every schedule with its next due time, the forecast of the next day's runs
// (expected durations, conflicts), and "run now". Reloaded when the scheduler reports a fire,
// a wait or a miss.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BackupResult, ForecastEntry, Schedule } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { failure, type Failure } from './failure';

/** How far ahead the forecast looks. */
export const FORECAST_HOURS = 24;

export const useSchedulesStore = defineStore('schedules', () => {
  const api = useApi();
  const schedules = ref<Schedule[]>([]);
  const forecast = ref<ForecastEntry[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<Failure | null>(null);
  const forecastError = ref<Failure | null>(null);
  /** Schedules whose "run now" is still running. */
  const runningNow = ref<number[]>([]);
  /** The last "run now" result of each schedule. */
  const lastRun = ref<Record<number, BackupResult>>({});
  const actionError = ref<Failure | null>(null);

  /** Enabled schedules that will run again, soonest first. */
  const upcoming = computed(() =>
    schedules.value.filter((s) => s.enabled && s.nextDueAt !== null).sort((a, b) => Date.parse(a.nextDueAt!) - Date.parse(b.nextDueAt!)),
  );

  async function load(now: Date = new Date()): Promise<void> {
    loading.value = true;
    try {
      schedules.value = await api.listSchedules();
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      error.value = failure('failures.listSchedules', cause);
    } finally {
      loading.value = false;
    }
    try {
      const to = new Date(now.getTime() + FORECAST_HOURS * 3600_000);
      forecast.value = await api.forecastSchedules({ from: now.toISOString(), to: to.toISOString() });
      forecastError.value = null;
    } catch (cause) {
      forecastError.value = failure('failures.forecast', cause);
    }
  }
  const reload = coalesce(() => load(), 300);

  /** Runs a schedule's backup now; answers when it has ended (its job is watched like any other). */
  async function runNow(id: number): Promise<BackupResult | null> {
    runningNow.value = [...runningNow.value, id];
    try {
      const result = await api.runScheduleNow({ id });
      lastRun.value[id] = result;
      actionError.value = null;
      return result;
    } catch (cause) {
      actionError.value = failure('failures.runScheduleNow', cause, { id });
      return null;
    } finally {
      runningNow.value = runningNow.value.filter((s) => s !== id);
      reload();
    }
  }

  api.on('schedule', () => {
    if (loaded.value) reload();
  });

  return { schedules, forecast, loaded, loading, error, forecastError, runningNow, lastRun, actionError, upcoming, load, runNow };
});
