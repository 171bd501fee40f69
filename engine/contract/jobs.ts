// Jobs (the spec's "process no.") and the event log, as the catalog records them.
import { z } from 'zod';

export const JobKind = z.enum(['backup', 'restore', 'verify']);
export type JobKind = z.infer<typeof JobKind>;

export const BackupMode = z.enum(['mirrored', 'failover']);
export type BackupMode = z.infer<typeof BackupMode>;

/**
 * queued -> reserving -> running -> succeeded | succeeded-degraded | failed | cancelled;
 * succeeded-degraded: a mirrored job where some streams failed but at least one copy is complete.
 * A job that was not finished when its process died is marked interrupted at the next start.
 */
export const JobState = z.enum(['queued', 'reserving', 'running', 'succeeded', 'succeeded-degraded', 'failed', 'cancelled', 'interrupted']);

/** States a job never leaves. */
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'succeeded-degraded', 'failed', 'cancelled', 'interrupted'];
export type JobState = z.infer<typeof JobState>;

export const Job = z.object({
  id: z.number().int().positive(),
  kind: JobKind,
  target: z.string(),
  mode: BackupMode.nullable(),
  streams: z.number().int().nonnegative(),
  state: JobState,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  message: z.string().nullable(),
  /** The schedule [410] that started it; null when the operator did. */
  scheduleId: z.number().int().positive().nullable(),
});
export type Job = z.infer<typeof Job>;

export const EventLevel = z.enum(['info', 'warning', 'error']);
export type EventLevel = z.infer<typeof EventLevel>;

export const LogEvent = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  level: EventLevel,
  jobId: z.number().int().positive().nullable(),
  deviceId: z.string().nullable(),
  message: z.string(),
});
export type LogEvent = z.infer<typeof LogEvent>;
