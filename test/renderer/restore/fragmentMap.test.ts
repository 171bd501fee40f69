// The fragment map's layout (runs of chunks from the same tapes, the gaps of chunks not needed,
// each copy's role per run, basket entries in lanes) and its drawing, which follows the width
// and removes what it drew and its observer on unmount.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import FragmentMap from '../../../renderer/src/restore/FragmentMap.vue';
import { fragmentMapLayout, GAP_WIDTH } from '../../../renderer/src/restore/fragmentMap';
import type { ItemRange } from '../../../renderer/src/stores/restore';
import { consoleI18n } from '../mount';
import { backupDetail, planOf } from './catalogFake';

const range = (path: string, firstChunk: number, lastChunk: number): ItemRange => ({ path, type: 'file', firstChunk, lastChunk, chunks: lastChunk - firstChunk + 1, entries: 1, bytes: 1 });

const observers: { disconnect: ReturnType<typeof vi.fn>; callback: ResizeObserverCallback }[] = [];
class FakeResizeObserver {
  disconnect = vi.fn();
  constructor(readonly callback: ResizeObserverCallback) {
    observers.push(this);
  }
  observe() {}
  unobserve() {}
}

afterEach(() => {
  vi.unstubAllGlobals();
  observers.length = 0;
});

describe('the fragment map layout', () => {
  it('puts the chunks needed in runs per tape, with the chunks not needed as gaps, and the entries under their chunks', () => {
    const plan = planOf({ backupId: 2, paths: ['2024/a.jpg', '2024/b.jpg', 'big'], destination: '/x' });
    const layout = fragmentMapLayout(plan, backupDetail(2), [range('2024/a.jpg', 0, 0), range('2024/b.jpg', 1, 1), range('big', 3, 8)], 1000);
    expect(layout.copies).toEqual([0]);
    expect(layout.totalChunks).toBe(10);
    expect(layout.runs.map((r) => [r.firstChunk, r.lastChunk, r.cells[0]!.tape, r.cells[0]!.role])).toEqual([
      [0, 1, 'A00001', 'first'],
      [3, 8, 'B00001', 'first'],
    ]);
    // Chunk 2 and chunk 9 are not needed: a gap between the runs and one after them.
    expect(layout.gaps.map((g) => [g.skipped, g.x])).toEqual([
      [1, 2 * ((1000 - 2 * GAP_WIDTH) / 8)],
      [1, 1000 - GAP_WIDTH],
    ]);
    const perChunk = (1000 - 2 * GAP_WIDTH) / 8;
    expect(layout.runs.map((r) => [r.x, r.width])).toEqual([
      [0, 2 * perChunk],
      [2 * perChunk + GAP_WIDTH, 6 * perChunk],
    ]);
    expect(layout.items.map((i) => [i.path, i.x, i.width, i.lane, i.tapes])).toEqual([
      ['2024/a.jpg', 0, perChunk, 0, ['A00001']],
      ['2024/b.jpg', perChunk, perChunk, 0, ['A00001']],
      ['big', 2 * perChunk + GAP_WIDTH, 6 * perChunk, 0, ['B00001']],
    ]);
    expect(layout.tapes.map((t) => [t.tape, t.index, t.chunks])).toEqual([
      ['A00001', 0, 2],
      ['B00001', 1, 6],
    ]);
    expect(layout.items[0]!.label).toEqual({ text: '2024/a.jpg', x: 5, anchor: 'start' });

    // Narrow: a name that does not fit its bar goes after it (or before it at the right edge), and keeps its lane's room.
    const narrow = fragmentMapLayout(plan, backupDetail(2), [range('2024/a.jpg', 0, 0), range('2024/b.jpg', 1, 1), range('big', 3, 8)], 200, (p) => p.toUpperCase());
    const chunk = (200 - 2 * GAP_WIDTH) / 8;
    expect(narrow.items.map((i) => [i.path, i.lane, i.label.anchor, i.label.text])).toEqual([
      ['2024/a.jpg', 0, 'start', '2024/A.JPG'],
      ['2024/b.jpg', 1, 'start', '2024/B.JPG'],
      ['big', 2, 'start', 'BIG'],
    ]);
    expect(narrow.items[0]!.label.x).toBe(chunk + 5);
    const edge = fragmentMapLayout(plan, backupDetail(2), [range('notes.txt', 8, 8)], 200);
    expect(edge.items[0]!.label).toMatchObject({ anchor: 'end', x: edge.items[0]!.x - 5 });
  });

  it('shows each copy of a mirrored backup: read first, second try, or held but not readable now', () => {
    const plan = planOf({ backupId: 3, paths: ['2024'], destination: '/x' });
    // Chunk 2's copy 1 is on a tape out of service: the engine gives it no second source.
    plan.chunks[2]!.sources = plan.chunks[2]!.sources.slice(0, 1);
    const layout = fragmentMapLayout(plan, backupDetail(3), [range('2024', 0, 2), range('2024/a.jpg', 0, 0)], 600);
    expect(layout.copies).toEqual([0, 1]);
    expect(layout.runs.map((r) => [r.firstChunk, r.lastChunk, r.cells.map((c) => `${c.tape}:${c.role}`)])).toEqual([
      [0, 1, ['C00001:first', 'A00002:second']],
      [2, 2, ['C00001:first', 'A00002:blocked']],
    ]);
    // Overlapping entries take separate lanes.
    expect(layout.items.map((i) => [i.path, i.lane])).toEqual([
      ['2024', 0],
      ['2024/a.jpg', 1],
    ]);
    expect(layout.lanes).toBe(2);
    expect(layout.tapes.map((t) => [t.tape, t.copy, t.chunks])).toEqual([
      ['C00001', 0, 3],
      ['A00002', 1, 0],
    ]);
  });
});

describe('the fragment map', () => {
  it('draws a cell per tape run, redraws at its width, and cleans up on unmount', async () => {
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    const plan = planOf({ backupId: 2, paths: ['2024/a.jpg', 'notes.txt'], destination: '/x' });
    const wrapper = mount(FragmentMap, {
      props: { plan, detail: backupDetail(2), ranges: [range('2024/a.jpg', 0, 0), range('notes.txt', 9, 9)], unmapped: 0 },
      global: { plugins: [consoleI18n()] },
    });
    const svg = wrapper.find('svg');
    const cells = () => svg.findAll('rect.cell.first').map((r) => [r.attributes('data-tape'), r.attributes('style')]);
    expect(cells()).toEqual([
      ['A00001', 'fill: var(--stream-0);'],
      ['B00001', 'fill: var(--stream-1);'],
    ]);
    // Tapes differ by texture as well as colour: the second has stripes drawn over it.
    expect(svg.findAll('rect[style*="url(#"]').length).toBe(1);
    expect(svg.attributes('width')).toBe('720');
    observers[0]!.callback([{ contentRect: { width: 400 } } as ResizeObserverEntry], observers[0] as unknown as ResizeObserver);
    expect(svg.attributes('width')).toBe('400');
    expect(svg.findAll('g.item')).toHaveLength(2);
    wrapper.unmount();
    expect(observers[0]!.disconnect).toHaveBeenCalled();
    expect(svg.element.childNodes.length).toBe(0);
  });
});
