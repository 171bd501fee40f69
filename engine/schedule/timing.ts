// When a schedule's runs fall due, with croner doing every date computation: daily, weekly and
// monthly schedules become cron patterns, read in the schedule's IANA time zone (a time that does
// not exist on a spring-forward day runs at the first valid time after the gap, a time that
// occurs twice on a fall-back day runs once), and a window end or a wall-clock date-time is found
// as the next match of a one-date pattern.
import { Cron } from 'croner';
import { WEEKDAYS, type ScheduleMove, type ScheduleWhen, type WindowEnd } from '../contract';
import { ScheduleRequestError } from './errors';

/** What timing needs of a schedule. */
export interface Timed {
  when: ScheduleWhen;
  windowEnd: WindowEnd | null;
  timeZone: string;
  /** Runs moved from their regular due time to another. */
  moves?: readonly ScheduleMove[];
}

const HOUR = 3600_000;
const crons = new Map<string, Cron>();

function cron(pattern: string, timeZone: string): Cron {
  const key = `${timeZone} ${pattern}`;
  let job = crons.get(key);
  if (!job) {
    job = new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-part' });
    if (crons.size > 1000) crons.clear();
    crons.set(key, job);
  }
  return job;
}

/** The machine's IANA time zone. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws ScheduleRequestError unless `zone` is an IANA time zone this machine knows. */
export function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ScheduleRequestError(`unknown time zone "${zone}" (an IANA name such as Europe/Berlin or UTC)`);
  }
}

/** The cron pattern of a recurring schedule (null for a one-time schedule). */
export function cronPattern(when: ScheduleWhen): string | null {
  switch (when.kind) {
    case 'once':
      return null;
    case 'daily':
      return `${minute(when.time)} ${hour(when.time)} * * *`;
    case 'weekly': {
      const days = [...new Set(when.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
      return `${minute(when.time)} ${hour(when.time)} * * ${days.join(',')}`;
    }
    case 'monthly':
      return `${minute(when.time)} ${hour(when.time)} ${when.day} * *`;
    case 'cron':
      return when.expression.trim().replace(/\s+/g, ' ');
  }
}

/** Throws ScheduleRequestError when croner refuses the expression or it never falls due. */
export function checkCron(expression: string, timeZone: string): void {
  let next: Date | null;
  try {
    next = cron(expression.trim().replace(/\s+/g, ' '), timeZone).nextRun(new Date());
  } catch (error) {
    throw new ScheduleRequestError(`bad cron expression "${expression}": ${(error as Error).message.replace(/^CronPattern: /, '')} (five fields: minute hour day-of-month month day-of-week)`);
  }
  if (next === null) throw new ScheduleRequestError(`cron expression "${expression}" never falls due`);
}

/**
 * The first time after `after` that a run falls due, or null when none will: the next regular
 * time that was not moved away, or the next time a run was moved to, whichever comes first.
 */
export function nextDue(schedule: Timed, after: Date): Date | null {
  const moves = schedule.moves ?? [];
  const away = new Set(moves.map((m) => Date.parse(m.dueAt)));
  let regular = regularDue(schedule, after);
  while (regular !== null && away.has(regular.getTime())) regular = regularDue(schedule, regular);
  let moved: number | null = null;
  for (const m of moves) {
    const to = Date.parse(m.to);
    if (to > after.getTime() && (moved === null || to < moved)) moved = to;
  }
  if (moved === null) return regular;
  return regular === null || moved < regular.getTime() ? new Date(moved) : regular;
}

/** The first regular due time after `after` (moves left aside). */
export function regularDue(schedule: Timed, after: Date): Date | null {
  if (schedule.when.kind === 'once') {
    const at = new Date(schedule.when.at);
    return at.getTime() > after.getTime() ? at : null;
  }
  return cron(cronPattern(schedule.when)!, schedule.timeZone).nextRun(after);
}

/** The local calendar date of an instant in a zone, as days since 1970-01-01 (for day shifts). */
export function localDay(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

/** Due times in (after, until], at most `limit`. */
export function dueTimes(schedule: Timed, after: Date, until: Date, limit: number): Date[] {
  const times: Date[] = [];
  let due = nextDue(schedule, after);
  while (due !== null && due.getTime() <= until.getTime() && times.length < limit) {
    times.push(due);
    due = nextDue(schedule, due);
  }
  return times;
}

/**
 * When the window of a run due at `due` closes: the window end's wall-clock time on the day the
 * run falls due (the next day for `HH:MM+1`), in the schedule's zone. Null without a window.
 */
export function windowClose(schedule: Timed, due: Date): Date | null {
  if (schedule.windowEnd === null) return null;
  const nextDay = schedule.windowEnd.endsWith('+1');
  const time = schedule.windowEnd.slice(0, 5);
  const local = localParts(due, schedule.timeZone);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + (nextDay ? 1 : 0)));
  return wallClock(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), time, schedule.timeZone);
}

/**
 * The instant of a date-time text: as written when it has `Z` or an offset, else the wall-clock
 * time in `timeZone` (one that does not exist, in a spring-forward gap, is the first after it).
 */
export function instantOf(text: string, timeZone: string): Date {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new ScheduleRequestError(`"${text}" is not a date-time`);
    return at;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(text);
  const check = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !check || check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3]) || Number(m[4]!.slice(0, 2)) > 23 || Number(m[4]!.slice(3)) > 59) {
    throw new ScheduleRequestError(`"${text}" is not a date-time like 2026-11-25T22:00`);
  }
  const at = wallClock(Number(m[1]), Number(m[2]), Number(m[3]), m[4]!, timeZone);
  if (at === null) throw new ScheduleRequestError(`"${text}" does not exist in ${timeZone}`);
  return at;
}

/** The wall-clock `HH:MM` of an instant in a zone. */
export function localTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The time of day a schedule's runs start, when it is the same for every run (not cron). */
export function startTime(schedule: Timed): string | null {
  const when = schedule.when;
  if (when.kind === 'cron') return null;
  if (when.kind === 'once') return localTime(new Date(when.at), schedule.timeZone);
  return when.time;
}

function wallClock(year: number, month: number, day: number, time: string, timeZone: string): Date | null {
  // The only match of "this date at this time" in the 48 hours either side of its UTC reading.
  const near = Date.UTC(year, month - 1, day, hour(time), minute(time));
  const found = cron(`${minute(time)} ${hour(time)} ${day} ${month} *`, timeZone).nextRun(new Date(near - 48 * HOUR));
  return found !== null && Math.abs(found.getTime() - near) <= 48 * HOUR ? found : null;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

function hour(time: string): number {
  return Number(time.slice(0, 2));
}

function minute(time: string): number {
  return Number(time.slice(3, 5));
}
