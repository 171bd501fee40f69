// What the scheduler needs from the engine that hosts it, as small role interfaces: a store for
// schedules and their runs (the catalog), the site's targets, backups and stream plans, history
// for forecasts, the event log and the watchers of schedule events.
import type {
  BackupRequestInput,
  BackupResult,
  EventLevel,
  MoverKind,
  Schedule,
  ScheduleEvent,
  ScheduleMove,
  ScheduleRun,
  ScheduleRunState,
  StreamPlan,
  StreamRequestInput,
} from '../contract';
import type { Clock } from './clock';

/** A schedule as stored (without what is computed from it). */
export type StoredSchedule = Omit<Schedule, 'nextDueAt'>;
/** Everything of a schedule but its id, times and moved runs. */
export type ScheduleSettings = Omit<StoredSchedule, 'id' | 'createdAt' | 'updatedAt' | 'moves'>;

export interface ScheduleStore {
  create(settings: ScheduleSettings, at: string): StoredSchedule;
  update(id: number, settings: ScheduleSettings, at: string): StoredSchedule;
  /** Replaces the schedule's moved runs. */
  setMoves(id: number, moves: readonly ScheduleMove[], at: string): StoredSchedule;
  delete(id: number): void;
  get(id: number): StoredSchedule | undefined;
  list(): StoredSchedule[];
  addRun(run: { scheduleId: number; dueAt: string; state: ScheduleRunState; reason: string | null; jobId: number | null; manual: boolean; at: string }): ScheduleRun;
  setRun(id: number, change: { state: ScheduleRunState; reason: string | null; jobId: number | null; at: string }): ScheduleRun;
  runs(query?: { scheduleId?: number; states?: readonly ScheduleRunState[]; from?: string; to?: string; limit?: number }): ScheduleRun[];
  lastDue(scheduleId: number): string | null;
  upAt(): string | null;
  setUpAt(at: string): void;
}

/** A finished backup, for expected durations. */
export interface PastBackup {
  target: string;
  durationMs: number;
  size: number;
}

export interface ScheduleHost {
  store: ScheduleStore;
  clock: Clock;
  /**
   * Checks a backup request against the site (the target exists, chunks fit the tapes); returns
   * the target as the site names it and its storage. Throws (bad input) otherwise.
   */
  checkBackup(request: BackupRequestInput): { target: string; storage: string };
  /** Bytes of a target now (null when it cannot be told). */
  targetSize(name: string): number | null;
  /** Runs a backup to its end; `onJob` is told the job's id when the job is recorded. */
  backup(request: BackupRequestInput, onJob: (jobId: number) => void): Promise<BackupResult>;
  plan(request: StreamRequestInput): StreamPlan;
  /** How many independent streams of this mover kind are possible now. */
  feasibility(mover: MoverKind, storage?: string): number;
  /** Recent completed backups (of one target, or of all), newest first. */
  history(target?: string): PastBackup[];
  log(level: EventLevel, message: string, about?: { jobId?: number }): void;
  emit(event: ScheduleEvent): void;
}
