// The schedule form's model and what it becomes: the fields as the operator fills them in (text
// where a value may be left empty for its default), the checks the console can make before
// asking the engine (formats and ranges; the engine still has the last word: a cron expression
// that does not parse, a window end before the start, a date-time in the past), a new schedule's
// ScheduleInput and an edit's ScheduleEdit holding only what changed.
import {
  MAX_CHUNK_SIZE,
  MAX_STREAMS,
  MIN_CHUNK_SIZE,
  MIN_STREAMS,
  parseSize,
  type BackupMode,
  type Schedule,
  type ScheduleEdit,
  type ScheduleInputInput,
  type ScheduleWhen,
  type Weekday,
} from '../../../engine/contract';
import { wallClockIn } from './calendarTime';

export const WHEN_KINDS = ['once', 'daily', 'weekly', 'monthly', 'cron'] as const satisfies readonly ScheduleWhen['kind'][];
export type WhenKind = (typeof WHEN_KINDS)[number];

export interface ScheduleForm {
  target: string;
  mode: BackupMode;
  streams: number;
  /** A size such as `8MiB`; empty: the backup's default. */
  chunkText: string;
  /** Seconds; empty: the backup's default. */
  timeoutText: string;
  kind: WhenKind;
  /** A one-time run, `YYYY-MM-DDTHH:MM` in the schedule's zone. */
  at: string;
  /** `HH:MM` of a daily, weekly or monthly run. */
  time: string;
  days: Weekday[];
  day: number;
  expression: string;
  windowOn: boolean;
  windowTime: string;
  windowNextDay: boolean;
  timeZone: string;
  enabled: boolean;
}

export type FormField = 'target' | 'streams' | 'chunk' | 'timeout' | 'at' | 'time' | 'days' | 'day' | 'expression' | 'window' | 'timeZone';
/** A message key (`schedule.form.errors.<field>`) per field that is not right. */
export type FormErrors = Partial<Record<FormField, string>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;
const MAX_TIMEOUT_S = 24 * 3600;
const MIN_TIMEOUT_S = 0.01;

/** A new schedule's form: daily at 22:00 (the spec's example hour), in the operator's zone; a one-time run an hour from now. */
export function newForm(target: string, timeZone: string, now: number): ScheduleForm {
  return {
    target,
    mode: 'mirrored',
    streams: MIN_STREAMS,
    chunkText: '',
    timeoutText: '',
    kind: 'daily',
    at: wallClockIn(Math.ceil((now + 3600_000) / 60_000) * 60_000, timeZone),
    time: '22:00',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    day: 1,
    expression: '0 22 * * *',
    windowOn: false,
    windowTime: '06:00',
    windowNextDay: true,
    timeZone,
    enabled: true,
  };
}

/** The form of an existing schedule. */
export function formOf(schedule: Schedule, now: number): ScheduleForm {
  const form: ScheduleForm = {
    ...newForm(schedule.target, schedule.timeZone, now),
    mode: schedule.mode,
    streams: schedule.streams,
    chunkText: schedule.chunkSize === null ? '' : exactSize(schedule.chunkSize),
    timeoutText: schedule.timeoutMs === null ? '' : String(schedule.timeoutMs / 1000),
    kind: schedule.when.kind,
    enabled: schedule.enabled,
  };
  const when = schedule.when;
  if (when.kind === 'once') form.at = wallClockIn(Date.parse(when.at), schedule.timeZone);
  if (when.kind === 'daily' || when.kind === 'weekly' || when.kind === 'monthly') form.time = when.time;
  if (when.kind === 'weekly') form.days = [...when.days];
  if (when.kind === 'monthly') form.day = when.day;
  if (when.kind === 'cron') form.expression = when.expression;
  if (schedule.windowEnd !== null) {
    form.windowOn = true;
    form.windowTime = schedule.windowEnd.slice(0, 5);
    form.windowNextDay = schedule.windowEnd.endsWith('+1');
  }
  return form;
}

