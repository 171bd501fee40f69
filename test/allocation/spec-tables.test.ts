// The state tables of SPEC.md on the demo site (servers, copy devices and libraries A B C on
// switches 1-3, switch 4 reaching all): what the resource and path selectors may choose.
// The spec's "process 0" is job 1 here: job ids start at 1.
import { describe, expect, it } from 'vitest';
import { Allocator, AllocationError } from '../../engine/allocation';
import { demoSiteConfig } from '../../engine/site';
import { setState, siteOf, snapshot } from '../helpers/sites';

function demo() {
  const test = siteOf(demoSiteConfig());
  return { ...test, allocator: new Allocator(test.site, test.inventory) };
}

describe('backup servers table [420]', () => {
  it('with B in use by process 0 stream 1 and C unavailable, only A can be chosen', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'server-B', 'in-use', { jobId: 1, stream: 1 });
    setState(inventory, 'server-C', 'unavailable');

    expect(allocator.feasibility('backup-server')).toBe(1);
    const plan = allocator.plan({ streams: 2 });
    expect(plan.feasible).toBe(false);
    expect(plan.streams.map((s) => s.mover)).toEqual(['server-A']);
    expect(plan.reason).toBe(
      'only 1 independent stream (2 needed): 1 of 3 backup servers can be used: server-B is in use by job 1 stream 1, server-C is unavailable',
    );
  });

  it('a 2-stream reservation then fails with that reason and takes nothing', () => {
    const { inventory, allocator, saved } = demo();
    setState(inventory, 'server-B', 'in-use', { jobId: 1, stream: 1 });
    setState(inventory, 'server-C', 'unavailable');
    const before = snapshot(inventory);
    const savedBefore = saved.length;

    const attempt = () => allocator.reserve(2, { streams: 2 });
    expect(attempt).toThrow(AllocationError);
    expect(attempt).toThrow(/server-B is in use by job 1 stream 1, server-C is unavailable/);
    expect(snapshot(inventory)).toEqual(before);
    expect(saved).toHaveLength(savedBefore);
  });

  it('copy devices [470] are chosen for failover requests, backup servers are not', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'copy-A', 'unavailable');
    const plan = allocator.plan({ streams: 2, mover: 'copy-device' });
    expect(plan.streams.map((s) => s.mover)).toEqual(['copy-B', 'copy-C']);
    expect(allocator.feasibility('copy-device')).toBe(2);
    expect(allocator.feasibility('backup-server')).toBe(3);
  });
});

describe('libraries [430] and tapes [440]', () => {
  it('names each library that cannot be used with its state or holder', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'library-B', 'unavailable');
    setState(inventory, 'library-C', 'in-use', { jobId: 7, stream: 0 });
    const plan = allocator.plan({ streams: 3 });
    expect(plan.reason).toBe(
      'only 1 independent stream (3 needed): 1 of 3 libraries can be used: library-B is unavailable, library-C is in use by job 7 stream 0',
    );
    expect(plan.streams.map((s) => [s.library, s.tape])).toEqual([['library-A', 'A00001']]);
  });

  it('a library whose tapes are all taken counts as unusable', () => {
    const { inventory, allocator } = demo();
    for (let t = 1; t <= 8; t++) setState(inventory, `C0000${t}`, t % 2 ? 'unavailable' : 'in-use', { jobId: 4, stream: t });
    setState(inventory, 'library-B', 'unavailable');
    expect(allocator.plan({ streams: 2 }).reason).toBe(
      'only 1 independent stream (2 needed): 1 of 3 libraries can be used: library-B is unavailable, library-C has no usable tape (4 unavailable, 4 in use)',
    );
  });
});

describe('FC switches [450]', () => {
  it('any single switch failure still leaves three streams, two failures leave two', () => {
    const { inventory, allocator } = demo();
    expect(allocator.feasibility('backup-server')).toBe(3);
    setState(inventory, 'switch-1', 'unavailable');
    expect(allocator.feasibility('backup-server')).toBe(3);
    const plan = allocator.plan({ streams: 3 });
    expect(plan.streams.map((s) => s.switches)).toEqual([['switch-4'], ['switch-2'], ['switch-3']]);
    setState(inventory, 'switch-4', 'in-use', { jobId: 3, stream: 0 });
    expect(allocator.feasibility('backup-server')).toBe(2);
  });

  it('names the switches in the way when the storage has too few disjoint paths', () => {
    const { inventory, allocator } = demo();
    setState(inventory, 'switch-1', 'unavailable');
    setState(inventory, 'switch-2', 'in-use', { jobId: 5, stream: 1 });
    setState(inventory, 'switch-3', 'unavailable');
    const plan = allocator.plan({ streams: 2 });
    expect(plan.streams).toHaveLength(1);
    expect(plan.reason).toBe(
      'only 1 independent stream (2 needed): storage-1 reaches only 1 backup server over paths that share no switch; ' +
        'every such path passes through switch-4; in the way: switch-1 is unavailable, switch-2 is in use by job 5 stream 1, switch-3 is unavailable',
    );
  });
});
