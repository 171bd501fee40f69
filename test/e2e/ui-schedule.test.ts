// The schedule calendar end to end: the built console in Chromium (its clock in Asia/Tokyo, so
// local times differ from the engine's UTC) over `mpbackup serve` on a new demo site (whose three
// schedules run daily at 22:00, 22:30 and 23:00 UTC). A one-time schedule due within the next
// minute or so is created on the calendar through the form; while it waits, a planned run of the
// demo's first schedule is dragged to another hour in the day view and confirmed as "this run
// only", and shows as moved there; then the one-time run starts by itself (serve runs the
// scheduler) and shows on the calendar as succeeded. Screenshots of the month, week and day views
// in both themes go to test/e2e/artifacts/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child';
import { go as goTo, inPage, screenshot, useConsole } from './console';

const ZONE = 'Asia/Tokyo';
const WIDTH = 1400;
/** Tall enough for the week and day grids to show all 24 hours without scrolling. */
const HEIGHT = 1900;
const HOUR_PX = 48;

/** An instant's wall clock in the browser's zone: `YYYY-MM-DD` and `HH:MM`. */
function local(at: number): { day: string; time: string } {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe('the schedule calendar in Chromium', () => {
  const app = useConsole('mpb-e2e-schedule-', async (dir) => {
    const site = path.join(dir, 'site');
    const init = spawnSync(process.execPath, [path.join(ROOT, 'bin/mpbackup'), 'site', 'init', '--site', site, '--demo', '--demo-size', '8MiB'], { cwd: ROOT, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    return site;
  });

  async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
    const page = await app.browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, colorScheme, timezoneId: ZONE });
    return { page, errors: await app.load(page) };
  }

  async function go(page: Page, hash: string): Promise<void> {
    await goTo(page, hash);
    await page.locator('tr[data-schedule]').first().waitFor();
  }

  async function shoot(page: Page, day: string, scheme: 'light' | 'dark'): Promise<void> {
    for (const view of ['month', 'week', 'day'] as const) {
      await go(page, `#/schedule/${view}/${day}`);
      await page.locator(`section.calendar[data-calendar-view="${view}"] .run`).first().waitFor();
      await page.waitForTimeout(300);
      expect(await page.locator('[role="alert"]').count(), `${view}: an error is shown`).toBe(0);
      await screenshot(page, `ui-schedule-${view}-${scheme}`);
    }
  }

  it('runs a one-time schedule made on the calendar by itself, and moves a dragged run', async () => {
    const { page, errors } = await open('light');
    await go(page, '#/schedule');

    // Due on the first whole minute at least 25 s from now, in the schedule's zone (the browser's own).
    const due = Math.ceil((Date.now() + 25_000) / 60_000) * 60_000;
    const dueLocal = local(due);
    await page.getByRole('button', { name: 'New schedule…' }).click();
    const form = page.locator('form.schedule-form');
    await expect.poll(() => form.innerText()).toContain(`the schedule's time zone, ${ZONE}`);
    await form.getByLabel('Target', { exact: true }).selectOption('/pictures');
    await form.getByLabel('Once', { exact: true }).check();
    await form.getByLabel('Date and time', { exact: true }).fill(`${dueLocal.day}T${dueLocal.time}`);
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await expect.poll(() => form.count()).toBe(0);
    const created = page.locator('tr[data-schedule="4"]');
    expect(await created.innerText()).toContain('/pictures');
    // Its run is on the calendar, planned, selected.
    const dueIso = new Date(due).toISOString();
    const plannedRun = page.locator(`.run[data-run="plan:4:${dueIso}"]`);
    expect(await plannedRun.getAttribute('data-outcome')).toBe('planned');
    expect(await plannedRun.getAttribute('aria-pressed')).toBe('true');
    expect(await plannedRun.innerText()).toContain('/pictures');

    // Meanwhile: tomorrow's 22:00 UTC run of schedule 1 (X:) is 07:00 the next morning in Tokyo; drag it to 05:00.
    const today = new Date();
    const xDue = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 22);
    const xDay = local(xDue).day;
    expect(local(xDue).time).toBe('07:00');
    await go(page, `#/schedule/day/${xDay}`);
    const xRun = page.locator(`.column .run[data-run="plan:1:${new Date(xDue).toISOString()}"]`);
    await xRun.waitFor();
    const column = page.locator(`.column[data-day="${xDay}"]`);
    await xRun.dragTo(column, { sourcePosition: { x: 12, y: 4 }, targetPosition: { x: 300, y: 5 * HOUR_PX + 4 } });
    const moveForm = page.locator('.run-details .move-run');
    await expect.poll(() => moveForm.innerText()).toContain('Dropped at');
    expect(await moveForm.locator('input[type="datetime-local"]').inputValue()).toBe(`${xDay}T05:00`);
    expect(await moveForm.getByLabel('This run only').isChecked()).toBe(true);
    await moveForm.getByRole('button', { name: 'Move run' }).click();
    const movedIso = new Date(xDue - 2 * 3600_000).toISOString();
    const moved = page.locator(`.column .run[data-run="plan:1:${movedIso}"]`);
    await moved.waitFor({ timeout: 10_000 });
    expect(await moved.getAttribute('data-moved')).toBe('true');
    expect(await moved.getAttribute('style')).toContain(`top: ${5 * HOUR_PX}px`);
    expect(await moved.locator('.moved-mark').count()).toBe(1);
    expect(await moved.getAttribute('aria-label')).toContain('moved from');
    expect(await page.locator(`.run[data-run="plan:1:${new Date(xDue).toISOString()}"]`).count()).toBe(0);
    expect(await page.locator('tr[data-schedule="1"]').innerText()).toContain('1 moved run');

    // The month, week and day views in the light theme (while the one-time run waits).
    await shoot(page, xDay, 'light');

    // From the keyboard: a month's days by the arrow keys, a day opened with Enter, its run selected, "Move to…" reached.
    await go(page, `#/schedule/month/${xDay}`);
    const days = await inPage<string[]>(page, '[...document.querySelectorAll(".month [role=gridcell]")].map((cell) => cell.getAttribute("data-day"))');
    const next = days[Math.min(days.length - 1, days.indexOf(dueLocal.day) + 1)]!;
    await page.locator(`[data-day="${dueLocal.day}"] .day-number`).focus();
    await page.keyboard.press('ArrowRight');
    expect(await inPage(page, 'document.activeElement.closest("[data-day]").getAttribute("data-day")')).toBe(next);
    await page.keyboard.press('Enter');
    await page.locator('section.calendar[data-calendar-view="day"]').waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/schedule/day/${next}`);
    // The day's runs are drawn before Tab looks for them (its forecast may still be on its way).
    await page.locator('section.calendar[data-calendar-view="day"] .run').first().waitFor({ timeout: 15_000 });
    const focused = () => inPage<{ run: boolean; outline: string }>(page, '({ run: document.activeElement?.classList.contains("run") ?? false, outline: getComputedStyle(document.activeElement).outlineStyle })');
    for (let i = 0; i < 60 && !(await focused()).run; i++) await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ run: true, outline: 'solid' });
    await page.keyboard.press('Enter');
    await page.locator('.run-details').waitFor();
    await screenshot(page, 'ui-schedule-keyboard-light');

    // The run starts by itself when it falls due, and ends succeeded on the calendar.
    await go(page, `#/schedule/day/${dueLocal.day}`);
    const report = page.locator('.report');
    await expect.poll(() => report.count(), { timeout: 110_000, interval: 500 }).toBe(1);
    expect(await report.innerText()).toMatch(/^Schedule 4 started job \d+ \(due /);
    const doneRun = page.locator(`.column .run[data-run^="run:"]`).filter({ hasText: '/pictures' });
    await expect.poll(() => doneRun.first().getAttribute('data-outcome'), { timeout: 60_000, interval: 500 }).toBe('succeeded');
    expect(await doneRun.first().getAttribute('aria-label')).toMatch(/^Succeeded: \/pictures at /);
    // At its local hour and minute in the day's column.
    const top = Number(/top: ([\d.]+)px/.exec((await doneRun.first().getAttribute('style')) ?? '')?.[1]);
    expect(top).toBeCloseTo((Number(dueLocal.time.slice(0, 2)) * 60 + Number(dueLocal.time.slice(3))) * (HOUR_PX / 60), 3);
    await doneRun.first().click();
    expect(await page.locator('.run-details [data-outcome-badge]').innerText()).toBe('Succeeded');
    expect(await page.locator('.run-details a[href^="#/jobs/"]').count()).toBe(1);
    await screenshot(page, 'ui-schedule-done-light');
    expect(errors).toEqual([]);
    await page.close();

    const dark = await open('dark');
    await shoot(dark.page, xDay, 'dark');
    expect(dark.errors).toEqual([]);
    await dark.page.close();
    expect(app.stderr).toBe('');
  }, 180_000);
});
