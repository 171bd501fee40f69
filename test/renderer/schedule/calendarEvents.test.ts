// What the calendar draws, before any component: planned and recorded runs as one list with their
// outcomes (a started run ends as its job did), a run shown once when the forecast still lists it,
// moved runs marked; a day's runs in lanes, cut at midnight, at least readable in height, with
// "+N more" where too many overlap; a month's cells showing three runs each whatever the month
// holds. The zone is Asia/Tokyo (UTC+9), so local days and hours differ from the engine's UTC.
import { afterAll, describe, expect, it } from 'vitest';
import { calendarEvents, eventsByDay, type CalendarEvent } from '../../../renderer/src/schedule/calendarEvents';
import { dayKey, spanOf } from '../../../renderer/src/schedule/calendarTime';
import { layoutDay } from '../../../renderer/src/schedule/dayLayout';
import { MONTH_SHOWN, monthCells } from '../../../renderer/src/schedule/monthCells';
import { OUTCOMES, outcomeLook } from '../../../renderer/src/schedule/outcomes';
import { createConsoleI18n } from '../../../renderer/src/i18n';
import { schedule } from '../fixtures';
import { planned, run, scheduledJob } from './calendarFixtures';

const zone = process.env.TZ;
process.env.TZ = 'Asia/Tokyo';
afterAll(() => {
  process.env.TZ = zone;
});

const NOW = Date.parse('2026-12-01T03:00:00Z');

describe('calendar events', () => {
  it('have for every outcome a word and an icon, and no two outcomes look alike', () => {
    const i18n = createConsoleI18n();
    const looks = OUTCOMES.map((outcome) => {
      expect(i18n.global.te(`schedule.outcomes.${outcome}`), outcome).toBe(true);
      return `${outcomeLook(outcome).tone} ${outcomeLook(outcome).icon}`;
    });
    expect(new Set(looks).size).toBe(OUTCOMES.length);
  });

  it('give recorded runs the outcome of their job, and planned runs their expected length', () => {
    const events = calendarEvents({
      schedules: [schedule(1), schedule(2, { target: '/pictures' })],
      forecast: [planned(1, '2026-12-01T22:00:00.000Z', {}, 90)],
      runs: [
        run(1, { jobId: 11, dueAt: '2026-11-27T22:00:00.000Z' }),
        run(2, { jobId: 12, dueAt: '2026-11-28T22:00:00.000Z' }),
        run(3, { jobId: 13, dueAt: '2026-11-29T22:00:00.000Z' }),
        run(4, { state: 'missed', reason: 'the manager was not running', dueAt: '2026-11-30T22:00:00.000Z' }),
        run(5, { scheduleId: 2, jobId: 15, dueAt: '2026-12-01T02:50:00.000Z' }),
        run(6, { scheduleId: 2, state: 'planned', dueAt: '2026-12-01T02:55:00.000Z', reason: 'library-B is unavailable' }),
        run(7, { scheduleId: 9, state: 'skipped', dueAt: '2026-11-26T22:00:00.000Z', reason: 'its schedule was removed' }),
      ],
      jobs: {
        11: scheduledJob(11, 1, 'succeeded', '2026-11-27T22:00:05.000Z'),
        12: scheduledJob(12, 1, 'succeeded-degraded', '2026-11-28T22:00:05.000Z'),
        13: scheduledJob(13, 1, 'failed', '2026-11-29T22:00:05.000Z'),
        15: scheduledJob(15, 2, 'running', '2026-12-01T02:50:01.000Z'),
      },
      now: NOW,
    });
    expect(events.map((e) => [e.key, e.outcome])).toEqual([
      ['run:7', 'skipped'],
      ['run:1', 'succeeded'],
      ['run:2', 'degraded'],
      ['run:3', 'failed'],
      ['run:4', 'missed'],
      ['run:5', 'running'],
      ['run:6', 'waiting'],
      ['plan:1:2026-12-01T22:00:00.000Z', 'planned'],
    ]);
    const [skipped, succeeded, , , missed, running, waiting, plan] = events as CalendarEvent[];
    // A removed schedule's run without a job has nothing more to say than its schedule's number.
    expect([skipped!.target, skipped!.reason]).toEqual([null, 'its schedule was removed']);
    expect([succeeded!.target, succeeded!.end - succeeded!.start]).toEqual(['X:', 20 * 60_000 + 5000]);
    expect([missed!.reason, missed!.end]).toEqual(['the manager was not running', missed!.start]);
    expect([running!.end, waiting!.end]).toEqual([NOW, NOW]);
    expect([plan!.planned, plan!.end - plan!.start, plan!.dueAt]).toEqual([true, 90 * 60_000, '2026-12-01T22:00:00.000Z']);
  });

  it('show a run once when the forecast still lists it, and mark moved runs', () => {
    const events = calendarEvents({
      schedules: [schedule(1, { moves: [{ dueAt: '2026-12-02T22:00:00.000Z', to: '2026-12-02T20:00:00.000Z' }] })],
      forecast: [planned(1, '2026-12-01T02:59:00.000Z'), planned(1, '2026-12-02T20:00:00.000Z')],
      runs: [run(1, { dueAt: '2026-12-01T02:59:00.000Z', jobId: null, state: 'planned' }), run(2, { dueAt: '2026-12-01T02:00:00.000Z', manual: true })],
      jobs: {},
      now: NOW,
    });
    expect(events.map((e) => e.key)).toEqual(['run:2', 'run:1', 'plan:1:2026-12-02T20:00:00.000Z']);
    expect(events[0]!.manual).toBe(true);
    expect(events[2]!.movedFrom).toBe('2026-12-02T22:00:00.000Z');
    expect(events[1]!.movedFrom).toBeNull();
  });

  it('fall on the local day they start: 22:00 UTC is the next morning in Tokyo', () => {
    const events = calendarEvents({ schedules: [schedule(1)], forecast: [planned(1, '2026-12-01T22:00:00.000Z'), planned(1, '2026-12-01T14:59:00.000Z')], runs: [], jobs: {}, now: NOW });
    const days = eventsByDay(events);
    expect([...days.keys()]).toEqual(['2026-12-01', '2026-12-02']);
    expect(days.get('2026-12-02')![0]!.dueAt).toBe('2026-12-01T22:00:00.000Z');
  });
});

