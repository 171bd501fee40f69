// The fragment map of a restore plan, laid out (pure; useFragmentMap.ts draws it): the chunks of
// the backup stream the restore needs, left to right in stream order, in runs that come from the
// same tapes; for every copy of the backup, the tape holding each run and whether the restore
// reads it there first, keeps it as a second try, or cannot read it now; the chunks not needed
// as gaps between runs; and under them each basket entry as a bar over the chunks it is
// reassembled from. Widths are in px for the width given.
import type { BackupDetail, PlannedChunk, RestorePlan } from '../../../engine/contract';
import type { ItemRange } from '../stores/restore';

/** first: read from here; second: a second try if the first fails; blocked: held here but not readable now; absent: not in this copy. */
export type CellRole = 'first' | 'second' | 'blocked' | 'absent';

export interface MapCell {
  copy: number;
  tape: string | null;
  library: string | null;
  role: CellRole;
}

export interface MapRun {
  firstChunk: number;
  lastChunk: number;
  chunks: number;
  bytes: number;
  /** One per copy, in the order of `copies`. */
  cells: MapCell[];
  x: number;
  width: number;
}

export interface MapGap {
  /** Chunks of the backup the restore does not read here. */
  skipped: number;
  x: number;
  width: number;
}

export interface MapItem {
  path: string;
  type: ItemRange['type'];
  firstChunk: number;
  lastChunk: number;
  /** Tapes its chunks are read from first, in stream order. */
  tapes: string[];
  x: number;
  width: number;
  lane: number;
  /** Where its name goes: inside the bar when it fits, else beside it (after it, or before it at the right edge). */
  label: { text: string; x: number; anchor: 'start' | 'end' };
}

export interface MapTape {
  tape: string;
  library: string;
  copy: number;
  /** Its colour and texture. */
  index: number;
  /** Chunks read from it first-hand. */
  chunks: number;
}

export interface FragmentMapLayout {
  copies: number[];
  runs: MapRun[];
  gaps: MapGap[];
  items: MapItem[];
  /** Basket entries not drawn (more than the lanes hold). */
  hiddenItems: number;
  lanes: number;
  tapes: MapTape[];
  totalChunks: number;
  width: number;
}

export const GAP_WIDTH = 28;
export const MAX_LANES = 8;
/** Width of a character of the map's 11px monospace labels, near enough to place them. */
export const CHAR_WIDTH = 6.7;
const LABEL_PAD = 5;

function cellsOf(chunk: PlannedChunk, copies: readonly number[], detail: BackupDetail | null): MapCell[] {
  return copies.map((copy) => {
    const source = chunk.sources.find((s) => s.copy === copy);
    if (source) return { copy, tape: source.tape, library: source.library, role: source === chunk.sources[0] ? 'first' : 'second' };
    const held = detail?.fragments.find((f) => f.copy === copy && chunk.offset >= f.offset && chunk.offset < f.offset + f.size);
    return held ? { copy, tape: held.tape, library: held.library, role: 'blocked' } : { copy, tape: null, library: null, role: 'absent' };
  });
}

const signature = (cells: readonly MapCell[]) => cells.map((c) => `${c.role}:${c.tape ?? ''}`).join('|');

/** The copies the map draws a lane for: every copy of the backup, and any a source names. */
function copiesOf(plan: RestorePlan, detail: BackupDetail | null): number[] {
  const copies = new Set(detail?.copies.map((c) => c.copy) ?? []);
  for (const chunk of plan.chunks) for (const s of chunk.sources) copies.add(s.copy);
  return [...copies].sort((a, b) => a - b);
}

function tapesOf(plan: RestorePlan, runs: readonly MapRun[]): MapTape[] {
  const tapes: MapTape[] = plan.tapes.map((t, index) => ({ tape: t.tape, library: t.library, copy: t.copy, index, chunks: t.chunks }));
  for (const run of runs) {
    for (const cell of run.cells) {
      if (cell.tape && cell.library && !tapes.some((t) => t.tape === cell.tape)) tapes.push({ tape: cell.tape, library: cell.library, copy: cell.copy, index: tapes.length, chunks: 0 });
    }
  }
  return tapes;
}

/** Where an entry's name goes, and the part of its lane it takes with it. */
function placeLabel(text: string, left: number, right: number, width: number): { label: MapItem['label']; from: number; to: number } {
  const room = text.length * CHAR_WIDTH + 2 * LABEL_PAD;
  if (room <= right - left) return { label: { text, x: left + LABEL_PAD, anchor: 'start' }, from: left, to: right };
  if (right + room <= width) return { label: { text, x: right + LABEL_PAD, anchor: 'start' }, from: left, to: right + room };
  return { label: { text, x: left - LABEL_PAD, anchor: 'end' }, from: Math.max(0, left - room), to: right };
}

