// The SAN graph's measurements in the built UI: first render (from the click on the SAN entry of
// the navigation to the frame after every node is drawn, by the page's performance marks) and
// the frame rate while panning, once at the fitted view the operator first sees and once zoomed
// in to about 1:1 (every label shown). Panning drags the graph with the mouse, through d3-zoom's
// own handlers, a step every frame, for a few seconds; frames are counted with
// requestAnimationFrame.
import type { Page } from 'playwright-core';
import type { PageGlobals } from './page';
import { SITE_DEVICES } from './site';

const PAN_MS = 3000;

/** Opens the SAN view from the navigation; answers the first render in ms. */
export async function openSanView(page: Page): Promise<number> {
  await page.locator('a[data-view="san"]').click();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('san-graph-drawn').length > 0, null, { timeout: 60_000 });
  const nodes = await page.locator('.san-graph .node').count();
  if (nodes !== SITE_DEVICES) throw new Error(`ui bench: the SAN graph drew ${nodes} nodes, not ${SITE_DEVICES}`);
  return page.evaluate(() => {
    const { performance } = globalThis as unknown as PageGlobals;
    return performance.getEntriesByName('san-graph-drawn')[0]!.startTime - performance.getEntriesByName('bench-nav-san')[0]!.startTime;
  });
}

/** The graph's zoom scale, from its viewport's transform. */
export async function graphScale(page: Page): Promise<number> {
  const transform = (await page.locator('.san-graph .viewport').getAttribute('transform')) ?? '';
  return Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1] ?? 1);
}

/** Zooms in with the toolbar's button until the scale is about 1. */
export async function zoomToOne(page: Page): Promise<void> {
  for (let i = 0; i < 20 && (await graphScale(page)) < 0.9; i++) {
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForTimeout(250);
  }
}

export interface PanResult {
  fps: number;
  /** 95th percentile of the time between frames. */
  frameP95Ms: number;
}

/** Drags the graph in a circle for `ms`, one mouse step per frame; counts the frames. */
export async function pan(page: Page, ms = PAN_MS): Promise<PanResult> {
  const { frames, elapsed, gaps } = await page.evaluate(
    (duration) =>
      new Promise<{ frames: number; elapsed: number; gaps: number[] }>((resolve) => {
        const { document, window, MouseEvent, requestAnimationFrame } = globalThis as unknown as PageGlobals;
        const svg = document.querySelector('.san-graph')!;
        const box = svg.getBoundingClientRect();
        const [x0, y0] = [box.left + box.width / 2, box.top + box.height / 2];
        const mouse = (type: string, target: { dispatchEvent(event: unknown): boolean }, x: number, y: number) =>
          target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, button: 0, buttons: 1, clientX: x, clientY: y }));
        mouse('mousedown', svg, x0, y0);
        const gaps: number[] = [];
        let start = 0;
        let last = 0;
        let frames = 0;
        const step = (now: number) => {
          if (start === 0) start = last = now;
          else {
            frames++;
            gaps.push(now - last);
            last = now;
          }
          const t = (now - start) / 1000;
          mouse('mousemove', window, x0 + Math.sin(t * 2) * 220, y0 + (1 - Math.cos(t * 2)) * 90);
          if (now - start < duration) requestAnimationFrame(step);
          else {
            mouse('mouseup', window, x0, y0);
            resolve({ frames, elapsed: now - start, gaps });
          }
        };
        requestAnimationFrame(step);
      }),
    ms,
  );
  const sorted = [...gaps].sort((a, b) => a - b);
  return { fps: frames / (elapsed / 1000), frameP95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0 };
}
