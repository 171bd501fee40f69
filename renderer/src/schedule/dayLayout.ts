// Where events sit in one local day of the week and day views: from the wall-clock minute they
// start to the minute they (are expected to) end, cut at midnight (a run going on past midnight
// continues at the top of the next day), at least `minMinutes` tall so a one-second backup can
// still be read and clicked. Events that overlap on screen share the width in lanes; a group
// needing more than `maxLanes` keeps `maxLanes - 1` and gathers the rest in the last lane, one
// "+N more" for each hour they start in.
import { addDays, minuteOfDay } from './calendarTime';
import type { CalendarEvent } from './calendarEvents';

export const DAY_MINUTES = 1440;

export interface LayoutOptions {
  minMinutes: number;
  maxLanes: number;
}

/** An event's part of the day, in minutes from the day's start. */
export interface PlacedEvent {
  event: CalendarEvent;
  top: number;
  height: number;
  lane: number;
  lanes: number;
  /** It started on an earlier day. */
  continued: boolean;
  /** It goes on past midnight. */
  continues: boolean;
}

/** Events gathered where too many overlap: those starting in one hour (`top` is the hour's start). */
export interface MoreEvents {
  top: number;
  lane: number;
  lanes: number;
  events: CalendarEvent[];
}

export interface DayLayout {
  placed: PlacedEvent[];
  more: MoreEvents[];
}

function partOfDay(event: CalendarEvent, from: number, to: number, minMinutes: number): PlacedEvent | null {
  const instant = event.end <= event.start;
  if (instant ? event.start < from || event.start >= to : event.start >= to || event.end <= from) return null;
  const continued = event.start < from;
  const continues = event.end > to;
  const start = continued ? 0 : minuteOfDay(event.start);
  const length = continues ? DAY_MINUTES - start : (Math.min(event.end, to) - Math.max(event.start, from)) / 60_000;
  const top = Math.min(start, DAY_MINUTES - minMinutes);
  return { event, top, height: Math.min(Math.max(length, minMinutes), DAY_MINUTES - top), lane: 0, lanes: 1, continued, continues };
}

/** The layout of the events that touch `day` (a local midnight). */
export function layoutDay(events: readonly CalendarEvent[], day: Date, options: LayoutOptions): DayLayout {
  const from = day.getTime();
  const to = addDays(day, 1).getTime();
  const parts: PlacedEvent[] = [];
  for (const event of events) {
    const part = partOfDay(event, from, to, options.minMinutes);
    if (part) parts.push(part);
  }
  parts.sort((a, b) => a.top - b.top || b.height - a.height || a.event.scheduleId - b.event.scheduleId);

  const placed: PlacedEvent[] = [];
  const more: MoreEvents[] = [];
  let group: PlacedEvent[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -1;
  const close = () => {
    if (group.length === 0) return;
    const lanes = laneEnds.length;
    if (lanes <= options.maxLanes) {
      for (const part of group) placed.push({ ...part, lanes });
    } else {
      const kept = group.filter((part) => part.lane < options.maxLanes - 1);
      for (const part of kept) placed.push({ ...part, lanes: options.maxLanes });
      // The rest by the hour they start in: a "+N more" in the last lane of each such hour.
      const byHour = new Map<number, CalendarEvent[]>();
      for (const part of group) {
        if (part.lane < options.maxLanes - 1) continue;
        const hour = Math.floor(part.top / 60);
        byHour.set(hour, [...(byHour.get(hour) ?? []), part.event]);
      }
      for (const [hour, events] of byHour) more.push({ top: hour * 60, lane: options.maxLanes - 1, lanes: options.maxLanes, events });
    }
    group = [];
    laneEnds = [];
  };
  for (const part of parts) {
    if (part.top >= groupEnd) {
      close();
      groupEnd = 0;
    }
    let lane = laneEnds.findIndex((end) => end <= part.top);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = part.top + part.height;
    groupEnd = Math.max(groupEnd, part.top + part.height);
    group.push({ ...part, lane });
  }
  close();
  return { placed, more };
}
