// The operator console end to end: what the browser tests (and the docs' screenshots) share to
// drive the built renderer over `mpbackup serve` — the check that it is built, serve started on a
// site and stopped, a page loaded with its errors collected, a view reached by its route, a
// screenshot as tall as the view, and the demo site with history that several tests look at.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { Engine, initSite } from '../../engine';
import { ROOT, waitForExit, waitForLine } from '../helpers/child';
import { launchChromium } from './browser';

export const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts');
const KiB = 1024;
const MiB = 1024 * KiB;

/** Throws unless the renderer is built (out/renderer), saying how to build it. */
export function requireRenderer(how = 'run "npm run build" first (npm run test:e2e does)'): void {
  if (!fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) throw new Error(`out/renderer is missing: ${how}`);
}

/** A running `mpbackup serve`: its address with the token, what it wrote to stderr so far, and a way to stop it. */
export interface Served {
  readonly url: string;
  readonly stderr: string;
  /** SIGTERM, up to 10 s to exit, then SIGKILL. */
  stop(): Promise<void>;
}

/** Starts `mpbackup serve --port 0` on `site`; resolves once it prints its address. */
export async function startServe(site: string): Promise<Served> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/mpbackup'), 'serve', '--port', '0', '--site', site], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const [, url] = (await waitForLine(child, /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/)) as unknown as [string, string];
  return {
    url,
    get stderr() {
      return stderr;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([waitForExit(child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The console of a describe block: a temporary folder, serve on a site in it, and Chromium. */
export interface ServedConsole {
  /** The temporary folder (removed at the end). */
  readonly dir: string;
  readonly browser: Browser;
  readonly url: string;
  /** What serve wrote to stderr so far. */
  readonly stderr: string;
  /** Stops serve (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Loads the console in `page` at `hash`, once its status bar is drawn; its page errors and console errors and warnings collect in what it resolves with. */
  load(page: Page, hash?: string): Promise<string[]>;
}

/**
 * Before the block's tests: checks the build, makes the artifacts folder and a temporary one,
 * lets `prepare` make a site in the latter (it returns the site's folder), starts serve on it and
 * launches Chromium. After them: closes the browser, stops serve and removes the folder.
 */
export function useConsole(prefix: string, prepare: (dir: string) => Promise<string>): ServedConsole {
  let dir = '';
  let browser: Browser | undefined;
  let served: Served | undefined;
  beforeAll(async () => {
    requireRenderer();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    served = await startServe(await prepare(dir));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get browser() {
      return browser!;
    },
    get url() {
      return served!.url;
    },
    get stderr() {
      return served!.stderr;
    },
    stop: () => served!.stop(),
    async load(page, hash = '') {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(`${m.type()}: ${m.text()}`));
      await page.goto(`${served!.url}${hash}`);
      await page.locator('footer.status-bar').waitFor();
      return errors;
    },
  };
}

/** What an expression gives in the page (as text: the tests are checked as Node code, without the DOM's types). */
export function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Goes to a route of the console. */
export async function go(page: Page, hash: string): Promise<void> {
  await inPage(page, `window.location.hash = ${JSON.stringify(hash)}`);
}

/**
 * test/e2e/artifacts/`name`.png. `whole`: the whole view from its top, with the status bar at its
 * foot — the window made as tall as the page (in a few steps where a view's height follows the
 * window's, as the restore tree's does), then given back its size.
 */
export async function screenshot(page: Page, name: string, whole = true): Promise<void> {
  const viewport = page.viewportSize()!;
  if (whole) {
    await inPage(page, 'window.scrollTo(0, 0)');
    let height = viewport.height;
    for (let i = 0; i < 4; i++) {
      const needed = await inPage<number>(page, 'document.documentElement.scrollHeight');
      if (needed <= height) break;
      height = needed;
      await page.setViewportSize({ width: viewport.width, height });
    }
  }
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** The jobs of the history site that views are checked on. */
export interface History {
  failoverJob: number;
  degradedJob: number;
}

/**
 * A demo site with history: a mirrored backup of /pictures, a failover backup of /movies whose
 * copy device crashed at chunk 3 (it succeeds), a mirrored backup of X: whose backup server
 * crashed at chunk 2 (it ends degraded); and server-C out of service.
 */
export async function makeHistorySite(dir: string): Promise<History> {
  await initSite(dir, { demo: true, demoSize: 8 * MiB });
  const engine = await Engine.open(dir);
  try {
    await engine.backup({ target: '/pictures', mode: 'mirrored' });
    const copy = engine.plan({ mover: 'copy-device' }).streams[0]!.mover;
    const failover = await engine.backup({ target: '/movies', mode: 'failover', chunkSize: 256 * KiB, faults: [{ device: copy, kind: 'crash', at: { chunk: 3 } }] });
    const server = engine.plan({ mover: 'backup-server' }).streams[0]!.mover;
    const degraded = await engine.backup({ target: 'X:', mode: 'mirrored', chunkSize: 256 * KiB, faults: [{ device: server, kind: 'crash', at: { chunk: 2 } }] });
    expect(failover.job.state).toBe('succeeded');
    expect(degraded.job.state).toBe('succeeded-degraded');
    engine.setState('server-C', 'unavailable');
    return { failoverJob: failover.job.id, degradedJob: degraded.job.id };
  } finally {
    engine.close();
  }
}
