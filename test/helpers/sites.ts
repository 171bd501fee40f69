// Small hand-made sites for allocation tests: devices by kind, links as device pairs (ports are
// numbered in the order links are listed), and an inventory over an in-memory store.
import type { InventoryChange, ResourceState } from '../../engine/contract';
import { Inventory, SiteModel, validateSiteConfig, type InventoryStore, type LoadedInventory, type SiteConfigInput } from '../../engine/site';

export interface SiteSketch {
  storage?: string[];
  hosts?: string[];
  servers?: string[];
  copies?: string[];
  /** Library id -> its tape ids. */
  libraries?: Record<string, string[]>;
  switches?: string[];
  links: [string, string][];
}

export function sketchConfig(sketch: SiteSketch): SiteConfigInput {
  const ports = new Map<string, number>();
  const links = sketch.links.map(([a, b]) => {
    const pa = ports.get(a) ?? 0;
    ports.set(a, pa + 1);
    const pb = ports.get(b) ?? 0;
    ports.set(b, pb + 1);
    return { a: `${a}:${pa}`, b: `${b}:${pb}` };
  });
  const portsOf = (id: string) => Math.max(1, ports.get(id) ?? 0);
  const devices: SiteConfigInput['devices'] = [
    ...(sketch.hosts ?? []).map((id) => ({ kind: 'host' as const, id, name: id, ports: portsOf(id) })),
    ...(sketch.storage ?? []).map((id) => ({ kind: 'storage' as const, id, name: id, ports: portsOf(id), root: id })),
    ...(sketch.servers ?? []).map((id) => ({ kind: 'backup-server' as const, id, name: id, ports: portsOf(id) })),
    ...(sketch.copies ?? []).map((id) => ({ kind: 'copy-device' as const, id, name: id, ports: portsOf(id) })),
    ...Object.entries(sketch.libraries ?? {}).map(([id, tapes]) => ({
      kind: 'library' as const,
      id,
      name: id,
      ports: portsOf(id),
      dir: id,
      tapes: tapes.map((tape) => ({ id: tape })),
    })),
    ...(sketch.switches ?? []).map((id) => ({ kind: 'switch' as const, id, name: id, ports: portsOf(id) })),
  ];
  return { format: 'mpbackup-site', version: 1, name: 'test site', devices, links };
}

export interface TestSite {
  site: SiteModel;
  inventory: Inventory;
  /** Every change the store saved. */
  saved: InventoryChange[];
  /** Makes the store's next saves fail (true) or succeed again (false). */
  failSaves(fail: boolean): void;
}

export function siteOf(config: SiteConfigInput, loaded: LoadedInventory = { statuses: [], zones: [], tapes: [] }): TestSite {
  const site = new SiteModel(validateSiteConfig(config), '/test-site');
  const saved: InventoryChange[] = [];
  let failing = false;
  const store: InventoryStore = {
    save(change) {
      if (failing) throw new Error('the catalog cannot be written');
      saved.push(change);
    },
  };
  const inventory = new Inventory(site, loaded, store);
  return { site, inventory, saved, failSaves: (fail) => (failing = fail) };
}

export function sketchSite(sketch: SiteSketch, loaded?: LoadedInventory): TestSite {
  return siteOf(sketchConfig(sketch), loaded);
}

/** Marks a resource in use by a job that is not the allocator's, or sets its state. */
export function setState(inventory: Inventory, id: string, state: ResourceState, holder?: { jobId: number; stream: number }): void {
  if (state === 'in-use') {
    inventory.apply({ statuses: [{ id, state, holder: holder ?? { jobId: 99, stream: 0 } }], zonesAdded: [], zonesRemovedForJobs: [] });
  } else {
    inventory.setState(id, state);
  }
}

/** Every state and holder, and the zones: compare two snapshots to see that nothing changed. */
export function snapshot(inventory: Inventory) {
  return { statuses: inventory.statuses(), zones: [...inventory.zones()] };
}
