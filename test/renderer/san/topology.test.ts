// The SAN as a graph: links between ports become one edge per pair of devices; the routes of
// planned streams (hop by hop) and of running ones (from their devices) through it; zones as the
// links between their member ports.
import { describe, expect, it } from 'vitest';
import { buildTopology, deviceRoute, parseEndpoint, plannedRoute, structureKey, zoneEdges } from '../../../renderer/src/san/topology';
import { demoLikeSite, twoStreamPlan } from './fixtures';

const site = demoLikeSite();
const topology = buildTopology(site.devices, site.links);
const ids = (route: number[]) => route.map((i) => topology.nodes[i]!.id);

describe('the SAN topology', () => {
  it('joins devices by their port links, one edge per pair, neighbours both ways', () => {
    expect(topology.nodes).toHaveLength(site.devices.length);
    expect(topology.edges).toHaveLength(site.links.length);
    const two = buildTopology(site.devices.slice(0, 3), [
      { a: 'host-1:0', b: 'storage-1:0' },
      { a: 'host-1:1', b: 'storage-1:1' },
      { a: 'storage-1:2', b: 'nowhere:0' },
      { a: 'host-1', b: 'switch-1' },
    ]);
    expect(two.edges).toEqual([
      { a: 0, b: 1 },
      { a: 0, b: 2 },
    ]);
    expect(two.neighbours).toEqual([[1, 2], [0], [0]]);
    expect(two.portLinks).toHaveLength(2);
    expect(parseEndpoint('switch-1:12', topology.index)).toEqual({ device: 'switch-1', port: 12 });
    expect(parseEndpoint('switch-9:1', topology.index)).toBeNull();
  });

  it('changes its structure key with devices, names and links, not with states', () => {
    const key = structureKey(site.devices, site.links);
    const busy = site.devices.map((d) => ({ ...d, state: 'in-use' as const, holder: { jobId: 1, stream: 0 } }));
    expect(structureKey(busy, site.links)).toBe(key);
    expect(structureKey(site.devices.map((d, i) => (i === 0 ? { ...d, name: 'renamed' } : d)), site.links)).not.toBe(key);
    expect(structureKey(site.devices, site.links.slice(1))).not.toBe(key);
  });

  it('follows a planned stream hop by hop, and a running one through its own switches', () => {
    const [first] = twoStreamPlan().streams;
    expect(ids(plannedRoute(topology, first!, 'storage-1'))).toEqual(['storage-1', 'switch-1', 'server-A', 'switch-1', 'library-A']);
    expect(ids(plannedRoute(topology, { ...first!, path: [] }, 'storage-1'))).toEqual(['storage-1', 'switch-1', 'server-A', 'switch-1', 'library-A']);
    // Through switch 4 only, although switch 1 is shorter for the library.
    expect(ids(deviceRoute(topology, 'storage-1', { mover: 'copy-A', library: 'library-B', switches: ['switch-4'] }))).toEqual(['storage-1', 'switch-4', 'copy-A', 'switch-4', 'library-B']);
    // No way through the switches named.
    expect(deviceRoute(topology, 'storage-1', { mover: 'server-A', library: 'library-B', switches: ['switch-1'] })).toEqual([]);
    expect(deviceRoute(topology, 'storage-9', { mover: 'server-A', library: 'library-A', switches: ['switch-1'] })).toEqual([]);
  });

  it('draws a zone along the links between its member ports', () => {
    const zone = {
      name: 'job1-s0',
      jobId: 1,
      stream: 0,
      switches: ['switch-1'],
      members: [
        { device: 'storage-1', port: 0 },
        { device: 'switch-1', port: 1 },
        { device: 'switch-1', port: 2 },
        { device: 'server-A', port: 0 },
        { device: 'switch-1', port: 4 },
        { device: 'library-A', port: 0 },
      ],
    };
    const edges = zoneEdges(topology, zone).map((e) => [topology.nodes[e.a]!.id, topology.nodes[e.b]!.id].sort());
    expect(edges.sort()).toEqual([
      ['library-A', 'switch-1'],
      ['server-A', 'switch-1'],
      ['storage-1', 'switch-1'],
    ]);
  });
});
