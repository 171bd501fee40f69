// Draws the fragment map (fragmentMap.ts lays it out) with d3 into an <svg>: a lane per copy of
// the backup with the tape of every run of chunks (read first: the tape's colour and texture and
// its name; a second try: pale and dashed; not readable now: grey, crossed), the chunk numbers
// and the gaps of chunks not needed, and the basket entries as bars under the chunks they come
// from. Tapes differ by texture and name as well as colour. Follows the element's width;
// removes what it drew and its observer on unmount.
import { select, type Selection } from 'd3';
import { onMounted, onUnmounted, watch, type Ref } from 'vue';
import type { BackupDetail, RestorePlan } from '../../../engine/contract';
import type { ItemRange } from '../stores/restore';
import { CHAR_WIDTH, fragmentMapLayout, type MapCell, type MapItem, type MapRun, type MapTape } from './fragmentMap';

export const LABEL_WIDTH = 84;
const TOP = 2;
const COPY_LANE = 26;
const COPY_GAP = 6;
const AXIS = 22;
const ITEM_LANE = 20;
const ITEM_GAP = 4;
/** Textures drawn over a tape's colour, by tape index (the legend draws the same). */
export const TEXTURES = ['solid', 'diagonal', 'dots', 'cross', 'vertical', 'horizontal'] as const;

export interface FragmentMapInput {
  plan: RestorePlan;
  detail: BackupDetail | null;
  ranges: readonly ItemRange[];
}

export interface FragmentMapLabels {
  copy(copy: number): string;
  chunks: string;
  files: string;
  /** A basket entry's name ('' is the whole backup). */
  name(path: string): string;
  cell(run: MapRun, cell: MapCell): string;
  gap(skipped: number): string;
  item(item: MapItem): string;
}

export const tapeColour = (index: number) => `var(--stream-${index % 6})`;

type Group = Selection<SVGGElement, unknown, null, undefined>;

function texturePatterns(defs: Selection<SVGDefsElement, unknown, null, undefined>, id: string): void {
  const pattern = (name: string, draw: (p: Selection<SVGPatternElement, unknown, null, undefined>) => void) =>
    draw(defs.append('pattern').attr('id', `${id}-${name}`).attr('width', 6).attr('height', 6).attr('patternUnits', 'userSpaceOnUse'));
  const stroke = (p: Selection<SVGPatternElement, unknown, null, undefined>, d: string, colour = 'var(--on-stream)') =>
    p.append('path').attr('d', d).style('stroke', colour).style('stroke-width', '1.2').style('opacity', '0.5').style('fill', 'none');
  pattern('diagonal', (p) => stroke(p, 'M0 6L6 0M-1 1L1 -1M5 7L7 5'));
  pattern('dots', (p) => p.append('circle').attr('cx', 3).attr('cy', 3).attr('r', 1.1).style('fill', 'var(--on-stream)').style('opacity', '0.55'));
  pattern('cross', (p) => stroke(p, 'M0 6L6 0M0 0L6 6'));
  pattern('vertical', (p) => stroke(p, 'M3 0V6'));
  pattern('horizontal', (p) => stroke(p, 'M0 3H6'));
  pattern('blocked', (p) => stroke(p, 'M0 6L6 0M0 0L6 6', 'var(--fg-muted)'));
}

function fitText(text: string, width: number): string {
  const room = Math.floor((width - 8) / CHAR_WIDTH);
  if (room < 3) return '';
  return text.length <= room ? text : `…${text.slice(text.length - room + 1)}`;
}

