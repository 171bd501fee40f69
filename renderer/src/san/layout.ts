// The layered layout of the SAN graph, left to right: hosts and storage | FC switches | backup
// servers and copy devices | tape libraries. Switches take sub-columns by their hop distance from
// the hosts and storage (a core-edge SAN shows edge | core | edge). A layer too tall for the site's
// size wraps into several columns, filled row by row so a node's height still follows its order.
// The order inside each column reduces crossings: a few sweeps placing each node at the mean
// height of its neighbours. Pure and deterministic; positions are node centres.
import type { DeviceKind } from '../../../engine/contract';
import type { Topology } from './topology';

export const LAYERS = ['hosts-storage', 'switches', 'movers', 'libraries'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_OF: Record<DeviceKind, Layer> = {
  host: 'hosts-storage',
  storage: 'hosts-storage',
  switch: 'switches',
  'backup-server': 'movers',
  'copy-device': 'movers',
  library: 'libraries',
};

/** A node's cell: every node sits in its own cell of this size, so plates never overlap. */
export const CELL = { width: 184, height: 96 } as const;
/** Room between two column groups, for the edges to fan out. */
export const GROUP_GAP = 96;
const SWEEPS = 6;

export interface NodePlace {
  x: number;
  y: number;
  layer: Layer;
  /** Column across the whole drawing, left to right, and row within it, top to bottom. */
  column: number;
  row: number;
}

export interface LayerBand {
  layer: Layer;
  /** Left and right edge of the band's cells. */
  x0: number;
  x1: number;
}

export interface SanLayout {
  places: NodePlace[];
  /** Node indices of each column, top to bottom. */
  columns: number[][];
  /** The centre x of each column. */
  columnX: number[];
  bands: LayerBand[];
  /** Bounds of every cell. */
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

/** Most rows a column may have before its group wraps, for a site of `n` devices. */
export function maxRows(n: number): number {
  return Math.max(10, Math.ceil(Math.sqrt(n) * 1.25));
}

/** A group of nodes laid out together: a layer, or one hop distance of the switches. */
interface Group {
  layer: Layer;
  order: number[];
}

export function layoutSan(topology: Topology): SanLayout {
  const groups = groupsOf(topology);
  const rowsLimit = maxRows(topology.nodes.length);
  const y = new Float64Array(topology.nodes.length);
  const shapes = groups.map((g) => shape(g.order.length, rowsLimit));
  const placeRows = () =>
    groups.forEach((g, gi) => {
      const { columns, rows } = shapes[gi]!;
      g.order.forEach((v, i) => (y[v] = (Math.floor(i / columns) - (rows - 1) / 2) * CELL.height));
    });
  placeRows();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const sequence = sweep % 2 === 0 ? groups : [...groups].reverse();
    for (const g of sequence) {
      const key = new Map<number, number>();
      for (const v of g.order) {
        const around = topology.neighbours[v]!;
        key.set(v, around.length === 0 ? y[v]! : around.reduce((sum, w) => sum + y[w]!, 0) / around.length);
      }
      const current = new Map(g.order.map((v, i) => [v, i]));
      g.order.sort((a, b) => key.get(a)! - key.get(b)! || current.get(a)! - current.get(b)!);
      placeRows();
    }
  }

  const places: NodePlace[] = new Array(topology.nodes.length);
  const columns: number[][] = [];
  const columnX: number[] = [];
  const bands: LayerBand[] = [];
  let left = 0;
  groups.forEach((g, gi) => {
    const { columns: width, rows } = shapes[gi]!;
    const first = columns.length;
    for (let c = 0; c < width; c++) {
      columns.push([]);
      columnX.push(left + c * CELL.width + CELL.width / 2);
    }
    g.order.forEach((v, i) => {
      const column = first + (i % width);
      const row = Math.floor(i / width);
      columns[column]!.push(v);
      places[v] = { x: left + (i % width) * CELL.width + CELL.width / 2, y: (row - (rows - 1) / 2) * CELL.height, layer: g.layer, column, row };
    });
    const right = left + width * CELL.width;
    const band = bands[bands.length - 1];
    if (band?.layer === g.layer) band.x1 = right;
    else bands.push({ layer: g.layer, x0: left, x1: right });
    left = right + GROUP_GAP;
  });
  const tallest = Math.max(1, ...shapes.map((s) => s.rows));
  return {
    places,
    columns,
    columnX,
    bands,
    bounds: { x0: 0, y0: (-tallest / 2) * CELL.height, x1: Math.max(0, left - GROUP_GAP), y1: (tallest / 2) * CELL.height },
  };
}

/**
 * Where an edge between two nodes crosses the columns between them: in each, the gap between two
 * rows nearest the straight line (or the line itself, above or below the column's nodes), so the
 * edge passes between plates rather than behind them and does not seem to join them.
 */
export function edgeWaypoints(layout: SanLayout, a: number, b: number): [number, number][] {
  const p = layout.places[a]!;
  const q = layout.places[b]!;
  const [from, to] = p.column < q.column ? [p, q] : [q, p];
  const points: [number, number][] = [];
  for (let c = from.column + 1; c < to.column; c++) {
    const x = layout.columnX[c]!;
    const line = from.y + ((to.y - from.y) * (x - from.x)) / (to.x - from.x);
    const column = layout.columns[c]!;
    const rows = column.length;
    const top = rows > 0 ? layout.places[column[0]!]!.y : 0;
    const bottom = top + (rows - 1) * CELL.height;
    const clear = rows === 0 || line <= top - CELL.height / 2 || line >= bottom + CELL.height / 2;
    const gap = Math.min(rows - 1, Math.max(-1, Math.round((line - top) / CELL.height - 0.5)));
    points.push([x, clear ? line : top + (gap + 0.5) * CELL.height]);
  }
  return p.column < q.column ? points : points.reverse();
}

/** Columns and rows of a group of `n` nodes: as few columns as the row limit allows, balanced. */
function shape(n: number, rowsLimit: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(n / rowsLimit));
  return { columns, rows: Math.ceil(n / columns) };
}

