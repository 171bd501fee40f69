import { describe, expect, it } from 'vitest';
import type { InventoryChange } from '../../engine/contract';
import { demoSiteConfig, Inventory, InventoryError, SiteModel, validateSiteConfig } from '../../engine/site';

const site = new SiteModel(validateSiteConfig(demoSiteConfig()), '/demo');
const hold = (id: string, jobId: number, stream: number) => ({ id, state: 'in-use' as const, holder: { jobId, stream } });
const change = (statuses: InventoryChange['statuses']): InventoryChange => ({ statuses, zonesAdded: [], zonesRemovedForJobs: [] });

function inventory(save: (c: InventoryChange) => void = () => {}) {
  return new Inventory(site, { statuses: [], zones: [], tapes: [] }, { save });
}

describe('Inventory', () => {
  it('everything starts available', () => {
    const inv = inventory();
    expect(inv.statuses().every((s) => s.state === 'available' && s.holder === null)).toBe(true);
    expect(inv.statuses()).toHaveLength(site.devices.length + 24);
  });

  it('persists a change before showing it, and shows nothing when persisting fails', () => {
    const saved: InventoryChange[] = [];
    const inv = inventory((c) => saved.push(c));
    inv.apply(change([hold('server-A', 1, 0)]));
    expect(saved).toHaveLength(1);
    expect(inv.status('server-A')).toEqual(hold('server-A', 1, 0));

    const failing = inventory(() => {
      throw new Error('disk full');
    });
    expect(() => failing.apply(change([hold('server-A', 1, 0)]))).toThrow('disk full');
    expect(failing.status('server-A').state).toBe('available');
  });

  it('never gives a resource a second holder, nor holds an unavailable one', () => {
    const inv = inventory();
    inv.apply(change([hold('server-B', 1, 1)]));
    expect(() => inv.apply(change([hold('server-B', 2, 0)]))).toThrow(/server-B is already in use by job 1 stream 1/);
    inv.setState('server-C', 'unavailable');
    expect(() => inv.apply(change([hold('server-C', 2, 0)]))).toThrow(InventoryError);
    expect(inv.heldBy(1).map((s) => s.id)).toEqual(['server-B']);
    expect(inv.holders()).toEqual([1]);
  });

  it('the operator cannot change the state of a resource in use', () => {
    const inv = inventory();
    inv.apply(change([hold('A00001', 3, 0)]));
    expect(() => inv.setState('A00001', 'unavailable')).toThrow(/A00001 is in use by job 3 stream 0/);
    expect(() => inv.setState('nothing', 'unavailable')).toThrow(/no device or tape "nothing"/);
  });

  it('tracks zones per switch and removes them per job', () => {
    const inv = inventory();
    const zone = { name: 'job4-stream0', jobId: 4, stream: 0, switches: ['switch-1'], members: [{ device: 'switch-1', port: 1 }] };
    inv.apply({ statuses: [], zonesAdded: [zone], zonesRemovedForJobs: [] });
    expect(inv.zonesOn('switch-1')).toEqual([zone]);
    expect(inv.zonesOn('switch-2')).toEqual([]);
    inv.apply({ statuses: [], zonesAdded: [], zonesRemovedForJobs: [4] });
    expect(inv.zones()).toEqual([]);
  });

  it('ignores loaded states of resources the config no longer has', () => {
    const inv = new Inventory(site, { statuses: [hold('old-server', 1, 0)], zones: [], tapes: [{ id: 'A00002', usedBytes: 1024, full: false }] }, { save() {} });
    expect(inv.holders()).toEqual([]);
    expect(inv.tapeUsage('A00002')).toEqual({ id: 'A00002', usedBytes: 1024, full: false, capacity: 256 * 2 ** 20 });
  });
});
