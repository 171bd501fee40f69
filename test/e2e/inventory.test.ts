// The built renderer shows a real site's inventory: every device with its state as a word and
// a mark (never colour alone) and the job and stream that hold it. The page is served from
// out/renderer; `window.backupApi` answers with what the engine describes.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, initSite } from '../../engine';
import type { SiteView } from '../../engine/contract';
import { ROOT } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';
import { launchChromium } from './browser';

const RENDERER = path.join(ROOT, 'out/renderer');
const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts');
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
    if (!fs.existsSync(path.join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run "npm run build" first (npm run test:e2e does)');
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
    let view: SiteView;
    try {
      engine.setState('library-B', 'unavailable');
      const job = engine.catalog.jobs.create({ kind: 'backup', target: '/movies', mode: 'mirrored', streams: 2, createdAt: engine.now() });
      engine.reserve(job.id, { streams: 2 });
      view = engine.describe();
    } finally {
      engine.close();
    }

    const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(`window.backupApi = { describeSite: async () => (${JSON.stringify(view)}) };`);
    const { port } = server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('heading', { name: 'Tape libraries' }).waitFor();

    const rows = (await page.locator('tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(rows).toHaveLength(view.devices.length);
    for (const device of view.devices) {
      const row = rows.find((r) => r.startsWith(`${device.id} `))!;
      expect(row).toContain(device.state);
      if (device.holder) expect(row).toContain(`job ${device.holder.jobId}, stream ${device.holder.stream}`);
    }
    expect(rows.find((r) => r.startsWith('library-B '))).toContain('✕ unavailable');
    expect(rows.filter((r) => r.includes('◐ in-use')).length).toBe(view.devices.filter((d) => d.state === 'in-use').length);
    expect(await page.locator('header').innerText()).toContain('Demo site');
    expect(errors).toEqual([]);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'inventory.png'), fullPage: true });
  });

  it('says so plainly when no engine is connected', async () => {
    const page = await browser.newPage();
    const { port } = server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The engine is not connected');
  });
});
