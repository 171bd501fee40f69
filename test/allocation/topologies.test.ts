// Hand-made SANs: core-edge paths, independence across streams, a choice that must be undone,
// pins and excludes, tape order, zones and paths, reservation and release.
import { describe, expect, it } from 'vitest';
import { Allocator, AllocationError } from '../../engine/allocation';
import type { TapeUsage } from '../../engine/contract';
import { demoSiteConfig } from '../../engine/site';
import { setState, siteOf, sketchSite, snapshot, type SiteSketch } from '../helpers/sites';

function allocate(sketch: SiteSketch, tapes: TapeUsage[] = []) {
  const test = sketchSite(sketch, { statuses: [], zones: [], tapes });
  return { ...test, allocator: new Allocator(test.site, test.inventory) };
}

function demo(preference?: (id: string) => number) {
  const test = siteOf(demoSiteConfig());
  return { ...test, allocator: new Allocator(test.site, test.inventory, { preference }) };
}

/** Storage, servers and libraries each on their own edge switch; edges uplinked to the cores. */
function coreEdge(cores: string[]): SiteSketch {
  const edges = ['edge-s', 'edge-1', 'edge-2', 'edge-3', 'edge-4'];
  return {
    storage: ['storage-1'],
    servers: ['server-1', 'server-2'],
    libraries: { 'library-1': ['L1-1'], 'library-2': ['L2-1'] },
    switches: [...cores, ...edges],
    links: [
      ['storage-1', 'edge-s'],
      ['storage-1', 'edge-s'],
      ['server-1', 'edge-1'],
      ['server-2', 'edge-2'],
      ['library-1', 'edge-3'],
      ['library-2', 'edge-4'],
      ...edges.flatMap((edge) => cores.map((core): [string, string] => [edge, core])),
    ],
  };
}

describe('paths', () => {
  it('a stream reuses its core switch for both halves, and lists each switch once in path order', () => {
    const { allocator } = allocate(coreEdge(['core-1']));
    const plan = allocator.plan({ streams: 2 });
    expect(plan.feasible).toBe(false);
    const [stream] = plan.streams;
    expect(stream!.switches).toEqual(['edge-s', 'core-1', 'edge-1', 'edge-3']);
    expect(stream!.path.map((hop) => `${hop.from.device}:${hop.from.port}>${hop.to.device}:${hop.to.port}`)).toEqual([
      'storage-1:0>edge-s:0',
      'edge-s:2>core-1:0',
      'core-1:1>edge-1:1',
      'edge-1:0>server-1:0',
      'server-1:0>edge-1:0',
      'edge-1:1>core-1:1',
      'core-1:3>edge-3:1',
      'edge-3:0>library-1:0',
    ]);
    expect(plan.reason).toBe(
      'only 1 independent stream (2 needed): storage-1 reaches only 1 backup server over paths that share no switch; every such path passes through edge-s',
    );
  });

  it('independent streams share no switch, so a second core is needed', () => {
    const { allocator } = allocate(coreEdge(['core-1', 'core-2']));
    // The storage's only edge switch is shared: even two cores give one stream.
    expect(allocator.feasibility('backup-server')).toBe(1);

    const dual = coreEdge(['core-1', 'core-2']);
    dual.switches!.push('edge-t');
    dual.links.push(['storage-1', 'edge-t'], ['edge-t', 'core-1'], ['edge-t', 'core-2']);
    const plan = allocate(dual).allocator.plan({ streams: 2 });
    expect(plan.feasible).toBe(true);
    expect(plan.streams.map((s) => s.switches)).toEqual([
      ['edge-s', 'core-1', 'edge-1', 'edge-3'],
      ['edge-t', 'core-2', 'edge-2', 'edge-4'],
    ]);
  });

  it('undoes a cheap first choice that leaves no path for the second stream', () => {
    // server-1 reaches the storage over sw-a or sw-b; server-2 only over sw-a. Taking sw-a for
    // server-1 (first in id order) would leave server-2 nothing.
    const { allocator } = allocate({
      storage: ['storage-1'],
      servers: ['server-1', 'server-2'],
      libraries: { 'library-1': ['L1-1'], 'library-2': ['L2-1'] },
      switches: ['sw-a', 'sw-b'],
      links: [
        ['storage-1', 'sw-a'],
        ['storage-1', 'sw-b'],
        ['server-1', 'sw-a'],
        ['server-1', 'sw-b'],
        ['server-2', 'sw-a'],
        ['library-1', 'sw-a'],
        ['library-1', 'sw-b'],
        ['library-2', 'sw-a'],
        ['library-2', 'sw-b'],
      ],
    });
    const plan = allocator.plan({ streams: 2 });
    expect(plan.feasible).toBe(true);
    expect(plan.streams.map((s) => [s.mover, s.library, ...s.switches])).toEqual([
      ['server-1', 'library-1', 'sw-b'],
      ['server-2', 'library-2', 'sw-a'],
    ]);
  });

  it('prefers the fewest hops over id order', () => {
    const { allocator } = allocate({
      storage: ['storage-1'],
      servers: ['server-1', 'server-2'],
      libraries: { 'library-1': ['L1-1'] },
      switches: ['sw-1', 'sw-2', 'sw-3'],
      links: [
        ['storage-1', 'sw-1'],
        ['sw-1', 'sw-2'],
        ['server-1', 'sw-2'],
        ['storage-1', 'sw-3'],
        ['server-2', 'sw-3'],
        ['library-1', 'sw-2'],
        ['library-1', 'sw-3'],
      ],
    });
    expect(allocator.plan({ streams: 2 }).streams.map((s) => [s.mover, s.path.length])).toEqual([['server-2', 4]]);
  });

  it('a path never passes through another mover, a host, a storage device or a library', () => {
    const { allocator } = allocate({
      storage: ['storage-1', 'storage-2'],
      hosts: ['host-1'],
      servers: ['server-1', 'server-2'],
      libraries: { 'library-1': ['L1-1'], 'library-2': ['L2-1'] },
      switches: ['sw-1'],
      links: [
        ['storage-1', 'host-1'],
        ['host-1', 'server-1'],
        ['storage-1', 'server-2'],
        ['server-2', 'server-1'],
        ['storage-1', 'storage-2'],
        ['storage-2', 'sw-1'],
        ['sw-1', 'server-1'],
        ['server-2', 'library-1'],
        ['library-1', 'library-2'],
      ],
    });
    const plan = allocator.plan({ streams: 2, storage: 'storage-1' });
    expect(plan.streams.map((s) => [s.mover, s.library, s.path.length])).toEqual([['server-2', 'library-1', 2]]);
    expect(plan.reason).toContain('storage-1 reaches only 1 backup server');
  });
});

