// Backup schedules [410]: what to back up, how, and when (one time or a recurrence).
import { z } from 'zod';
import { BackupMode } from './jobs';

/** Local wall-clock date-time of the site, minute precision: `2026-11-25T22:00`. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected a local date-time like 2026-11-25T22:00');

export const Recurrence = z.discriminatedUnion('every', [
  z.object({ every: z.literal('once') }),
  z.object({ every: z.literal('day'), interval: z.number().int().min(1).max(365) }),
  z.object({
    every: z.literal('week'),
    /** 0 = Sunday ... 6 = Saturday */
    days: z.array(z.number().int().min(0).max(6)).min(1),
  }),
]);
export type Recurrence = z.infer<typeof Recurrence>;

export const ScheduleInput = z.object({
  target: z.string().min(1),
  mode: BackupMode,
  streams: z.number().int().min(2).max(8),
  startAt: LocalDateTime,
  recurrence: Recurrence,
  /** Minutes after the start within which the backup must finish; null for no window. */
  windowMinutes: z.number().int().positive().nullable(),
  enabled: z.boolean(),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const Schedule = ScheduleInput.extend({ id: z.number().int().positive() });
export type Schedule = z.infer<typeof Schedule>;
