// Issue 6 end to end, in Chromium over `mpbackup serve` on a demo site: the operator opens the
// SAN view, chooses the paths of a mirrored backup by clicking (stream 0 pinned to server-A,
// stream 1 to server-B), runs it with that plan, sees its two streams drawn in two colours,
// injects a crash into stream 0's backup server from the device panel, and sees the job end
// degraded with stream 1 complete: the engine agrees, and the backup's one complete copy is on
// stream 1's tape. Screenshots of each step in both themes go to test/e2e/artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Engine, initSite } from '../../engine';
import { ARTIFACTS, useConsole } from './console';

/** A demo site whose two first backup servers write slowly (a drill in site.json), so the job runs long enough to be watched and hit. */
async function makeSite(dir: string): Promise<void> {
  await initSite(dir, { demo: true, demoSize: 8 * 2 ** 20 });
  const file = path.join(dir, 'site.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Stream 0's server crawls (its one chunk takes half a minute), stream 1's is merely slow.
  config.faults = ['server-A:slow@chunk=0,rate=64KiB', 'server-B:slow@chunk=0,rate=512KiB'];
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

describe('choosing paths on the SAN graph, and a crash watched there', () => {
  const app = useConsole('mpb-e2e-san-', async (dir) => {
    const site = path.join(dir, 'site');
    await makeSite(site);
    return site;
  });

  const node = (page: Page, id: string) => page.locator(`.san-graph .node[aria-label*="(${id})"]`);

  async function shoot(page: Page, name: string): Promise<void> {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(ARTIFACTS, `e2e-san-${name}-${theme}.png`) });
    }
  }

  it('pins both streams by clicking, runs the plan, draws two coloured paths, and ends degraded after a crash in stream 0', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(app.url);
      await page.locator('a[data-view=san]').click();
      await expect.poll(() => page.locator('.san-graph .node').count(), { timeout: 20_000 }).toBe(15);

      // The plan: X:, mirrored, two streams; stream 0 pinned to server-A, stream 1 to server-B, by clicking on the graph.
      await page.locator('[data-test=target]').selectOption('X:');
      await page.locator('label:has(input[name=san-tool][value=pin])').click();
      await page.locator('[data-test=tool-stream]').selectOption('0');
      await node(page, 'server-A').click();
      await page.locator('[data-test=tool-stream]').selectOption('1');
      await node(page, 'server-B').click();
      await expect.poll(() => page.locator('.route.planned').count(), { timeout: 10_000 }).toBe(2);
      await shoot(page, 'plan');

      await page.locator('[data-test=run]').click();
      const live = page.locator('.route.live');
      await expect.poll(() => live.count(), { timeout: 20_000 }).toBe(2);
      const keys = await live.evaluateAll((paths) => paths.map((p) => p.getAttribute('data-route')!));
      const jobId = Number(/^job-(\d+)-/.exec(keys[0]!)![1]);
      expect(keys.sort()).toEqual([`job-${jobId}-0`, `job-${jobId}-1`]);
      // Two streams, two colours.
      const colours = await live.evaluateAll((paths) => paths.map((p) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(p).stroke));
      expect(new Set(colours).size).toBe(2);
      await expect.poll(() => page.locator('.san-stream-running').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await shoot(page, 'running');

      // A crash injected into stream 0's server from its details panel.
      await page.locator('label:has(input[name=san-tool][value=details])').click();
      await node(page, 'server-A').click();
      await page.locator('.san-fault select').selectOption('crash');
      await page.locator('.san-fault button').click();
      await expect.poll(() => page.locator('.san-message').innerText(), { timeout: 10_000 }).toBe(`The fault reached job ${jobId} (stream 0).`);
      await expect.poll(() => page.locator('.route.failed').count(), { timeout: 20_000 }).toBe(1);

      // The job ends degraded: stream 0 failed, stream 1 complete.
      const job = page.locator('.san-job', { hasText: `Job ${jobId}` });
      await expect.poll(() => job.innerText(), { timeout: 60_000 }).toMatch(/Degraded/);
      expect(await job.locator('.san-stream-failed').count()).toBe(1);
      expect(await job.locator('.san-stream-completed').count()).toBe(1);
      await shoot(page, 'degraded');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }

    // The engine says the same: degraded, stream 0 on server-A failed (crashed), stream 1 on server-B completed its copy.
    await app.stop();
    const engine = await Engine.open(path.join(app.dir, 'site'));
    try {
      const [job] = engine.jobs();
      const result = engine.backupResult(job!.id);
      expect(result.job.state).toBe('succeeded-degraded');
      expect(result.streams.map((s) => [s.stream, s.mover, s.status])).toEqual([
        [0, 'server-A', 'failed'],
        [1, 'server-B', 'completed'],
      ]);
      expect(result.backup!.copies).toEqual([
        { copy: 0, state: 'failed' },
        { copy: 1, state: 'complete' },
      ]);
      expect(engine.jobLog(job!.id).some((e) => /the operator injected crash into server-A/.test(e.message))).toBe(true);
    } finally {
      engine.close();
    }
    expect(app.stderr).toBe('');
  });
});
