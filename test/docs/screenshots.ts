// `npm run docs:screenshots`: the pictures of docs/operator-guide.md, taken from the built
// console (npm run build first) over `mpbackup serve` on a demo site with some history (backups,
// one failed over, one ended degraded, a restore): the first-run guide, then each view with the
// guide dismissed, the Site view, and the Overview in Japanese. Writes docs/images/*.png; run it
// again when the console changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Engine, initSite } from '../../engine';
import { launchChromium } from '../e2e/browser';
import { go, requireRenderer, startServe } from '../e2e/console';
import { ROOT } from '../helpers/child';

const IMAGES = path.join(ROOT, 'docs/images');
const VIEWPORT = { width: 1400, height: 900 };
const KiB = 1024;

/** A demo site with history: the ids of the jobs the pictures show. */
async function makeSite(dir: string): Promise<{ degradedJob: number }> {
  await initSite(dir, { demo: true, demoSize: 8 * 2 ** 20 });
  const engine = await Engine.open(dir);
  try {
    await engine.backup({ target: '/pictures', mode: 'mirrored' });
    const copy = engine.plan({ mover: 'copy-device' }).streams[0]!.mover;
    await engine.backup({ target: '/movies', mode: 'failover', chunkSize: 256 * KiB, faults: [{ device: copy, kind: 'crash', at: { chunk: 3 } }] });
    const server = engine.plan({ mover: 'backup-server' }).streams[0]!.mover;
    const degraded = await engine.backup({ target: 'X:', mode: 'mirrored', chunkSize: 256 * KiB, faults: [{ device: server, kind: 'crash', at: { chunk: 2 } }] });
    const backup = engine.catalogBackups('/pictures')[0]!;
    await engine.restore({ backupId: backup.id, destination: path.join(dir, '..', 'restored') });
    return { degradedJob: degraded.job.id };
  } finally {
    engine.close();
  }
}

async function shoot(page: Page, name: string, ready: string): Promise<void> {
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(IMAGES, `${name}.png`) });
  process.stdout.write(`docs/images/${name}.png\n`);
}

async function main(): Promise<void> {
  requireRenderer('run "npm run build" first');
  fs.mkdirSync(IMAGES, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-docs-'));
  const site = path.join(dir, 'site');
  const { degradedJob } = await makeSite(site);
  const served = await startServe(site);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
    await page.goto(served.url);
    await page.locator('footer.status-bar').waitFor();
    await go(page, '#/overview');
    await shoot(page, 'first-run', '[data-guide] [data-step="restore"]');
    await page.locator('[data-guide-dismiss]').click();
    await shoot(page, 'overview', '[data-mode="failover"] .count');
    await go(page, '#/site');
    await shoot(page, 'site', '[data-device-index]');
    await go(page, '#/schedule/week');
    await shoot(page, 'schedule-week', '.time-grid, [data-view-mode="week"]');
    await go(page, '#/san');
    await page.locator('[data-test=target]').selectOption('X:');
    await shoot(page, 'san-plan', '.route.planned');
    await go(page, `#/jobs/${degradedJob}`);
    await shoot(page, 'job-degraded', '.chunk-map .segment');
    // The restore browser with a basket of a file and a folder, and its plan (the failover backup of /movies: two tapes).
    await go(page, '#/restore/%2Fmovies');
    await page.locator('tr[data-backup]').first().locator('[data-toggle]').click();
    const entries = page.locator('tr[data-path]');
    await entries.first().waitFor();
    const paths = await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')!));
    for (const entry of paths.slice(0, 2)) {
      await page.locator(`tr[data-path="${entry}"]`).click();
      await page.keyboard.press('Enter');
    }
    await page.locator('[data-destination]').fill('/srv/restore/movies');
    await page.locator('[data-check-plan]').click();
    await page.setViewportSize({ width: VIEWPORT.width, height: 1320 });
    await shoot(page, 'restore-plan', 'table.tape-order tbody tr');
    // The Overview on a Japanese workstation (the guide dismissed there too).
    const ja = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light', locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    await ja.goto(served.url);
    await ja.locator('footer.status-bar').waitFor();
    await ja.locator('[data-guide-dismiss]').click();
    await shoot(ja, 'overview-ja', '[data-mode="failover"] .count');
  } finally {
    await browser.close();
    await served.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
