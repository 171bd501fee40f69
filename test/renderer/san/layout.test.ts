// The SAN graph's layered layout: every device in its layer, left to right hosts and storage |
// switches | movers | libraries; switches in sub-columns by hops from the hosts and storage; tall
// layers wrapped; no two plates overlapping; edges crossing columns through the gaps between
// rows. Random topologies (fast-check) for the properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceKind } from '../../../engine/contract';
import { CELL, edgeWaypoints, LAYER_OF, LAYERS, layoutSan, maxRows, switchHops } from '../../../renderer/src/san/layout';
import { buildTopology, type SanNode } from '../../../renderer/src/san/topology';
import { demoLikeSite } from './fixtures';

const PLATE = { width: CELL.width - 20, height: CELL.height - 16 };

describe('the SAN layout', () => {
  it('puts every device of the demo site in its layer, in layer order, switches in one column', () => {
    const site = demoLikeSite();
    const topology = buildTopology(site.devices, site.links);
    const layout = layoutSan(topology);
    expect(layout.bands.map((b) => b.layer)).toEqual([...LAYERS]);
    topology.nodes.forEach((node, i) => {
      const place = layout.places[i]!;
      const band = layout.bands.find((b) => b.layer === LAYER_OF[node.kind])!;
      expect(place.layer).toBe(LAYER_OF[node.kind]);
      expect(place.x).toBeGreaterThan(band.x0);
      expect(place.x).toBeLessThan(band.x1);
    });
    // All four switches reach the storage directly: one column, every node in the first cell of it.
    const switches = topology.nodes.flatMap((n, i) => (n.kind === 'switch' ? [layout.places[i]!.column] : []));
    expect(new Set(switches).size).toBe(1);
    expect(layout.columns).toHaveLength(4);
  });

  it('orders a column by its links: a server sits beside the switch it hangs off', () => {
    const site = demoLikeSite();
    const topology = buildTopology(site.devices, site.links);
    const layout = layoutSan(topology);
    const y = (id: string) => layout.places[topology.index.get(id)!]!.y;
    // switch-3 serves only the C devices (and switch-4 all): C's devices are below A's.
    expect(y('server-C')).toBeGreaterThan(y('server-A'));
    expect(y('library-C')).toBeGreaterThan(y('library-A'));
  });

  it('gives the switches of a core-edge SAN sub-columns by hops: edge | core | edge', () => {
    const nodes: SanNode[] = [
      { id: 'host-1', kind: 'host', name: 'h' },
      { id: 'edge-1', kind: 'switch', name: 'e1' },
      { id: 'core-1', kind: 'switch', name: 'c1' },
      { id: 'edge-2', kind: 'switch', name: 'e2' },
      { id: 'server-1', kind: 'backup-server', name: 's' },
      { id: 'island', kind: 'switch', name: 'unreached' },
    ];
    const topology = buildTopology(nodes, [
      { a: 'host-1:0', b: 'edge-1:0' },
      { a: 'edge-1:1', b: 'core-1:0' },
      { a: 'core-1:1', b: 'edge-2:0' },
      { a: 'edge-2:1', b: 'server-1:0' },
    ]);
    const hops = switchHops(topology);
    expect([1, 2, 3, 5].map((i) => hops.get(i))).toEqual([1, 2, 3, 4]);
    const layout = layoutSan(topology);
    const column = (id: string) => layout.places[topology.index.get(id)!]!.column;
    expect([column('host-1'), column('edge-1'), column('core-1'), column('edge-2'), column('island'), column('server-1')]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(layout.bands.find((b) => b.layer === 'switches')).toMatchObject({ x0: layout.columnX[1]! - CELL.width / 2, x1: layout.columnX[4]! + CELL.width / 2 });
  });

  it('wraps a layer taller than the site allows into balanced columns, filled row by row', () => {
    const nodes: SanNode[] = [{ id: 'storage-1', kind: 'storage', name: 's' }, ...Array.from({ length: 120 }, (_, i) => ({ id: `server-${i}`, kind: 'backup-server' as const, name: `s${i}` }))];
    const topology = buildTopology(nodes, []);
    const layout = layoutSan(topology);
    const limit = maxRows(nodes.length);
    const serverColumns = layout.columns.filter((c) => c.some((v) => nodes[v]!.kind === 'backup-server'));
    expect(serverColumns.length).toBe(Math.ceil(120 / limit));
    for (const column of serverColumns) expect(column.length).toBeLessThanOrEqual(limit);
    expect(Math.max(...serverColumns.map((c) => c.length)) - Math.min(...serverColumns.map((c) => c.length))).toBeLessThanOrEqual(1);
  });

  it('routes an edge that crosses a column through a gap between its rows', () => {
    const site = demoLikeSite();
    const topology = buildTopology(site.devices, site.links);
    const layout = layoutSan(topology);
    const [s1, lib] = [topology.index.get('switch-1')!, topology.index.get('library-A')!];
    const points = edgeWaypoints(layout, s1, lib);
    expect(points).toHaveLength(1);
    const moverColumn = layout.columns[layout.places[s1]!.column + 1]!;
    for (const v of moverColumn) expect(Math.abs(points[0]![1] - layout.places[v]!.y)).toBeGreaterThanOrEqual(PLATE.height / 2);
    expect(edgeWaypoints(layout, lib, s1)).toEqual([...points].reverse());
  });
});

const KINDS: DeviceKind[] = ['host', 'storage', 'switch', 'backup-server', 'copy-device', 'library'];

/** A random site: up to 150 devices of any kind and random links between them. */
const randomTopology = fc
  .array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 150 })
  .chain((kinds) =>
    fc.record({
      kinds: fc.constant(kinds),
      links: fc.array(fc.tuple(fc.nat(kinds.length - 1), fc.nat(kinds.length - 1)), { maxLength: kinds.length * 3 }),
    }),
  )
  .map(({ kinds, links }) => {
    const nodes = kinds.map((kind, i) => ({ id: `${kind}-${i}`, kind, name: `${kind} ${i}` }));
    return buildTopology(
      nodes,
      links.map(([a, b], i) => ({ a: `${nodes[a]!.id}:${i}`, b: `${nodes[b]!.id}:${i}` })),
    );
  });

