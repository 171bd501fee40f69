// The browser host end to end: `mpbackup serve` on a demo site, the built renderer opened in
// Chromium at the address it prints. The page reaches the engine over the WebSocket with its
// token (the devices of the site appear, the token leaves the address bar); without the token,
// or with a wrong one, the page says why in words instead of staying blank.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, initSite } from '../../engine';
import type { SiteView } from '../../engine/contract';
import { ARTIFACTS, useConsole } from './console';

describe('the UI over mpbackup serve', () => {
  let view: SiteView;

  const app = useConsole('mpb-e2e-serve-', async (dir) => {
    const site = path.join(dir, 'site');
    await initSite(site, { demo: true, demoSize: 256 * 1024 });
    const engine = await Engine.open(site);
    try {
      engine.setState('library-B', 'unavailable');
      view = JSON.parse(JSON.stringify(engine.describe())) as SiteView;
    } finally {
      engine.close();
    }
    return site;
  });

  it('loads the page, reaches the engine over the WebSocket with the token, and shows the site', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1000, height: 1300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(app.url);
    await page.locator('footer.status-bar').waitFor();
    expect(await page.locator('header.top').innerText()).toContain(view.name);
    // The inventory lists every device (libraries as panels with their tapes), states in words.
    await page.locator('a[data-view=inventory]').click();
    await expect.poll(() => page.locator('section[data-library], tr[data-device]').count(), { timeout: 10_000 }).toBe(view.devices.length);
    expect((await page.locator('section[data-library="library-B"] header .badge').innerText()).trim()).toMatch(/Unavailable/);
    // The token is gone from the address bar once the page has it.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    expect(await page.evaluate('typeof window.backupApi')).toBe('undefined');
    expect(errors).toEqual([]);
    expect(app.stderr).toBe('');

    await page.screenshot({ path: path.join(ARTIFACTS, 'serve.png'), fullPage: true });
  });

  it('without the token, says how to reach the engine instead of a blank page', async () => {
    const page = await app.browser.newPage();
    await page.goto(new URL('/', app.url).href);
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toMatch(/^The engine is not connected: .*mpbackup serve.*token/);
    expect(await page.locator('header').innerText()).toContain('Multipath Backup Manager');
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve-no-token.png') });
  });

  it('with a wrong token, says it could not connect, and the server refused it', async () => {
    const page = await app.browser.newPage();
    await page.goto(new URL('/?token=wrong', app.url).href);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Could not read the site: could not connect to the engine at ws:\/\/127\.0\.0\.1:\d+\/api /);
    expect(await page.getByRole('alert').textContent()).not.toContain('wrong');
    await expect.poll(() => app.stderr).toContain('refused a connection (401): wrong token');
  });
});