export function useFragmentMap(svg: Ref<SVGSVGElement | null>, input: Ref<FragmentMapInput | null>, labels: Ref<FragmentMapLabels>): void {
  let width = 720;
  let observer: ResizeObserver | null = null;
  let element: SVGSVGElement | null = null;
  const id = `fmap-${Math.random().toString(36).slice(2, 8)}`;

  function drawCell(g: Group, run: MapRun, cell: MapCell, y: number, tape: MapTape | undefined): void {
    if (cell.role === 'absent' || run.width <= 0) return;
    const w = Math.max(1, run.width - 1);
    const rect = g.append('rect').attr('class', `cell ${cell.role}`).attr('x', run.x).attr('y', y).attr('width', w).attr('height', COPY_LANE).attr('data-tape', cell.tape ?? '');
    const colour = tape ? tapeColour(tape.index) : 'var(--fg-muted)';
    if (cell.role === 'first') rect.style('fill', colour);
    if (cell.role === 'second') rect.style('fill', colour).style('fill-opacity', '0.22').style('stroke', colour).style('stroke-dasharray', '3 2');
    if (cell.role === 'blocked') rect.style('fill', `url(#${id}-blocked)`).style('stroke', 'var(--fg-muted)').style('stroke-dasharray', '1 2');
    rect.append('title').text(labels.value.cell(run, cell));
    const texture = tape ? TEXTURES[tape.index % TEXTURES.length]! : 'solid';
    if (cell.role === 'first' && texture !== 'solid') {
      g.append('rect').attr('x', run.x).attr('y', y).attr('width', w).attr('height', COPY_LANE).style('fill', `url(#${id}-${texture})`).style('pointer-events', 'none');
    }
    const text = cell.tape ? fitText(cell.tape, w) : '';
    if (text) {
      const label = g
        .append('text')
        .attr('class', `cell-label ${cell.role}`)
        .attr('x', run.x + w / 2)
        .attr('y', y + COPY_LANE / 2)
        .attr('text-anchor', 'middle')
        .attr('dominant-baseline', 'central')
        .text(text);
      // A halo of the tape's colour keeps the name legible over its texture.
      if (cell.role === 'first') label.style('stroke', colour);
    }
  }

  function draw(): void {
    if (!element) return;
    const root = select(element);
    root.selectAll('*').remove();
    const data = input.value;
    if (!data) return;
    const inner = Math.max(160, width - LABEL_WIDTH);
    const layout = fragmentMapLayout(data.plan, data.detail, data.ranges, inner, labels.value.name);
    const copiesHeight = layout.copies.length * (COPY_LANE + COPY_GAP);
    const itemsTop = TOP + copiesHeight + AXIS;
    const height = itemsTop + Math.max(1, layout.lanes) * (ITEM_LANE + ITEM_GAP);
    root.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    texturePatterns(root.append('defs'), id);

    const names = root.append('g').attr('class', 'lane-names');
    layout.copies.forEach((copy, i) => {
      names.append('text').attr('x', 0).attr('y', TOP + i * (COPY_LANE + COPY_GAP) + COPY_LANE / 2).attr('dominant-baseline', 'central').text(labels.value.copy(copy));
    });
    names.append('text').attr('x', 0).attr('y', TOP + copiesHeight + AXIS / 2 - 2).attr('dominant-baseline', 'central').attr('class', 'muted').text(labels.value.chunks);
    names.append('text').attr('x', 0).attr('y', itemsTop + ITEM_LANE / 2).attr('dominant-baseline', 'central').text(labels.value.files);

    const g = root.append('g').attr('transform', `translate(${LABEL_WIDTH},0)`);
    const tapeOf = (tape: string | null) => layout.tapes.find((t) => t.tape === tape);

    // Lanes, then the guides at the start of every run, then the cells.
    layout.copies.forEach((_copy, i) => {
      g.append('rect').attr('class', 'lane').attr('x', 0).attr('y', TOP + i * (COPY_LANE + COPY_GAP)).attr('width', inner).attr('height', COPY_LANE);
    });
    for (const run of layout.runs) {
      g.append('line').attr('class', 'guide').attr('x1', run.x).attr('x2', run.x).attr('y1', TOP).attr('y2', height);
    }
    layout.copies.forEach((_copy, i) => {
      const y = TOP + i * (COPY_LANE + COPY_GAP);
      for (const run of layout.runs) drawCell(g, run, run.cells[i]!, y, tapeOf(run.cells[i]!.tape));
    });

    // Chunk numbers under the runs; gaps marked where chunks are not needed.
    const axisY = TOP + copiesHeight + AXIS / 2 - 2;
    for (const run of layout.runs) {
      const text = run.chunks === 1 ? String(run.firstChunk) : `${run.firstChunk}–${run.lastChunk}`;
      if (run.width >= text.length * CHAR_WIDTH + 6) {
        g.append('text').attr('class', 'axis-label').attr('x', run.x + run.width / 2).attr('y', axisY).attr('text-anchor', 'middle').attr('dominant-baseline', 'central').text(text);
      }
    }
    for (const gap of layout.gaps) {
      const mark = g.append('g').attr('class', 'gap');
      mark.append('title').text(labels.value.gap(gap.skipped));
      mark.append('rect').attr('x', gap.x).attr('y', TOP).attr('width', gap.width).attr('height', copiesHeight - COPY_GAP).style('fill', 'transparent');
      mark.append('path').attr('d', `M${gap.x + gap.width / 2 - 4} ${TOP + copiesHeight - COPY_GAP} l8 -${copiesHeight - COPY_GAP}`).attr('class', 'break');
      mark.append('text').attr('class', 'axis-label').attr('x', gap.x + gap.width / 2).attr('y', axisY).attr('text-anchor', 'middle').attr('dominant-baseline', 'central').text('⋯');
    }

    // The basket entries, each under the chunks it is reassembled from.
    for (const item of layout.items) {
      const y = itemsTop + item.lane * (ITEM_LANE + ITEM_GAP);
      const bar = g.append('g').attr('class', 'item').attr('data-path', item.path);
      bar.append('title').text(labels.value.item(item));
      bar.append('rect').attr('x', item.x + 0.5).attr('y', y).attr('width', Math.max(1.5, item.width - 2)).attr('height', ITEM_LANE).attr('rx', 3);
      // A name before the bar has the room left of it; one inside or after it is whole.
      const text = item.label.anchor === 'end' ? fitText(item.label.text, item.label.x + 8) : item.label.text;
      if (text) bar.append('text').attr('x', item.label.x).attr('y', y + ITEM_LANE / 2).attr('text-anchor', item.label.anchor).attr('dominant-baseline', 'central').text(text);
    }
  }

  onMounted(() => {
    element = svg.value;
    const holder = element?.parentElement;
    if (holder && typeof ResizeObserver === 'function') {
      observer = new ResizeObserver((entries) => {
        const next = Math.floor(entries[0]?.contentRect.width ?? width);
        if (next > 0 && next !== width) {
          width = next;
          draw();
        }
      });
      observer.observe(holder);
      width = Math.floor(holder.clientWidth) || width;
    }
    draw();
  });
  const stop = watch([input, labels], draw);

  onUnmounted(() => {
    stop();
    observer?.disconnect();
    observer = null;
    if (element) select(element).selectAll('*').remove();
    element = null;
  });
}