describe('pins and excludes', () => {
  it('a pinned mover, library, tape or switch is used by its stream', () => {
    const { allocator } = demo();
    const plan = allocator.plan({
      streams: 2,
      constraints: [{ pin: ['server-B', 'B00003'] }, { pin: ['switch-4', 'library-A'] }],
    });
    expect(plan.feasible).toBe(true);
    expect(plan.streams.map((s) => [s.mover, s.library, s.tape, s.switches.join('+')])).toEqual([
      ['server-B', 'library-B', 'B00003', 'switch-2'],
      ['server-A', 'library-A', 'A00001', 'switch-4'],
    ]);
    // server-C reaches library-B only over switch-4, which stream 1 pins.
    const clash = allocator.plan({ streams: 2, constraints: [{ pin: ['server-C', 'library-B'] }, { pin: ['switch-4'] }] });
    expect(clash.reason).toBe(
      'only 1 independent stream (2 needed): stream 0 has no path from storage-1 to server-C and on to library-B; it may not use switch-4 (pinned to stream 1)',
    );
  });

  it('what the request or a stream excludes is never used', () => {
    const { allocator } = demo();
    const plan = allocator.plan({ streams: 2, exclude: ['switch-1'], constraints: [{ exclude: ['server-B', 'library-C'] }] });
    expect(plan.streams.map((s) => [s.mover, s.library, s.switches.join('+')])).toEqual([
      ['server-A', 'library-A', 'switch-4'],
      ['server-B', 'library-B', 'switch-2'],
    ]);
    const none = allocator.plan({ streams: 3, exclude: ['switch-1', 'switch-4'] });
    expect(none.reason).toContain('in the way: switch-1 is excluded by the request, switch-4 is excluded by the request');
  });

  it('a pinned device that cannot be used is the reason', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'server-B', 'in-use', { jobId: 1, stream: 1 });
    const plan = allocator.plan({ streams: 2, constraints: [{}, { pin: ['server-B'] }] });
    expect(plan.reason).toBe('only 1 independent stream (2 needed): stream 1 pins server-B, which is in use by job 1 stream 1');
    expect(plan.streams).toHaveLength(1);
  });

  it('pinned devices that cannot each have their own path are the reason', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'switch-1', 'unavailable');
    const plan = allocator.plan({ streams: 2, exclude: ['switch-4'], constraints: [{ pin: ['server-A'] }, { pin: ['server-B'] }] });
    // server-A has no path at all, so even stream 0 alone cannot be built.
    expect(plan.reason).toBe(
      'no stream is possible (2 needed): storage-1 reaches the pinned backup servers server-A, server-B over only 1 path; ' +
        'every such path passes through switch-2; in the way: switch-1 is unavailable, switch-4 is excluded by the request; ' +
        'the pinned backup servers server-A, server-B reach libraries over only 1 path; in the way: switch-1 is unavailable, switch-4 is excluded by the request',
    );
  });

  it('unknown ids and contradictions are refused with a clear error', () => {
    const { allocator } = demo();
    const refused = (request: Parameters<Allocator['plan']>[0], message: RegExp) => {
      expect(() => allocator.plan(request)).toThrow(AllocationError);
      expect(() => allocator.plan(request)).toThrow(message);
    };
    refused({ exclude: ['server-Z'], constraints: [{ pin: ['tape-9'] }] }, /no device or tape named server-Z, tape-9/);
    refused({ constraints: [{ pin: ['host-1'] }] }, /stream 0 cannot pin host-1 \(a host\)/);
    refused({ constraints: [{ pin: ['copy-A'] }] }, /cannot pin copy-A \(a copy device\): its streams are made of backup servers/);
    refused({ constraints: [{ pin: ['server-A'] }, { pin: ['server-A'] }] }, /server-A is pinned to streams 0 and 1/);
    refused({ constraints: [{ pin: ['A00001'] }, { pin: ['library-A'] }] }, /library-A is pinned to streams 0 and 1/);
    refused({ constraints: [{ pin: ['server-A', 'server-B'] }] }, /stream 0 pins two backup servers \(server-A and server-B\)/);
    refused({ constraints: [{ pin: ['A00001', 'library-B'] }] }, /A00001, which is in library-A, not in library-B/);
    refused({ constraints: [{ pin: ['switch-2'], exclude: ['switch-2'] }] }, /stream 0 both pins and excludes switch-2/);
    refused({ exclude: ['switch-2'], constraints: [{ pin: ['switch-2'] }] }, /switch-2 is pinned to stream 0 but excluded by the request/);
    refused({ streams: 2, constraints: [{}, {}, {}] }, /3 stream constraints for 2 streams/);
    refused({ exclude: ['storage-1'] }, /storage-1 is the storage the streams read from/);
    refused({ storage: 'server-A' }, /server-A is a backup server, not a storage device/);
    refused({ streams: 1 }, /invalid stream request: streams: /);
    refused({ streams: 9 }, /invalid stream request: streams: /);
    refused({ mover: 'robot' } as never, /invalid stream request: mover: /);
  });

  it('the storage is the site’s only one, or must be named', () => {
    const two = allocate({ storage: ['st-1', 'st-2'], servers: ['srv'], libraries: { lib: ['t'] }, links: [] }).allocator;
    expect(() => two.plan({})).toThrow(/the site has 2 storage devices \(st-1, st-2\); name the one to read from/);
    expect(two.plan({ storage: 'st-2' }).reason).toMatch(/^no stream is possible \(2 needed\)/);
    const none = allocate({ servers: ['srv'], links: [] }).allocator;
    expect(() => none.feasibility('backup-server')).toThrow('the site has no storage device to read from');
  });
});