/**
 * Lays out the map of `plan` at `width` px; `ranges` are the basket entries' chunks, `name`
 * words an entry's path (the whole backup's is '').
 */
export function fragmentMapLayout(plan: RestorePlan, detail: BackupDetail | null, ranges: readonly ItemRange[], width: number, name: (path: string) => string = (path) => path): FragmentMapLayout {
  const copies = copiesOf(plan, detail);
  const totalChunks = detail ? Math.ceil(detail.size / Math.max(1, detail.chunkSize)) : (plan.chunks[plan.chunks.length - 1]?.index ?? -1) + 1;

  // Runs of consecutive chunks read from the same tapes in the same way.
  const spans: Omit<MapRun, 'x' | 'width'>[] = [];
  for (const chunk of plan.chunks) {
    const cells = cellsOf(chunk, copies, detail);
    const last = spans[spans.length - 1];
    if (last && last.lastChunk === chunk.index - 1 && signature(last.cells) === signature(cells)) {
      last.lastChunk = chunk.index;
      last.chunks += 1;
      last.bytes += chunk.length;
    } else {
      spans.push({ firstChunk: chunk.index, lastChunk: chunk.index, chunks: 1, bytes: chunk.length, cells });
    }
  }

  // Gaps: before the first run, between runs that do not touch, after the last.
  const gapsBefore = spans.map((span, i) => (i === 0 ? span.firstChunk : span.firstChunk - spans[i - 1]!.lastChunk - 1));
  const tail = spans.length > 0 ? Math.max(0, totalChunks - 1 - spans[spans.length - 1]!.lastChunk) : 0;
  const gapCount = gapsBefore.filter((n) => n > 0).length + (tail > 0 ? 1 : 0);
  const needed = spans.reduce((sum, s) => sum + s.chunks, 0);
  const perChunk = needed > 0 ? Math.max(0, width - gapCount * GAP_WIDTH) / needed : 0;

  const runs: MapRun[] = [];
  const gaps: MapGap[] = [];
  let x = 0;
  spans.forEach((span, i) => {
    const skipped = gapsBefore[i]!;
    if (skipped > 0) {
      gaps.push({ skipped, x, width: GAP_WIDTH });
      x += GAP_WIDTH;
    }
    runs.push({ ...span, x, width: span.chunks * perChunk });
    x += span.chunks * perChunk;
  });
  if (tail > 0) gaps.push({ skipped: tail, x, width: GAP_WIDTH });

  const xOf = (chunk: number, end: boolean): number => {
    const run = runs.find((r) => chunk >= r.firstChunk && chunk <= r.lastChunk);
    if (!run) return 0;
    return run.x + (chunk - run.firstChunk + (end ? 1 : 0)) * perChunk;
  };
  const firstTapes = (from: number, to: number) => {
    const tapes: string[] = [];
    for (const chunk of plan.chunks) {
      const tape = chunk.sources[0]?.tape;
      if (chunk.index >= from && chunk.index <= to && tape && !tapes.includes(tape)) tapes.push(tape);
    }
    return tapes;
  };

  // Basket entries as bars in lanes, none overlapping another (or its name) in its lane; touching is fine: bars are drawn inset.
  const laneEnds: number[] = [];
  const items: MapItem[] = [];
  let hiddenItems = 0;
  for (const range of [...ranges].sort((a, b) => a.firstChunk - b.firstChunk || b.lastChunk - a.lastChunk)) {
    const left = xOf(range.firstChunk, false);
    const right = xOf(range.lastChunk, true);
    const { label, from, to } = placeLabel(name(range.path), left, right, width);
    let lane = laneEnds.findIndex((end) => end <= from + 0.5);
    if (lane < 0 && laneEnds.length < MAX_LANES) lane = laneEnds.push(-Infinity) - 1;
    if (lane < 0) {
      hiddenItems++;
      continue;
    }
    laneEnds[lane] = to;
    items.push({ path: range.path, type: range.type, firstChunk: range.firstChunk, lastChunk: range.lastChunk, tapes: firstTapes(range.firstChunk, range.lastChunk), x: left, width: Math.max(2, right - left), lane, label });
  }

  return { copies, runs, gaps, items, hiddenItems, lanes: laneEnds.length, tapes: tapesOf(plan, runs), totalChunks, width };
}
