// Calendar arithmetic in the operator's local time (the engine's times are UTC instants): the days
// a month, week or day view shows, stepping between them, local day keys, the minute of the
// local day an instant falls on, the calendar's place in the address (`#/schedule/week/2026-12-01`)
// and the local date-time text of <input type="datetime-local">. Days are local midnights made
// with the Date constructor, so a 23- or 25-hour day (daylight saving) is still one day.
export const CALENDAR_VIEWS = ['month', 'week', 'day'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

/** Weeks start on Monday (ISO 8601). */
const WEEK_START = 1;

/** What a view shows: its local days, from the first one's midnight to the midnight after the last. */
export interface CalendarSpan {
  view: CalendarView;
  anchor: Date;
  from: Date;
  to: Date;
  days: Date[];
}

export function startOfDay(at: Date | number): Date {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate() + days);
}

function startOfWeek(at: Date): Date {
  const day = startOfDay(at);
  return addDays(day, -((day.getDay() - WEEK_START + 7) % 7));
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export function dayKey(at: Date | number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local midnight of a day key; null when it is not one. */
export function parseDayKey(key: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return day.getMonth() === Number(m[2]) - 1 && day.getDate() === Number(m[3]) ? day : null;
}

export function spanOf(view: CalendarView, anchor: Date): CalendarSpan {
  let from: Date;
  let to: Date;
  if (view === 'month') {
    from = startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1));
    to = addDays(startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0)), 7);
  } else if (view === 'week') {
    from = startOfWeek(anchor);
    to = addDays(from, 7);
  } else {
    from = startOfDay(anchor);
    to = addDays(from, 1);
  }
  const days: Date[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) days.push(day);
  return { view, anchor: startOfDay(anchor), from, to, days };
}

/** The anchor one month, week or day earlier (-1) or later (1). */
export function stepAnchor(view: CalendarView, anchor: Date, direction: -1 | 1): Date {
  if (view === 'month') return new Date(anchor.getFullYear(), anchor.getMonth() + direction, 1);
  return addDays(startOfDay(anchor), view === 'week' ? 7 * direction : direction);
}

/** The route parameter of a calendar place: `week/2026-12-01`. */
export function routeParam(view: CalendarView, anchor: Date): string {
  return `${view}/${dayKey(anchor)}`;
}

/** The calendar place of a route parameter; the month of `today` when there is none (or it is not one). */
export function parseRouteParam(param: string | null, today: Date): { view: CalendarView; anchor: Date } {
  const [view, key] = (param ?? '').split('/');
  const anchor = key ? parseDayKey(key) : null;
  if (!(CALENDAR_VIEWS as readonly string[]).includes(view ?? '')) return { view: 'month', anchor: startOfDay(today) };
  return { view: view as CalendarView, anchor: anchor ?? startOfDay(today) };
}

/** The wall-clock minute of its local day an instant falls on (0-1439). */
export function minuteOfDay(at: number): number {
  const d = new Date(at);
  return d.getHours() * 60 + d.getMinutes();
}

/** The instant `minute` minutes of wall-clock time into a local day. */
export function atMinute(day: Date, minute: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), Math.floor(minute / 60), minute % 60);
}

/** The operator's own IANA time zone. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** An instant as the local text of <input type="datetime-local">: `2026-12-01T22:00`. */
export function localInputValue(at: number): string {
  const d = new Date(at);
  return `${dayKey(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant of a local `YYYY-MM-DDTHH:MM` text; null when it is not one. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
  const day = m ? parseDayKey(m[1]!) : null;
  if (!m || !day || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return atMinute(day, Number(m[2]) * 60 + Number(m[3])).getTime();
}

/** An instant's wall-clock `YYYY-MM-DDTHH:MM` in an IANA zone (a one-time schedule's date-time in its own zone). */
export function wallClockIn(at: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  for (const part of format.formatToParts(new Date(at))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Minutes rounded to the nearest `step` (a drop lands on a quarter hour). */
export function snapMinutes(minutes: number, step: number): number {
  return Math.round(minutes / step) * step;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
