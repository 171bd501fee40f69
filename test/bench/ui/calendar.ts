// The schedule calendar's measurement in the built UI: a month holding 2,000 planned runs of 40
// schedules (every 22 minutes or so, some in conflict, of the benchmark site's targets), given to
// the fake engine as its forecast and schedules; one run opens the Schedule view from its
// navigation entry (which opens on the current month) and times, by the page's performance marks,
// from that click to the frame after the month is drawn with its runs (`schedule-month-drawn`).
import type { Page } from 'playwright-core';
import type { ForecastEntry, Schedule } from '../../../engine/contract';
import { RUNS, type Measurement } from './measurement';
import type { PageGlobals } from './page';
import { benchSite } from './site';

export const CALENDAR_RUNS = 2000;
const SCHEDULES = 40;
/** A day cell shows at most this many runs (the rest is "+N more"). */
const SHOWN_PER_DAY = 3;

/** The runs of the month `now` falls in (local time, as the view shows it), spread evenly over it. */
export function monthForecast(now: Date, targets: readonly string[]): { schedules: Schedule[]; forecast: ForecastEntry[] } {
  const from = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  const to = new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime();
  const step = (to - from) / CALENDAR_RUNS;
  const created = new Date(from - 86_400_000).toISOString();
  const schedules: Schedule[] = Array.from({ length: SCHEDULES }, (_, i) => ({
    id: i + 1,
    target: targets[i % targets.length]!,
    mode: i % 2 === 0 ? 'mirrored' : 'failover',
    streams: 2 + (i % 3),
    chunkSize: null,
    timeoutMs: null,
    when: { kind: 'cron', expression: `${i} */8 * * *` },
    windowEnd: null,
    timeZone: 'UTC',
    enabled: true,
    moves: [],
    createdAt: created,
    updatedAt: created,
    nextDueAt: new Date(from).toISOString(),
  }));
  const forecast: ForecastEntry[] = Array.from({ length: CALENDAR_RUNS }, (_, i) => {
    const schedule = schedules[i % SCHEDULES]!;
    const due = Math.round(from + i * step);
    const durationMs = (15 + (i % 7) * 10) * 60_000;
    const conflict = i % 17 === 0;
    return {
      scheduleId: schedule.id,
      target: schedule.target,
      mode: schedule.mode,
      streams: schedule.streams,
      dueAt: new Date(due).toISOString(),
      expectedDurationMs: durationMs,
      durationBasis: 'history',
      expectedEndAt: new Date(due + durationMs).toISOString(),
      windowEndAt: null,
      streamsAvailable: 3,
      streamsNeeded: conflict ? 5 : schedule.streams,
      overlapsWith: conflict ? [schedules[(i + 1) % SCHEDULES]!.id] : [],
      conflict,
      reasons: conflict ? [`2 runs at the same time need 5 independent streams; the site can give 3 now`] : [],
    };
  });
  return { schedules, forecast };
}

/** Opens the Schedule view's month from the navigation; answers the time to its painted month in ms. */
export async function openCalendarMonth(page: Page): Promise<number> {
  await page.locator('a[data-view="schedule"]').click();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('schedule-month-drawn').length > 0, null, { timeout: 60_000 });
  const cells = await page.locator('.month [role="gridcell"]').count();
  const chips = await page.locator('.month .run').count();
  const more = await page.locator('.month .more').count();
  if (cells < 28 || chips === 0 || chips > cells * SHOWN_PER_DAY || more === 0) throw new Error(`ui bench: the month drew ${cells} days, ${chips} runs and ${more} "+N more"`);
  return page.evaluate(() => {
    const { performance } = globalThis as unknown as PageGlobals;
    return performance.getEntriesByName('schedule-month-drawn')[0]!.startTime - performance.getEntriesByName('bench-nav-schedule')[0]!.startTime;
  });
}

export const calendarMeasurement: Measurement = {
  figures: [{ metric: 'calendar_month_render_ms', unit: 'ms' }],
  runs: RUNS,
  answers() {
    const { schedules, forecast } = monthForecast(new Date(), benchSite().site.targets.map((t) => t.name));
    return { listSchedules: schedules, forecastSchedules: forecast };
  },
  async run(page) {
    return { calendar_month_render_ms: await openCalendarMonth(page) };
  },
};