describe('tape choice', () => {
  it('appendable tapes fullest first, then blank tapes in id order; full and taken tapes are skipped', () => {
    const MiB = 2 ** 20;
    const { inventory, allocator } = allocate(
      {
        storage: ['storage-1'],
        servers: ['server-1'],
        libraries: { 'library-1': ['T10', 'T2', 'T3', 'T4', 'T5', 'T6', 'T1'] },
        links: [
          ['storage-1', 'server-1'],
          ['server-1', 'library-1'],
        ],
      },
      [
        { id: 'T3', usedBytes: 10 * MiB, full: false },
        { id: 'T4', usedBytes: 200 * MiB, full: false },
        { id: 'T5', usedBytes: 1 * MiB, full: true },
        { id: 'T6', usedBytes: 250 * MiB, full: false },
      ],
    );
    setState(inventory, 'T6', 'in-use', { jobId: 8, stream: 0 });
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      // The site has one server, so the plan holds the one stream there is.
      const tape = allocator.plan({ streams: 2 }).streams[0]!.tape;
      order.push(tape);
      setState(inventory, tape, 'unavailable');
    }
    expect(order).toEqual(['T4', 'T3', 'T1', 'T2', 'T10']);
  });
});

describe('reservation', () => {
  it('reserves exactly the plan: every mover, library, tape and switch held by its stream, one zone per stream', () => {
    const { inventory, allocator, saved } = demo();
    const plan = allocator.plan({ streams: 2 });
    const streams = allocator.reserve(4, { streams: 2 });
    expect(streams).toEqual(plan.streams);
    expect(saved).toHaveLength(1);
    expect(inventory.heldBy(4).map((s) => [s.id, s.holder!.stream])).toEqual([
      ['switch-1', 0],
      ['switch-2', 1],
      ['server-A', 0],
      ['library-A', 0],
      ['server-B', 1],
      ['library-B', 1],
      ['A00001', 0],
      ['B00001', 1],
    ]);
    expect(inventory.zones()).toEqual([
      {
        name: 'job4-stream0',
        jobId: 4,
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
      },
      {
        name: 'job4-stream1',
        jobId: 4,
        stream: 1,
        switches: ['switch-2'],
        members: [
          { device: 'storage-1', port: 1 },
          { device: 'switch-2', port: 1 },
          { device: 'switch-2', port: 2 },
          { device: 'server-B', port: 0 },
          { device: 'switch-2', port: 4 },
          { device: 'library-B', port: 0 },
        ],
      },
    ]);
    // The next plan works around what job 4 holds.
    expect(allocator.plan({ streams: 2 }).reason).toMatch(/^only 1 independent stream/);
    expect(allocator.plan({ streams: 2, mover: 'copy-device' }).streams.map((s) => [s.mover, s.library])).toEqual([['copy-A', 'library-C']]);
  });

  it('refuses a second reservation for a job that holds resources', () => {
    const { inventory, allocator } = demo();
    allocator.reserve(4, { streams: 2 });
    const before = snapshot(inventory);
    expect(() => allocator.reserve(4, { streams: 2, mover: 'copy-device' })).toThrow(
      'job 4 already holds resources; release them before reserving again',
    );
    expect(() => allocator.reserve(0, {})).toThrow('a job id is a positive whole number, not 0');
    expect(snapshot(inventory)).toEqual(before);
  });

  it('release restores the states before the reservation exactly; releasing nothing changes nothing', () => {
    const { inventory, allocator, saved } = demo();
    setState(inventory, 'server-C', 'unavailable');
    setState(inventory, 'A00001', 'in-use', { jobId: 2, stream: 0 });
    const before = snapshot(inventory);
    allocator.reserve(5, { streams: 2 });
    const released = allocator.release(5);
    expect(released.map((s) => s.id).sort()).toEqual(['A00002', 'B00001', 'library-A', 'library-B', 'server-A', 'server-B', 'switch-1', 'switch-2']);
    expect(released.every((s) => s.state === 'available' && s.holder === null)).toBe(true);
    expect(snapshot(inventory)).toEqual(before);
    const changes = saved.length;
    expect(allocator.release(5)).toEqual([]);
    expect(allocator.release(6)).toEqual([]);
    expect(saved).toHaveLength(changes);
  });

  it('a store that cannot save makes the reservation fail and changes nothing', () => {
    const { inventory, allocator, failSaves } = demo();
    const before = snapshot(inventory);
    failSaves(true);
    expect(() => allocator.reserve(3, { streams: 2 })).toThrow('the catalog cannot be written');
    expect(snapshot(inventory)).toEqual(before);
    failSaves(false);
    expect(allocator.reserve(3, { streams: 2 })).toHaveLength(2);
  });

  it('plan changes nothing', () => {
    const { inventory, allocator, saved } = demo();
    const before = snapshot(inventory);
    allocator.plan({ streams: 3 });
    allocator.plan({ streams: 4 });
    allocator.feasibility('copy-device');
    expect(snapshot(inventory)).toEqual(before);
    expect(saved).toHaveLength(0);
  });
});

describe('spreading work and searching within a budget', () => {
  it('among equally short streams, the preferred devices win', () => {
    const used: Record<string, number> = { 'server-A': 3, 'library-A': 3, 'library-B': 1 };
    const { allocator } = demo((id) => used[id] ?? 0);
    expect(allocator.plan({ streams: 2 }).streams.map((s) => [s.mover, s.library])).toEqual([
      ['server-B', 'library-B'],
      ['server-C', 'library-C'],
    ]);
  });

  it('says so honestly when the search runs out of budget', () => {
    const test = siteOf(demoSiteConfig());
    const allocator = new Allocator(test.site, test.inventory, { searchBudget: 30 });
    const plan = allocator.plan({ streams: 3 });
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toBe(
      'no stream is possible (3 needed): the search stopped after 30 steps before it could decide whether 3 independent streams exist; ' +
        'pin a mover or a library per stream to narrow it down',
    );
  });
});
