// The operator console end to end: the built renderer over `mpbackup serve` on a demo site with
// history (a mirrored backup, a failover backup whose copy device crashed, a mirrored one ended
// degraded) and a backup server out of service. Every view is visited in the light and the dark
// theme, with its messages rendered (no raw message keys), no page errors, and a screenshot of
// each in test/e2e/artifacts/; the theme switch is remembered; a backup started from the Jobs
// view is watched on its page to its end, and another is cancelled there.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { go, type History, inPage, makeHistorySite, screenshot, useConsole } from './console';

const WIDTH = 1400;
/** Text that looks like a message key of the console left unrendered. */
const RAW_KEY = /\b(?:shell|common|states|kinds|kind|modes|jobKinds|failures|overview|jobs|inventory|schedule|restore|log|san)\.[a-z][A-Za-z]*(?:\.[A-Za-z-]+)*\b/;

/** A drill fault (site.json) that makes every later backup read slowly, so its progress can be watched. */
function slowStorage(dir: string): void {
  const file = path.join(dir, 'site.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  config.faults = ['storage-1:slow@chunk=0,rate=512KiB'];
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

const BACKGROUND = 'getComputedStyle(document.body).backgroundColor';
const THEME = 'document.documentElement.dataset.theme';

describe('the operator console in Chromium', () => {
  let history: History;
  const app = useConsole('mpb-e2e-ui-', async (dir) => {
    const site = path.join(dir, 'site');
    history = await makeHistorySite(site);
    slowStorage(site);
    return site;
  });

  async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
    const page = await app.browser.newPage({ viewport: { width: WIDTH, height: 900 }, colorScheme });
    return { page, errors: await app.load(page) };
  }

  it('shows every view in both themes, readable, with no errors', async () => {
    const views: { hash: string; name: string; heading: string | RegExp; ready: string }[] = [
      { hash: '#/overview', name: 'overview', heading: 'Overview', ready: '[data-mode="failover"] .count' },
      { hash: '#/schedule', name: 'schedule', heading: 'Schedule', ready: 'tr[data-schedule]' },
      { hash: '#/san', name: 'san', heading: 'SAN', ready: 'svg.san-graph' },
      { hash: '#/jobs', name: 'jobs', heading: 'Jobs', ready: 'tr[data-job]' },
      { hash: `#/jobs/${history.failoverJob}`, name: 'job-failover', heading: `Job ${history.failoverJob} · Backup of /movies`, ready: '.chunk-map .failover' },
      { hash: `#/jobs/${history.degradedJob}`, name: 'job-degraded', heading: `Job ${history.degradedJob} · Backup of X:`, ready: '.chunk-map .segment' },
      { hash: '#/restore', name: 'restore', heading: 'Restore', ready: 'tr[data-backup]' },
      { hash: '#/inventory', name: 'inventory', heading: 'Inventory', ready: 'tr[data-tape="A00001"] .held a' },
      { hash: '#/log', name: 'log', heading: 'Event log', ready: 'tr[data-level="warning"]' },
    ];
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await open(scheme);
      expect(await page.locator('footer.status-bar').innerText()).toContain('Demo site');
      expect(await page.locator('[data-status="unavailable"]').innerText()).toBe('1 device unavailable');
      expect(await page.locator('[data-status="problems"]').innerText()).toBe('1 failed or degraded job (24 h)');
      for (const view of views) {
        await go(page, view.hash);
        await expect.poll(() => page.locator('#main h1').first().innerText(), { timeout: 15_000 }).toEqual(view.heading);
        await page.locator(view.ready).first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(300);
        const text = await page.locator('#app').innerText();
        expect(text, `${view.name}: a message key is shown raw`).not.toMatch(RAW_KEY);
        expect(await page.locator('[role="alert"]').count(), `${view.name}: an error is shown`).toBe(0);
        await screenshot(page, `ui-${view.name}-${scheme}`);
      }
      expect(await inPage(page, BACKGROUND)).toBe(scheme === 'dark' ? 'rgb(15, 20, 26)' : 'rgb(244, 246, 248)');
      expect(errors).toEqual([]);
      await page.close();
    }
    expect(app.stderr).toBe('');
  });

  it('shows what the failover did: the failed stream, the one that continued, where the chunks went', async () => {
    const { page, errors } = await open('light');
    await go(page, `#/jobs/${history.failoverJob}`);
    await page.locator('.chunk-map .failover').waitFor();
    const streams = page.locator('li.stream');
    await expect.poll(() => streams.count()).toBe(2);
    expect(await streams.nth(0).innerText()).toMatch(/Stream 0\s+Failed/);
    expect(await streams.nth(1).innerText()).toMatch(/Stream 1\s+Completed/);
    expect(await page.locator('.chunk-map').innerText()).toContain('At chunk 3 stream 0 failed and stream 1 continued from that chunk.');
    expect(await page.locator('section[aria-label="Fragments"] tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('remembers the theme the operator chose', async () => {
    const { page } = await open('light');
    await page.getByLabel('Dark').check();
    expect(await inPage(page, THEME)).toBe('dark');
    // The address has lost its token (the page takes it out): come back the way the operator did.
    await page.goto(app.url);
    await page.locator('footer.status-bar').waitFor();
    expect(await inPage(page, THEME)).toBe('dark');
    expect(await inPage(page, BACKGROUND)).toBe('rgb(15, 20, 26)');
    await page.getByLabel('System').check();
    expect(await inPage(page, THEME)).toBeUndefined();
    await page.close();
  });

  it('is used from the keyboard: skip link, views, and a visible focus', async () => {
    const { page, errors } = await open('light');
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Skip to the content');
    const focused = () => inPage<{ text: string; outline: string }>(page, '({ text: document.activeElement?.textContent?.trim(), outline: getComputedStyle(document.activeElement).outlineStyle })');
    let target = await focused();
    for (let i = 0; i < 15 && target.text !== 'Jobs'; i++) {
      await page.keyboard.press('Tab');
      target = await focused();
    }
    expect(target).toEqual({ text: 'Jobs', outline: 'solid' });
    await screenshot(page, 'ui-keyboard-focus-light');
    await page.keyboard.press('Enter');
    // The view takes the focus to its heading.
    await expect.poll(() => inPage(page, '`${document.activeElement?.tagName} ${document.activeElement?.textContent}`')).toBe('H1 Jobs');
    expect(new URL(page.url()).hash).toBe('#/jobs');
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Start a backup…');
    await page.keyboard.press('Enter');
    await page.getByLabel('Target', { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts a backup from the Jobs view and watches its streams to the end', async () => {
    const { page, errors } = await open('light');
    await go(page, '#/jobs');
    await page.getByRole('button', { name: 'Start a backup…' }).click();
    await page.getByLabel('Target', { exact: true }).selectOption('/pictures');
    await page.getByLabel('Mode', { exact: true }).selectOption('mirrored');
    // Small chunks: the job reports progress chunk by chunk.
    await page.getByLabel('Chunk size', { exact: true }).fill('128KiB');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.waitForURL(/#\/jobs\/\d+$/);
    const jobId = Number(/#\/jobs\/(\d+)$/.exec(page.url())![1]);
    await expect.poll(() => page.locator('#main h1').innerText()).toBe(`Job ${jobId} · Backup of /pictures`);

    // While it runs: both streams writing, with figures, and the throughput chart drawing.
    await page.locator('li.stream').nth(1).waitFor({ timeout: 30_000 });
    await page.locator('svg path.rate').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('li.stream').first().innerText(), { timeout: 30_000 }).toMatch(/MiB\/s|KiB\/s/);
    // The chunk map fills in as chunks are stored.
    await page.locator('.chunk-map .segment').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.view-head .badge').innerText()).toBe('Running');
    expect(await page.locator('footer [data-status="running"]').innerText()).toBe('1 job running');
    await screenshot(page, 'ui-job-running-light');

    await expect.poll(() => page.locator('.view-head .badge').innerText(), { timeout: 60_000 }).toBe('Succeeded');
    await expect.poll(() => page.locator('.chunk-map .strip').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('.view-head').innerText()).not.toContain('Cancel job');
    await expect.poll(() => page.locator('footer [data-status="running"]').innerText()).toBe('No job running');
    await screenshot(page, 'ui-job-done-light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cancels a running backup from its page, after asking', async () => {
    const { page, errors } = await open('dark');
    await go(page, '#/jobs');
    await page.getByRole('button', { name: 'Start a backup…' }).click();
    await page.getByLabel('Target', { exact: true }).selectOption('X:');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.waitForURL(/#\/jobs\/\d+$/);
    await expect.poll(() => page.locator('footer [data-status="running"]').innerText()).toBe('1 job running');
    await page.getByRole('button', { name: 'Cancel job' }).click();
    expect(await page.locator('.cancel-job').innerText()).toContain('Stop this job and release its devices?');
    await screenshot(page, 'ui-job-cancel-dark');
    await page.getByRole('button', { name: 'Yes, cancel' }).click();
    await expect.poll(() => page.locator('.view-head .badge').innerText(), { timeout: 30_000 }).toBe('Cancelled');
    await expect.poll(() => page.locator('footer [data-status="running"]').innerText()).toBe('No job running');
    await go(page, '#/inventory');
    // Everything the job held is released.
    await expect.poll(() => page.locator('tr[data-device] .badge[data-state="in-use"]').count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