/** A size written exactly, in the largest binary unit that divides it: `8MiB`, `320KiB`, `1000`. */
function exactSize(bytes: number): string {
  for (const [unit, factor] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

function chunkOf(form: ScheduleForm): number | null {
  return form.chunkText.trim() === '' ? null : parseSize(form.chunkText.trim());
}

function timeoutOf(form: ScheduleForm): number | null {
  if (form.timeoutText.trim() === '') return null;
  const seconds = Number(form.timeoutText.trim());
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : NaN;
}

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

/** What is not right in the form, before anything is sent. */
export function checkForm(form: ScheduleForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.target) errors.target = 'schedule.form.errors.target';
  if (!Number.isInteger(form.streams) || form.streams < MIN_STREAMS || form.streams > MAX_STREAMS) errors.streams = 'schedule.form.errors.streams';
  const chunk = chunkOf(form);
  if (form.chunkText.trim() !== '' && (chunk === null || chunk < MIN_CHUNK_SIZE || chunk > MAX_CHUNK_SIZE)) errors.chunk = 'schedule.form.errors.chunk';
  const timeout = timeoutOf(form);
  if (timeout !== null && !(timeout >= MIN_TIMEOUT_S * 1000 && timeout <= MAX_TIMEOUT_S * 1000)) errors.timeout = 'schedule.form.errors.timeout';
  if (form.kind === 'once' && !LOCAL_DATE_TIME.test(form.at)) errors.at = 'schedule.form.errors.at';
  if ((form.kind === 'daily' || form.kind === 'weekly' || form.kind === 'monthly') && !TIME.test(form.time)) errors.time = 'schedule.form.errors.time';
  if (form.kind === 'weekly' && form.days.length === 0) errors.days = 'schedule.form.errors.days';
  if (form.kind === 'monthly' && !(Number.isInteger(form.day) && form.day >= 1 && form.day <= 31)) errors.day = 'schedule.form.errors.day';
  if (form.kind === 'cron' && form.expression.trim().split(/\s+/).length !== 5) errors.expression = 'schedule.form.errors.expression';
  if (form.windowOn && !TIME.test(form.windowTime)) errors.window = 'schedule.form.errors.window';
  if (!knownZone(form.timeZone)) errors.timeZone = 'schedule.form.errors.timeZone';
  return errors;
}

function whenOf(form: ScheduleForm): ScheduleWhen {
  switch (form.kind) {
    case 'once':
      return { kind: 'once', at: form.at };
    case 'daily':
      return { kind: 'daily', time: form.time };
    case 'weekly':
      return { kind: 'weekly', days: [...form.days], time: form.time };
    case 'monthly':
      return { kind: 'monthly', day: form.day, time: form.time };
    case 'cron':
      return { kind: 'cron', expression: form.expression.trim() };
  }
}

function windowEndOf(form: ScheduleForm): string | null {
  return form.windowOn ? `${form.windowTime}${form.windowNextDay ? '+1' : ''}` : null;
}

/** A new schedule from a form that passed checkForm. */
export function inputOf(form: ScheduleForm): ScheduleInputInput {
  return {
    target: form.target,
    mode: form.mode,
    streams: form.streams,
    chunkSize: chunkOf(form),
    timeoutMs: timeoutOf(form),
    when: whenOf(form),
    windowEnd: windowEndOf(form),
    timeZone: form.timeZone.trim(),
    enabled: form.enabled,
  };
}

/** The settings of a checked form that differ from the schedule's (an empty edit changes nothing). */
export function editOf(form: ScheduleForm, schedule: Schedule, now: number): ScheduleEdit {
  const before = inputOf(formOf(schedule, now));
  const after = inputOf(form);
  const edit: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof ScheduleInputInput)[]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) edit[key] = after[key];
  }
  // A one-time run's date-time is read in the schedule's zone: a new zone means a new time.
  if (edit.timeZone !== undefined && form.kind === 'once') edit.when = after.when;
  return edit as ScheduleEdit;
}

/** Whether the edit changes when the schedule runs (which drops its moved runs). */
export function changesTiming(edit: ScheduleEdit): boolean {
  return edit.when !== undefined || edit.timeZone !== undefined;
}
