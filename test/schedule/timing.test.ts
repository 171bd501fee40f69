// Recurrences as croner computes them in a schedule's time zone: daily, weekly and monthly as
// cron patterns, across both DST changes (a time in the spring-forward gap runs once, at the first
// valid time after it; a time that occurs twice on the fall-back day runs once), window ends on
// the same or the next day, and wall-clock date-times read in a zone.
import { describe, expect, it } from 'vitest';
import { cronPattern, dueTimes, instantOf, windowClose } from '../../engine/schedule';
import type { ScheduleWhen } from '../../engine/contract';

const schedule = (when: ScheduleWhen, timeZone: string, windowEnd: string | null = null) => ({ when, timeZone, windowEnd });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('schedule timing', () => {
  it('daily 02:30 in Europe/Berlin runs once on the spring-forward day, at 03:00 CEST', () => {
    const daily = schedule({ kind: 'daily', time: '02:30' }, 'Europe/Berlin');
    expect(iso(dueTimes(daily, new Date('2026-03-27T12:00:00Z'), new Date('2026-03-31T12:00:00Z'), 10))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('daily 02:30 in Europe/Berlin runs once on the fall-back day (02:30 occurs twice)', () => {
    const daily = schedule({ kind: 'daily', time: '02:30' }, 'Europe/Berlin');
    expect(iso(dueTimes(daily, new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T12:00:00Z'), 10))).toEqual([
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST); not again at 01:30Z (CET)
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('daily 01:30 in America/New_York runs once on the fall-back day, and at 03:00 on spring-forward for 02:30', () => {
    const early = schedule({ kind: 'daily', time: '01:30' }, 'America/New_York');
    expect(iso(dueTimes(early, new Date('2026-10-31T12:00:00Z'), new Date('2026-11-02T12:00:00Z'), 10))).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    const gap = schedule({ kind: 'daily', time: '02:30' }, 'America/New_York');
    expect(iso(dueTimes(gap, new Date('2026-03-07T12:00:00Z'), new Date('2026-03-09T12:00:00Z'), 10))).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  it('weekly, monthly and cron patterns; a one-time run falls due once', () => {
    expect(cronPattern({ kind: 'weekly', days: ['fri', 'mon'], time: '22:05' })).toBe('5 22 * * 1,5');
    expect(cronPattern({ kind: 'monthly', day: 31, time: '03:00' })).toBe('0 3 31 * *');
    const weekly = schedule({ kind: 'weekly', days: ['mon', 'fri'], time: '22:05' }, 'UTC');
    expect(iso(dueTimes(weekly, new Date('2026-11-23T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), 10))).toEqual(['2026-11-23T22:05:00.000Z', '2026-11-27T22:05:00.000Z', '2026-11-30T22:05:00.000Z']);
    const monthly = schedule({ kind: 'monthly', day: 31, time: '03:00' }, 'UTC');
    expect(iso(dueTimes(monthly, new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), 10))).toEqual(['2026-01-31T03:00:00.000Z', '2026-03-31T03:00:00.000Z', '2026-05-31T03:00:00.000Z']);
    const once = schedule({ kind: 'once', at: '2026-11-25T21:00:00.000Z' }, 'UTC');
    expect(iso(dueTimes(once, new Date('2026-11-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), 10))).toEqual(['2026-11-25T21:00:00.000Z']);
  });

  it('a window ends on the day the run falls due, or the next day with +1, in the zone', () => {
    const berlin = schedule({ kind: 'daily', time: '22:00' }, 'Europe/Berlin', '23:30');
    expect(windowClose(berlin, new Date('2026-10-24T20:00:00Z'))?.toISOString()).toBe('2026-10-24T21:30:00.000Z');
    const overnight = { ...berlin, windowEnd: '04:00+1' };
    // The night the clocks go back: 04:00 CET is 03:00Z.
    expect(windowClose(overnight, new Date('2026-10-24T20:00:00Z'))?.toISOString()).toBe('2026-10-25T03:00:00.000Z');
    expect(windowClose({ ...berlin, windowEnd: null }, new Date('2026-10-24T20:00:00Z'))).toBeNull();
  });

  it('reads a wall-clock date-time in a zone, and an instant as written', () => {
    expect(instantOf('2026-11-25T22:00', 'Europe/Berlin').toISOString()).toBe('2026-11-25T21:00:00.000Z');
    expect(instantOf('2026-07-01T22:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T20:00:00.000Z');
    expect(instantOf('2026-11-25T22:00:00Z', 'Europe/Berlin').toISOString()).toBe('2026-11-25T22:00:00.000Z');
    expect(() => instantOf('2026-02-30T22:00', 'UTC')).toThrow(/not a date-time/);
  });
});
