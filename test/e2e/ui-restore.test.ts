// The restore browser end to end: the built console over `mpbackup serve` on a demo site holding
// a failover backup of /pictures whose copy device crashed at chunk 3, so the backup spans two
// tapes. Two files and a folder go into the basket by drag and drop (Ctrl-click to select
// several) in the light theme, and by keyboard and the context menu in the dark one; a
// destination is typed, the plan shows the two tapes and the fragment map, the restore runs to
// its report, and the restored bytes equal the source's. Screenshots of the tree, the basket,
// the plan and the report in both themes land in test/e2e/artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Engine, initSite } from '../../engine';
import { ARTIFACTS, go, inPage, screenshot, useConsole } from './console';

const WIDTH = 1400;
const MiB = 2 ** 20;
/** What goes into the basket: two files and a folder, from both tapes of the backup. */
const FILE_EARLY = '2024/01/IMG_0012.jpg';
const FILE_LATE = 'empty.txt';
const FOLDER = 'trips';

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

describe('the restore browser in Chromium', () => {
  let site: string;
  let tapes: string[] = [];

  const app = useConsole('mpb-e2e-restore-', async (dir) => {
    site = path.join(dir, 'site');
    await initSite(site, { demo: true, demoSize: 8 * MiB });
    const engine = await Engine.open(site);
    try {
      const copy = engine.plan({ mover: 'copy-device' }).streams[0]!.mover;
      const backup = await engine.backup({ target: '/pictures', mode: 'failover', chunkSize: 256 * 1024, faults: [{ device: copy, kind: 'crash', at: { chunk: 3 } }] });
      expect(backup.job.state).toBe('succeeded');
      tapes = [...new Set(backup.fragments.map((f) => f.tape))];
      expect(tapes).toHaveLength(2);
    } finally {
      engine.close();
    }
    return site;
  });

  async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
    const page = await app.browser.newPage({ viewport: { width: WIDTH, height: 900 }, colorScheme });
    const errors = await app.load(page);
    await go(page, '#/restore/%2Fpictures');
    await page.locator('tr[data-backup="1"]').waitFor({ timeout: 15_000 });
    return { page, errors };
  }

  const row = (page: Page, entry: string) => page.locator(`tr[data-path="${entry}"]`);

  async function openFolders(page: Page): Promise<void> {
    await page.locator('tr[data-backup="1"] [data-toggle]').click();
    for (const folder of ['2024', '2024/01']) {
      await row(page, folder).waitFor();
      await row(page, folder).locator('[data-toggle]').click();
    }
    await row(page, FILE_EARLY).waitFor();
  }

  /** Plans, runs and checks a restore of the basket into `destination`; screenshots on the way. */
  async function planAndRun(page: Page, destination: string, scheme: string): Promise<void> {
    await page.locator('[data-destination]').fill(destination);
    await screenshot(page, `ui-restore-basket-${scheme}`);
    await page.locator('[data-check-plan]').click();
    const order = page.locator('table.tape-order tbody tr');
    await expect.poll(() => order.count(), { timeout: 15_000 }).toBe(2);
    expect((await order.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tape')))).sort()).toEqual([...tapes].sort());
    // The fragment map: a run read from each tape, and an entry bar per basket entry.
    expect(await page.locator('svg.fragment-svg rect.cell.first').count()).toBe(2);
    expect((await page.locator('svg.fragment-svg g.item').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-path')))).sort()).toEqual([FILE_EARLY, FILE_LATE, FOLDER].sort());
    await page.locator('[data-plan] .fragment-map').screenshot({ path: path.join(ARTIFACTS, `ui-restore-map-${scheme}.png`) });
    await screenshot(page, `ui-restore-plan-${scheme}`);

    await page.locator('[data-run]').click();
    const report = page.locator('[data-report]');
    await report.waitFor({ timeout: 45_000 });
    expect(await page.locator('[data-restore-job] .badge').first().innerText()).toBe('Succeeded');
    expect(await report.locator('[data-count="failed"]').innerText()).toBe('Failed 0');
    expect(await report.innerText()).toMatch(new RegExp(`Tapes read: (${tapes[0]} → ${tapes[1]}|${tapes[1]} → ${tapes[0]})`));
    await screenshot(page, `ui-restore-report-${scheme}`);

    // The restored bytes are the source's.
    const source = path.join(site, 'storage/pictures');
    for (const file of [FILE_EARLY, FILE_LATE]) expect(fs.readFileSync(path.join(destination, file)).equals(fs.readFileSync(path.join(source, file))), file).toBe(true);
    const folderFiles = filesUnder(path.join(source, FOLDER));
    expect(folderFiles.length).toBeGreaterThan(1);
    expect(filesUnder(path.join(destination, FOLDER))).toEqual(folderFiles);
    for (const file of folderFiles) expect(fs.readFileSync(path.join(destination, FOLDER, file)).equals(fs.readFileSync(path.join(source, FOLDER, file))), file).toBe(true);
    expect(filesUnder(destination)).toEqual([FILE_EARLY, FILE_LATE, ...folderFiles.map((f) => path.join(FOLDER, f))].sort());
  }

  it('restores two files and a folder dragged into the basket, from both tapes, byte for byte', async () => {
    const { page, errors } = await open('light');
    await openFolders(page);
    await screenshot(page, 'ui-restore-tree-light');
    // Select three entries with Ctrl-click and drag them together.
    await row(page, FILE_EARLY).click();
    await row(page, FILE_LATE).click({ modifiers: ['Control'] });
    await row(page, FOLDER).click({ modifiers: ['Control'] });
    expect(await page.locator('tr[aria-selected="true"]').count()).toBe(3);
    await row(page, FOLDER).dragTo(page.locator('[data-basket]'));
    const items = page.locator('[data-basket] li[data-item]');
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.evaluateAll((li) => li.map((l) => l.getAttribute('data-item')))).toEqual([FILE_EARLY, FILE_LATE, FOLDER]);
    await planAndRun(page, path.join(app.dir, 'restored-light'), 'light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('does the same by keyboard and the context menu, in the dark theme', async () => {
    const { page, errors } = await open('dark');
    await openFolders(page);
    await screenshot(page, 'ui-restore-tree-dark');
    // The focused row is outlined; Space adds it.
    await row(page, FILE_EARLY).click();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    expect(await inPage(page, 'getComputedStyle(document.querySelector("tr.active")).outlineStyle')).toBe('solid');
    // The context menu on another file, from the keyboard, and on the folder by right click.
    await row(page, FILE_LATE).click();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Add to restore' }).press('Enter');
    await row(page, FOLDER).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Add to restore' }).click();
    const items = page.locator('[data-basket] li[data-item]');
    await expect.poll(() => items.count()).toBe(3);
    await planAndRun(page, path.join(app.dir, 'restored-dark'), 'dark');
    expect(errors).toEqual([]);
    await page.close();
    expect(app.stderr).toBe('');
  });
});