describe('a day in the week and day views', () => {
  const day = new Date(2026, 11, 2);
  const at = (local: string) => new Date(`2026-12-02T${local}:00+09:00`).toISOString();
  const eventsOf = (entries: ReturnType<typeof planned>[]) => calendarEvents({ schedules: [], forecast: entries, runs: [], jobs: {}, now: NOW });

  it('places runs at their local minute, as long as they last, and at least readable', () => {
    const { placed, more } = layoutDay(eventsOf([planned(1, at('07:00'), {}, 120), planned(2, at('13:00'), {}, 1 / 60)]), day, { minMinutes: 30, maxLanes: 3 });
    expect(placed.map((p) => [p.top, p.height, p.lane, p.lanes])).toEqual([
      [7 * 60, 120, 0, 1],
      [13 * 60, 30, 0, 1],
    ]);
    expect(more).toEqual([]);
  });

  it('cuts a run at midnight and continues it at the top of the next day', () => {
    const events = eventsOf([planned(1, at('23:00'), {}, 120)]);
    const [tonight] = layoutDay(events, day, { minMinutes: 30, maxLanes: 3 }).placed;
    const [tomorrow] = layoutDay(events, new Date(2026, 11, 3), { minMinutes: 30, maxLanes: 3 }).placed;
    expect([tonight!.top, tonight!.height, tonight!.continues, tonight!.continued]).toEqual([23 * 60, 60, true, false]);
    expect([tomorrow!.top, tomorrow!.height, tomorrow!.continues, tomorrow!.continued]).toEqual([0, 60, false, true]);
  });

  it('puts overlapping runs side by side, and gathers the ones past the last lane', () => {
    const events = eventsOf([1, 2, 3, 4, 5].map((id) => planned(id, at('22:00'), {}, 60)).concat([planned(6, at('20:00'), {}, 30)]));
    const { placed, more } = layoutDay(events, day, { minMinutes: 30, maxLanes: 3 });
    expect(placed.find((p) => p.event.scheduleId === 6)).toMatchObject({ lane: 0, lanes: 1 });
    const late = placed.filter((p) => p.top === 22 * 60);
    expect(late.map((p) => [p.lane, p.lanes])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(more).toHaveLength(1);
    expect(more[0]!.events.map((e) => e.scheduleId)).toEqual([3, 4, 5]);
    expect([more[0]!.lane, more[0]!.top]).toEqual([2, 22 * 60]);
  });

  it('says "+N more" in each hour where runs were left out of a crowded day', () => {
    // Every five minutes from 10:00 to 12:55: drawn half an hour tall, six overlap at any time, in one long chain.
    const events = eventsOf(Array.from({ length: 36 }, (_, i) => planned(1, new Date(Date.parse(at('10:00')) + i * 300_000).toISOString(), {}, 5)));
    const { placed, more } = layoutDay(events, day, { minMinutes: 30, maxLanes: 3 });
    expect(Math.max(...placed.map((p) => p.lane))).toBe(1);
    expect(more.map((m) => [m.top / 60, m.lane])).toEqual([
      [10, 2],
      [11, 2],
      [12, 2],
    ]);
    expect(placed.length + more.reduce((n, m) => n + m.events.length, 0)).toBe(36);
  });
});

describe('the month\'s cells', () => {
  it('show three runs a day and count the rest, whatever the month holds', () => {
    const entries = Array.from({ length: 2000 }, (_, i) => planned((i % 20) + 1, new Date(Date.UTC(2026, 11, 1) + i * 22 * 60_000 - 9 * 3600_000).toISOString(), i % 97 === 0 ? { conflict: true, reasons: ['too many'] } : {}));
    const events = calendarEvents({ schedules: [], forecast: entries, runs: [], jobs: {}, now: NOW });
    const span = spanOf('month', new Date(2026, 11, 1));
    const cells = monthCells(span.days, 11, eventsByDay(events));
    const shown = cells.reduce((n, c) => n + c.shown.length, 0);
    const hidden = cells.reduce((n, c) => n + c.hidden, 0);
    expect(shown).toBeLessThanOrEqual(cells.length * MONTH_SHOWN);
    expect(shown + hidden).toBe(2000);
    const first = cells.find((c) => c.key === '2026-12-01')!;
    expect([first.inMonth, first.shown.length, first.events.length]).toEqual([true, 3, 66]);
    expect(first.attention).toBe(first.events.filter((e) => e.conflict).length);
    expect(cells.find((c) => c.key === dayKey(span.from))!.inMonth).toBe(false);
  });
});
