// The SAN as a graph for drawing: devices as nodes, links as edges between devices (the site's
// links join ports, `device:port`; several links between two devices are one edge), and the
// routes of streams through it: a planned stream's path hop by hop, a running stream's from its
// devices (storage -> switches -> mover -> switches -> library), a zone's links from its ports.
import type { DeviceKind, LinkView, PlannedStream, PortRef, Zone } from '../../../engine/contract';

export interface SanNode {
  id: string;
  kind: DeviceKind;
  name: string;
}

/** Two devices joined by one or more links; `a < b` (node indices). */
export interface SanEdge {
  a: number;
  b: number;
}

export interface Topology {
  nodes: SanNode[];
  index: ReadonlyMap<string, number>;
  edges: SanEdge[];
  /** Neighbour node indices of each node, in ascending order. */
  neighbours: number[][];
  /** Every link with its ports, for zones (which are made of ports). */
  portLinks: { a: PortRef; b: PortRef }[];
}

/** `switch-1:3` -> {device: 'switch-1', port: 3}; a bare device id has port -1. */
export function parseEndpoint(text: string, known: ReadonlyMap<string, number>): PortRef | { device: string; port: -1 } | null {
  if (known.has(text)) return { device: text, port: -1 };
  const m = /^(.+):(\d+)$/.exec(text);
  return m && known.has(m[1]!) ? { device: m[1]!, port: Number(m[2]) } : null;
}

export function buildTopology(devices: readonly SanNode[], links: readonly LinkView[]): Topology {
  const nodes = devices.map(({ id, kind, name }) => ({ id, kind, name }));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const pairs = new Set<number>();
  const edges: SanEdge[] = [];
  const neighbours: number[][] = nodes.map(() => []);
  const portLinks: Topology['portLinks'] = [];
  for (const link of links) {
    const a = parseEndpoint(link.a, index);
    const b = parseEndpoint(link.b, index);
    if (!a || !b) continue;
    if (a.port >= 0 && b.port >= 0) portLinks.push({ a, b });
    const ia = index.get(a.device)!;
    const ib = index.get(b.device)!;
    if (ia === ib) continue;
    const [lo, hi] = ia < ib ? [ia, ib] : [ib, ia];
    const key = lo * nodes.length + hi;
    if (pairs.has(key)) continue;
    pairs.add(key);
    edges.push({ a: lo, b: hi });
    neighbours[lo]!.push(hi);
    neighbours[hi]!.push(lo);
  }
  for (const list of neighbours) list.sort((x, y) => x - y);
  return { nodes, index, edges, neighbours, portLinks };
}

/** A key that changes exactly when the drawing's structure (devices, names, links) does. */
export function structureKey(devices: readonly SanNode[], links: readonly LinkView[]): string {
  return `${devices.map((d) => `${d.id}\u0001${d.kind}\u0001${d.name}`).join('\u0002')}\u0003${links.map((l) => `${l.a}\u0001${l.b}`).join('\u0002')}`;
}

/** The devices of a planned stream in path order (node indices). */
export function plannedRoute(topology: Topology, stream: PlannedStream, storage: string | null): number[] {
  if (stream.path.length === 0) return storage ? deviceRoute(topology, storage, stream) : [];
  const ids = [stream.path[0]!.from.device, ...stream.path.map((hop) => hop.to.device)];
  const route: number[] = [];
  for (const id of ids) {
    const i = topology.index.get(id);
    if (i !== undefined && route[route.length - 1] !== i) route.push(i);
  }
  return route;
}

/**
 * The devices of a stream that names only its mover, library and switches, in path order: the
 * shortest way storage -> mover -> library through those switches; [] when there is none.
 */
export function deviceRoute(topology: Topology, storage: string, stream: { mover: string; library: string; switches: readonly string[] }): number[] {
  const at = (id: string) => topology.index.get(id);
  const [s, m, l] = [at(storage), at(stream.mover), at(stream.library)];
  if (s === undefined || m === undefined || l === undefined) return [];
  const through = new Set(stream.switches.map(at).filter((i): i is number => i !== undefined));
  const first = shortestPath(topology, s, m, through);
  const second = shortestPath(topology, m, l, through);
  return first && second ? [...first, ...second.slice(1)] : [];
}

/** Breadth-first path from `from` to `to` whose inner nodes are all in `through`. */
function shortestPath(topology: Topology, from: number, to: number, through: ReadonlySet<number>): number[] | null {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (v === to) break;
    if (v !== from && !through.has(v)) continue;
    for (const w of topology.neighbours[v]!) {
      if (previous.has(w)) continue;
      previous.set(w, v);
      queue.push(w);
    }
  }
  if (!previous.has(to)) return null;
  const path = [to];
  while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
  return path;
}

/** The edges of a zone: links whose two ports are both members. */
export function zoneEdges(topology: Topology, zone: Zone): SanEdge[] {
  const members = new Set(zone.members.map((p) => `${p.device}:${p.port}`));
  const seen = new Set<string>();
  const edges: SanEdge[] = [];
  for (const { a, b } of topology.portLinks) {
    if (!members.has(`${a.device}:${a.port}`) || !members.has(`${b.device}:${b.port}`)) continue;
    const ia = topology.index.get(a.device)!;
    const ib = topology.index.get(b.device)!;
    const [lo, hi] = ia < ib ? [ia, ib] : [ib, ia];
    if (lo === hi || seen.has(`${lo}-${hi}`)) continue;
    seen.add(`${lo}-${hi}`);
    edges.push({ a: lo, b: hi });
  }
  return edges;
}
