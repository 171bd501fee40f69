// Calendar arithmetic in the operator's zone (here Europe/Berlin, with daylight saving): the days
// each view shows, weeks from Monday, a 23-hour day still one day, the address of a place, and the
// local and zoned date-time texts the forms use.
import { afterAll, describe, expect, it } from 'vitest';
import {
  atMinute,
  dayKey,
  fromLocalInput,
  localInputValue,
  minuteOfDay,
  parseDayKey,
  parseRouteParam,
  routeParam,
  spanOf,
  stepAnchor,
  wallClockIn,
} from '../../../renderer/src/schedule/calendarTime';

const zone = process.env.TZ;
process.env.TZ = 'Europe/Berlin';
afterAll(() => {
  process.env.TZ = zone;
});

describe('calendar time', () => {
  it('shows whole weeks from Monday around a month, and one week or day', () => {
    const december = spanOf('month', new Date(2026, 11, 17));
    expect(dayKey(december.from)).toBe('2026-11-30');
    expect(dayKey(december.to)).toBe('2027-01-04');
    expect(december.days).toHaveLength(35);
    expect(december.days.every((d, i) => i === 0 || d.getTime() > december.days[i - 1]!.getTime())).toBe(true);
    // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
    expect(spanOf('month', new Date(2027, 1, 10)).days).toHaveLength(28);
    const week = spanOf('week', new Date(2026, 11, 6));
    expect([dayKey(week.from), dayKey(week.to), week.days.length]).toEqual(['2026-11-30', '2026-12-07', 7]);
    const day = spanOf('day', new Date(2026, 11, 1, 15, 30));
    expect([day.from.getHours(), day.to.getTime() - day.from.getTime()]).toEqual([0, 24 * 3600_000]);
  });

  it('counts the spring-forward day as one day of 23 hours', () => {
    const week = spanOf('week', new Date(2027, 2, 28));
    expect(week.days.map(dayKey)).toEqual(['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28']);
    const sunday = spanOf('day', new Date(2027, 2, 28));
    expect(sunday.to.getTime() - sunday.from.getTime()).toBe(23 * 3600_000);
    // 02:30 UTC that day is 04:30 summer time on the wall clock.
    expect(minuteOfDay(Date.parse('2027-03-28T02:30:00Z'))).toBe(4 * 60 + 30);
  });

  it('steps by month, week and day', () => {
    expect(dayKey(stepAnchor('month', new Date(2026, 0, 31), 1))).toBe('2026-02-01');
    expect(dayKey(stepAnchor('week', new Date(2026, 11, 30), 1))).toBe('2027-01-06');
    expect(dayKey(stepAnchor('day', new Date(2026, 11, 1), -1))).toBe('2026-11-30');
  });

  it('keeps its place in the address, and falls back to the month of today', () => {
    const today = new Date(2026, 11, 1, 9);
    expect(routeParam('week', new Date(2026, 11, 3))).toBe('week/2026-12-03');
    expect(parseRouteParam('day/2026-12-24', today)).toEqual({ view: 'day', anchor: new Date(2026, 11, 24) });
    expect(parseRouteParam(null, today)).toEqual({ view: 'month', anchor: new Date(2026, 11, 1) });
    expect(parseRouteParam('year/2026', today).view).toBe('month');
    expect(parseRouteParam('week/2026-02-31', today)).toEqual({ view: 'week', anchor: new Date(2026, 11, 1) });
    expect(parseDayKey('2026-13-01')).toBeNull();
  });

  it('reads and writes local date-times, and a zone\'s wall clock', () => {
    const at = Date.parse('2026-12-01T21:00:00Z');
    expect(localInputValue(at)).toBe('2026-12-01T22:00');
    expect(fromLocalInput('2026-12-01T22:00')).toBe(at);
    expect(fromLocalInput('2026-12-01T24:00')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
    expect(wallClockIn(at, 'Asia/Tokyo')).toBe('2026-12-02T06:00');
    expect(wallClockIn(at, 'UTC')).toBe('2026-12-01T21:00');
    expect(atMinute(new Date(2026, 11, 1), 22 * 60 + 15).toISOString()).toBe('2026-12-01T21:15:00.000Z');
  });
});
