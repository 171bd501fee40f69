// UI benchmark: the built renderer (out/renderer, rebuilt when stale) in headless Chromium, served
// over a local HTTP server with a fake `window.backupApi` answering for a 1,000-device core-edge
// site. Each measurement runs several times, each time in a fresh browser context (cold cache,
// app opened at its first view); its figures are the medians, one JSON line each.
//   node --import tsx test/bench/ui.bench.ts      (npm run bench -- ui)
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import { median, report } from './report';
import { builtRenderer } from './ui/build';
import { calendarMeasurement } from './ui/calendar';
import { installFakeApi, type ExtraAnswers } from './ui/fakeApi';
import { RUNS, type Measurement } from './ui/measurement';
import { restoreTreeMeasurement } from './ui/restoreTree';
import { openSanView, pan, zoomToOne } from './ui/san';
import { serveStatic } from './ui/server';
import { benchSite, type UiSite } from './ui/site';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VIEWPORT = { width: 1600, height: 1000 };

const MEASUREMENTS: Measurement[] = [
  {
    figures: [
      { metric: 'san_first_render_ms', unit: 'ms' },
      { metric: 'san_pan_fps', unit: 'fps' },
      { metric: 'san_pan_frame_p95_ms', unit: 'ms' },
      { metric: 'san_pan_zoomed_fps', unit: 'fps' },
      { metric: 'san_pan_zoomed_frame_p95_ms', unit: 'ms' },
    ],
    runs: RUNS,
    async run(page) {
      const firstRender = await openSanView(page);
      await page.waitForTimeout(300);
      const fitted = await pan(page);
      await zoomToOne(page);
      const zoomed = await pan(page);
      return {
        san_first_render_ms: firstRender,
        san_pan_fps: fitted.fps,
        san_pan_frame_p95_ms: fitted.frameP95Ms,
        san_pan_zoomed_fps: zoomed.fps,
        san_pan_zoomed_frame_p95_ms: zoomed.frameP95Ms,
      };
    },
  },
  calendarMeasurement,
  restoreTreeMeasurement,
];

/** A fresh page on the app, its first view shown with the site read. */
async function openApp(browser: Browser, url: string, site: UiSite, extra: ExtraAnswers): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await installFakeApi(page, site, extra);
  await page.goto(url);
  await page.getByText(site.site.name).first().waitFor({ timeout: 30_000 });
  return {
    page,
    close: async () => {
      await context.close();
      if (errors.length > 0) throw new Error(`ui bench: the page reported errors: ${errors.join('; ')}`);
    },
  };
}

async function main(): Promise<void> {
  const site = benchSite();
  const server = await serveStatic(builtRenderer(ROOT));
  const browser = await launchChromium();
  try {
    for (const measurement of MEASUREMENTS) {
      const results: Record<string, number>[] = [];
      const extra = measurement.answers?.() ?? {};
      for (let i = 0; i < measurement.runs; i++) {
        const { page, close } = await openApp(browser, server.url, site, extra);
        try {
          results.push(await measurement.run(page));
        } finally {
          await close();
        }
        process.stderr.write(`ui bench: run ${i + 1}: ${JSON.stringify(results[i], (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`);
      }
      for (const { metric, unit } of measurement.figures) report('ui', metric, median(results.map((r) => r[metric]!)), unit);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