/** The non-empty groups in drawing order, each first ordered by kind and then id. */
function groupsOf(topology: Topology): Group[] {
  const { nodes } = topology;
  const byKindThenId = (a: number, b: number) =>
    KIND_ORDER.indexOf(nodes[a]!.kind) - KIND_ORDER.indexOf(nodes[b]!.kind) || naturalCompare(nodes[a]!.id, nodes[b]!.id);
  const of = (layer: Layer) => nodes.map((_, i) => i).filter((i) => LAYER_OF[nodes[i]!.kind] === layer).sort(byKindThenId);

  const hops = switchHops(topology);
  const distances = [...new Set(hops.values())].sort((a, b) => a - b);
  const switchGroups = distances.map((d) => ({ layer: 'switches' as const, order: of('switches').filter((v) => hops.get(v) === d) }));
  return [{ layer: 'hosts-storage' as const, order: of('hosts-storage') }, ...switchGroups, { layer: 'movers' as const, order: of('movers') }, { layer: 'libraries' as const, order: of('libraries') }].filter(
    (g) => g.order.length > 0,
  );
}

const KIND_ORDER: DeviceKind[] = ['storage', 'host', 'switch', 'backup-server', 'copy-device', 'library'];

/** Hops from the nearest host or storage to each switch, through switches; unreached ones last. */
export function switchHops(topology: Topology): Map<number, number> {
  const { nodes, neighbours } = topology;
  const hops = new Map<number, number>();
  let frontier = nodes.map((_, i) => i).filter((i) => LAYER_OF[nodes[i]!.kind] === 'hosts-storage');
  for (let distance = 1; frontier.length > 0; distance++) {
    const next: number[] = [];
    for (const v of frontier) {
      for (const w of neighbours[v]!) {
        if (nodes[w]!.kind !== 'switch' || hops.has(w)) continue;
        hops.set(w, distance);
        next.push(w);
      }
    }
    frontier = next;
  }
  const unreached = Math.max(0, ...hops.values()) + 1;
  nodes.forEach((n, i) => n.kind === 'switch' && !hops.has(i) && hops.set(i, unreached));
  return hops;
}

/** `switch-2` before `switch-10`. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