describe('the SAN layout of random topologies', () => {
  it('places every node in its layer band, bands in layer order, and no two plates overlap', () => {
    fc.assert(
      fc.property(randomTopology, (topology) => {
        const layout = layoutSan(topology);
        const order = layout.bands.map((b) => LAYERS.indexOf(b.layer));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        for (let i = 1; i < layout.bands.length; i++) expect(layout.bands[i]!.x0).toBeGreaterThan(layout.bands[i - 1]!.x1);
        topology.nodes.forEach((node, i) => {
          const place = layout.places[i]!;
          const band = layout.bands.find((b) => b.layer === LAYER_OF[node.kind])!;
          expect(place.x - PLATE.width / 2).toBeGreaterThanOrEqual(band.x0);
          expect(place.x + PLATE.width / 2).toBeLessThanOrEqual(band.x1);
          expect(place.y - PLATE.height / 2).toBeGreaterThanOrEqual(layout.bounds.y0);
          expect(place.y + PLATE.height / 2).toBeLessThanOrEqual(layout.bounds.y1);
          expect(layout.columns[place.column]![place.row]).toBe(i);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('keeps any two nodes a whole cell apart across or down (no plates overlap), columns within the row limit', () => {
    fc.assert(
      fc.property(randomTopology, (topology) => {
        const layout = layoutSan(topology);
        const { places } = layout;
        const overlapping: [number, number][] = [];
        for (let i = 0; i < places.length; i++) {
          for (let j = i + 1; j < places.length; j++) {
            const [p, q] = [places[i]!, places[j]!];
            if (Math.abs(p.x - q.x) < CELL.width - 1e-9 && Math.abs(p.y - q.y) < CELL.height - 1e-9) overlapping.push([i, j]);
          }
        }
        expect(overlapping).toEqual([]);
        expect(Math.max(...layout.columns.map((c) => c.length))).toBeLessThanOrEqual(maxRows(topology.nodes.length));
      }),
      { numRuns: 100 },
    );
  });

  it('routes every edge between plates in the columns it crosses', () => {
    fc.assert(
      fc.property(randomTopology, (topology) => {
        const layout = layoutSan(topology);
        for (const edge of topology.edges) {
          const [p, q] = [layout.places[edge.a]!, layout.places[edge.b]!];
          const [lo, hi] = p.column < q.column ? [p.column, q.column] : [q.column, p.column];
          const points = edgeWaypoints(layout, edge.a, edge.b);
          expect(points).toHaveLength(Math.max(0, hi - lo - 1));
          points.forEach(([x, y], k) => {
            const column = p.column < q.column ? lo + 1 + k : hi - 1 - k;
            expect(x).toBe(layout.columnX[column]);
            for (const v of layout.columns[column]!) expect(Math.abs(y - layout.places[v]!.y)).toBeGreaterThanOrEqual(PLATE.height / 2);
          });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(randomTopology, (topology) => {
        expect(layoutSan(topology)).toEqual(layoutSan(topology));
      }),
      { numRuns: 30 },
    );
  });
});
