// The built renderer over the desktop's transport: served as plain files (as Electron loads
// out/renderer), with a `window.backupApi` shaped as the preload's (one function per method,
// errors as "[code] message") that reaches a real engine through Playwright. The inventory shows
// every device with its state as a word and a mark (never colour alone) and the job and stream
// that hold it; an engine's refusal reaches the page as a readable message.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, initSite } from '../../engine';
import { METHOD_NAMES, type SiteView } from '../../engine/contract';
import { dispatch, engineHandlers } from '../../engine/service';
import { ROOT } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';
import { launchChromium } from './browser';
import { ARTIFACTS, requireRenderer } from './console';

const RENDERER = path.join(ROOT, 'out/renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, req.url === '/' ? 'index.html' : decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('inventory in the browser', () => {
  const tempDir = useTempDirs('mpb-e2e-');
  let browser: Browser;
  let server: http.Server;

  beforeAll(async () => {
    requireRenderer();
    server = await serve(RENDERER);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('shows states, marks and holders as the engine describes them', async () => {
    const dir = tempDir();
    await initSite(dir, { demo: true, demoSize: 256 * 1024 });
    const engine = await Engine.open(dir);
    try {
      engine.setState('library-B', 'unavailable');
      const job = engine.catalog.jobs.create({ kind: 'backup', target: '/movies', mode: 'mirrored', streams: 2, createdAt: engine.now() });
      engine.reserve(job.id, { streams: 2 });
      const view: SiteView = engine.describe();

      const page = await browser.newPage({ viewport: { width: 1200, height: 1300 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const handlers = engineHandlers(engine);
      await page.exposeFunction('mpbEngine', (method: string, input: unknown) => dispatch(handlers, method, input));
      await page.addInitScript(`{
        const api = {};
        for (const name of ${JSON.stringify(METHOD_NAMES)}) {
          api[name] = async (input) => {
            const reply = await window.mpbEngine(name, input);
            if (reply.ok) return reply.value;
            throw new Error('[' + reply.error.code + '] ' + reply.error.message);
          };
        }
        api.on = () => () => {};
        window.backupApi = api;
      }`);
      const { port } = server.address() as { port: number };
      await page.goto(`http://127.0.0.1:${port}/#/inventory`);
      await expect.poll(() => page.locator('section[data-library], tr[data-device]').count(), { timeout: 20_000 }).toBe(view.devices.length);

      for (const device of view.devices.filter((d) => d.kind !== 'library')) {
        const row = (await page.locator(`tr[data-device="${device.id}"]`).innerText()).replace(/\s+/g, ' ');
        expect(row).toMatch({ available: /✓|Available/, 'in-use': /In use/, unavailable: /Unavailable/ }[device.state]);
        if (device.holder) expect(row).toContain(`job ${device.holder.jobId}, stream ${device.holder.stream}`);
      }
      expect(await page.locator('section[data-library="library-B"] header .badge').innerText()).toMatch(/Unavailable/);
      expect(await page.locator('header.top').innerText()).toContain('Demo site');

      // A refusal of the engine comes back as a readable message, with its code stripped.
      await page.locator('tr[data-device="server-A"] button').first().click();
      await expect.poll(() => page.locator('[role=alert]').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^Could not mark server-A unavailable: server-A is in use by job 1 stream \d; change its state when the job has released it/)]));
      expect(errors).toEqual([]);

      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'inventory.png'), fullPage: true });
      await page.close();
    } finally {
      engine.close();
    }
  });

  it('says so plainly when no engine is connected', async () => {
    const page = await browser.newPage();
    const { port } = server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The engine is not connected');
  });
});
