// First run and the Site view end to end: the built console in Chromium over `mpbackup serve` on
// a new demo site. The first-run guide is shown on the Overview, dismissed, and stays dismissed
// when the console is opened again; the site is edited in the Site view (an FC switch added and
// linked, a port already wired refused by the engine beside its field, fixed, saved) and the SAN
// view then draws the new switch; an empty site is created in a new folder and the console
// switches to it (no devices), then the demo site is opened again; the last view comes back
// when the console is opened again, and a route in the address wins. Screenshots of the guide
// and the Site view in both themes go to test/e2e/artifacts/. The tests share one site and run in
// order, each from where the one before left it (the demo site has 16 devices after the switch is
// added, and is open again after the empty one).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child';
import { go as goTo, inPage, screenshot, useConsole } from './console';

const WIDTH = 1400;
const HEIGHT = 900;
/** Text that looks like a message key of the console left unrendered (the file site.json is no key). */
const RAW_KEY = /\b(?!site\.json\b)(?:shell|common|states|kinds|kind|site|guide)\.[a-z][A-Za-z]*(?:\.[A-Za-z-]+)*\b/;

describe('first run and the Site view in Chromium', () => {
  let demoDir: string;

  const app = useConsole('mpb-e2e-site-', async (dir) => {
    demoDir = path.join(dir, 'demo');
    const init = spawnSync(process.execPath, [path.join(ROOT, 'bin/mpbackup'), 'site', 'init', '--site', demoDir, '--demo', '--demo-size', '4MiB'], { cwd: ROOT, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    return demoDir;
  });

  /** A console of its own (its own localStorage), opened at `hash` or where it was left. */
  async function open(colorScheme: 'light' | 'dark', context?: BrowserContext, hash = ''): Promise<{ page: Page; errors: string[]; context: BrowserContext }> {
    const ctx = context ?? (await app.browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, colorScheme }));
    const page = await ctx.newPage();
    return { page, errors: await app.load(page, hash), context: ctx };
  }

  async function go(page: Page, hash: string, heading: string): Promise<void> {
    await goTo(page, hash);
    await expect.poll(() => page.locator('#main h1').first().innerText(), { timeout: 15_000 }).toBe(heading);
  }

  async function readable(page: Page, what: string): Promise<void> {
    expect(await page.locator('#app').innerText(), `${what}: a message key is shown raw`).not.toMatch(RAW_KEY);
  }

  it('shows the first-run guide on a new demo site until it is dismissed, also after the console is opened again', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors, context } = await open(scheme);
      const guide = page.locator('[data-guide]');
      await guide.waitFor();
      expect(await guide.locator('h2').innerText()).toBe('Your first backup and restore');
      expect(await guide.locator('[data-guide-dir]').innerText()).toBe(demoDir);
      expect(await guide.locator('li[data-step]').count()).toBe(4);
      await page.locator('[data-mode="failover"] .count').waitFor();
      await readable(page, `guide ${scheme}`);
      await screenshot(page, `site-guide-${scheme}`, false);

      // Looking at the SAN graph marks the first step; the header leads back to the guide.
      await page.locator('a[data-guide-link="san"]').click();
      await page.locator('svg.san-graph').waitFor();
      await expect.poll(() => page.locator('[data-guide-link-back]').innerText()).toBe('Guide: 1 of 4 done');
      await page.locator('[data-guide-link-back]').click();
      await expect.poll(() => guide.locator('li[data-step="san"]').getAttribute('data-done')).toBe('true');
      expect(await guide.locator('li[data-step="san"] .badge').innerText()).toBe('Done');

      if (scheme === 'dark') {
        await guide.locator('[data-guide-dismiss]').click();
        await expect.poll(() => guide.count()).toBe(0);
        await page.close();
        const again = await open(scheme, context);
        await again.page.locator('[data-mode="failover"] .count').waitFor();
        expect(await again.page.locator('[data-guide]').count()).toBe(0);
        expect(again.errors).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('edits the site: an FC switch added and linked, a wired port refused beside its field, fixed and saved; the SAN view draws the switch', async () => {
    const { page, errors, context } = await open('light');
    await go(page, '#/site', 'Site');
    const state = page.locator('[data-check-state]');
    await expect.poll(() => state.innerText(), { timeout: 15_000 }).toBe('No problems');
    expect(await page.locator('[data-site-dir]').innerText()).toBe(demoDir);
    expect(await page.locator('.device').count()).toBe(15);
    await readable(page, 'site view');
    await screenshot(page, 'site-view-light');

    await page.locator('[data-add-kind="switch"]').click();
    const id = page.locator('input[data-path="devices[15].id"]');
    expect(await id.inputValue()).toBe('switch-5');
    // The new switch's id has the focus, visibly.
    await expect.poll(() => inPage<string>(page, 'document.activeElement.dataset.path')).toBe('devices[15].id');
    expect(await inPage<string>(page, 'getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');

    await page.locator('[data-add-link]').click();
    const row = page.locator('tr[data-link="24"]');
    await row.locator('[data-end="links[24].a"] select[data-part="device"]').selectOption('switch-5');
    await row.locator('[data-end="links[24].b"] select[data-part="device"]').selectOption('server-A');
    const problem = page.locator('[data-problems="links[24].b"]');
    await expect.poll(() => problem.count(), { timeout: 10_000 }).toBe(1);
    expect(await problem.innerText()).toBe('port server-A:0 is already wired at links[6].a');
    expect(await state.innerText()).toBe('1 problem');
    expect(await page.locator('[data-save]').isDisabled()).toBe(true);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'site-problem-light', false);

    await page.locator('button[data-reveal="links[24].b"]').click();
    expect(await inPage<string>(page, 'document.activeElement.closest("[data-end]").dataset.end')).toBe('links[24].b');
    await row.locator('[data-end="links[24].b"] select[data-part="device"]').selectOption('switch-1');
    expect(await row.locator('[data-end="links[24].b"] select[data-part="port"]').inputValue()).toBe('5');
    await expect.poll(() => state.innerText(), { timeout: 10_000 }).toBe('No problems');
    expect(await problem.count()).toBe(0);

    await page.locator('[data-save]').click();
    await expect.poll(() => page.locator('[data-save-state]').innerText(), { timeout: 15_000 }).toBe('Saved; Demo site was reopened with it');
    const written = JSON.parse(fs.readFileSync(path.join(demoDir, 'site.json'), 'utf8')) as { devices: { id: string; kind: string }[]; links: unknown[] };
    expect(written.devices.find((d) => d.id === 'switch-5')).toEqual({ kind: 'switch', id: 'switch-5', name: 'FC switch 5', ports: 8 });
    expect(written.links.at(-1)).toEqual({ a: 'switch-5:0', b: 'switch-1:5' });

    await go(page, '#/san', 'SAN');
    await expect.poll(() => page.locator('.san-graph .node').count(), { timeout: 20_000 }).toBe(16);
    expect(await page.locator('.san-graph .node[aria-label*="(switch-5)"]').count()).toBe(1);

    // Dark: the Site view, with a problem shown.
    const dark = await open('dark', undefined, '#/site');
    await expect.poll(() => dark.page.locator('[data-check-state]').innerText(), { timeout: 15_000 }).toBe('No problems');
    await dark.page.locator('input[data-path="devices[3].ports"]').fill('0');
    await expect.poll(() => dark.page.locator('[data-problems="devices[3].ports"]').count(), { timeout: 10_000 }).toBe(1);
    await readable(dark.page, 'site view dark');
    await screenshot(dark.page, 'site-view-dark');
    await dark.page.locator('[data-discard]').click();
    await expect.poll(() => dark.page.locator('[data-save-state]').innerText()).toBe('No unsaved changes');
    expect(dark.errors).toEqual([]);
    await dark.context.close();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks before leaving the Site view with unsaved changes', async () => {
    const { page, errors, context } = await open('light', undefined, '#/site');
    await expect.poll(() => page.locator('[data-check-state]').innerText(), { timeout: 15_000 }).toBe('No problems');
    await page.locator('input[data-path="name"]').fill('Main site');
    await page.locator('a[data-view="jobs"]').click();
    const dialog = page.locator('[data-leave-dialog]');
    await dialog.waitFor();
    expect(await page.locator('#main h1').first().innerText()).toBe('Site');
    expect(await inPage<string>(page, 'window.location.hash')).toBe('#/site');
    await screenshot(page, 'site-leave-light', false);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator('input[data-path="name"]').inputValue()).toBe('Main site');
    await page.locator('a[data-view="jobs"]').click();
    await dialog.locator('[data-discard-leave]').click();
    await expect.poll(() => page.locator('#main h1').first().innerText()).toBe('Jobs');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates an empty site in a new folder and switches to it, then opens the demo site again', async () => {
    const { page, errors, context } = await open('light', undefined, '#/site');
    await expect.poll(() => page.locator('[data-check-state]').innerText(), { timeout: 15_000 }).toBe('No problems');
    const emptyDir = path.join(app.dir, 'branch');
    await page.locator('#site-create-dir').fill(emptyDir);
    await page.locator('[data-create-name]').fill('Branch office');
    await page.locator('form[data-create-site] button[type=submit]').click();
    await expect.poll(() => page.locator('[data-site-dir]').innerText(), { timeout: 20_000 }).toBe(emptyDir);
    expect(await page.locator('header.top').innerText()).toContain('Branch office');
    expect(await page.locator('footer.status-bar').innerText()).toContain('Branch office');
    expect(await page.locator('[data-switched]').innerText()).toContain(`Created Branch office in ${emptyDir}; it is open now.`);
    await expect.poll(() => page.locator('[data-check-state]').innerText(), { timeout: 15_000 }).toBe('No problems');
    expect(await page.locator('.device').count()).toBe(0);
    expect(fs.existsSync(path.join(emptyDir, 'site.json'))).toBe(true);
    // Nothing of the demo site is left on screen elsewhere: the Inventory has no libraries.
    await go(page, '#/inventory', 'Inventory');
    await page.locator('#main .empty').first().waitFor();
    expect(await page.locator('section.library').count()).toBe(0);
    await go(page, '#/site', 'Site');
    await readable(page, 'empty site');
    await screenshot(page, 'site-empty-light');

    await page.locator('#site-open-dir').fill(demoDir);
    await page.locator('form[data-open-site] button[type=submit]').click();
    await expect.poll(() => page.locator('[data-site-dir]').innerText(), { timeout: 20_000 }).toBe(demoDir);
    expect(await page.locator('header.top').innerText()).toContain('Demo site');
    await expect.poll(() => page.locator('.device').count(), { timeout: 15_000 }).toBe(16);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens at the last view when opened again, unless the address names one', async () => {
    const { page, errors, context } = await open('light');
    await go(page, '#/inventory', 'Inventory');
    await page.close();
    const again = await open('light', context);
    await expect.poll(() => again.page.locator('#main h1').first().innerText(), { timeout: 15_000 }).toBe('Inventory');
    expect(await inPage<string>(again.page, 'window.location.hash')).toBe('#/inventory');
    await again.page.close();
    const addressed = await open('light', context, '#/log');
    await expect.poll(() => addressed.page.locator('#main h1').first().innerText(), { timeout: 15_000 }).toBe('Event log');
    expect([...errors, ...again.errors, ...addressed.errors]).toEqual([]);
    await context.close();
    expect(app.stderr).not.toMatch(/Error/);
  });
});
