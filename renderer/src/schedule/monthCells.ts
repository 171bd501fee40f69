// The month view's day cells: each local day of the weeks shown, its runs in time order, the first
// few it shows (the rest is "+N more", opening the day), how many need attention (a conflict, a
// failure, a miss, a degraded end, a wait for streams) and whether it is in the month. However
// many runs a month holds, a cell draws at most MONTH_SHOWN of them.
import type { CalendarEvent } from './calendarEvents';
import { dayKey } from './calendarTime';
import { isProblem } from './outcomes';

/** Runs a day cell shows before "+N more". */
export const MONTH_SHOWN = 3;

export interface MonthCell {
  day: Date;
  key: string;
  events: CalendarEvent[];
  shown: CalendarEvent[];
  hidden: number;
  attention: number;
  inMonth: boolean;
}

export function monthCells(days: readonly Date[], month: number, byDay: ReadonlyMap<string, CalendarEvent[]>): MonthCell[] {
  return days.map((day) => {
    const key = dayKey(day);
    const events = byDay.get(key) ?? [];
    return {
      day,
      key,
      events,
      shown: events.slice(0, MONTH_SHOWN),
      hidden: Math.max(0, events.length - MONTH_SHOWN),
      attention: events.reduce((n, e) => n + (e.conflict || isProblem(e.outcome) ? 1 : 0), 0),
      inMonth: day.getMonth() === month,
    };
  });
}
