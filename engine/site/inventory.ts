// The live inventory: the state and holder of every device and tape, tape fill levels, and the
// zones applied to the switches. Every change is persisted through an InventoryStore first and
// applied in memory only once that succeeded, so what is shown is always what is durable.
import type { Holder, InventoryChange, ResourceState, ResourceStatus, TapeUsage, Zone } from '../contract';
import type { SiteModel } from './model';

/** Where inventory changes are made durable (the catalog). Must be atomic: all or nothing. */
export interface InventoryStore {
  save(change: InventoryChange): void;
}

export interface LoadedInventory {
  statuses: ResourceStatus[];
  zones: Zone[];
  tapes: TapeUsage[];
}

export class InventoryError extends Error {
  override name = 'InventoryError';
}

export type InventoryListener = (change: InventoryChange) => void;

export class Inventory {
  private readonly statusById = new Map<string, ResourceStatus>();
  private readonly usageById = new Map<string, TapeUsage>();
  private zoneList: Zone[];
  private readonly listeners = new Set<InventoryListener>();

  constructor(
    readonly site: SiteModel,
    loaded: LoadedInventory,
    private readonly store: InventoryStore,
  ) {
    this.zoneList = [];
    this.load(loaded);
  }

  /**
   * Takes the states, fills and zones of a catalog made anew (a rebuild, with no job running);
   * every device and tape is reported to the listeners.
   */
  reload(loaded: LoadedInventory): void {
    this.statusById.clear();
    this.usageById.clear();
    this.load(loaded);
    const change: InventoryChange = { statuses: this.statuses(), zonesAdded: [], zonesRemovedForJobs: [] };
    for (const listener of this.listeners) listener(change);
  }

  private load(loaded: LoadedInventory): void {
    // States of resources no longer in the config are dropped; they cannot be held or shown.
    for (const status of loaded.statuses) if (this.site.has(status.id)) this.statusById.set(status.id, status);
    for (const usage of loaded.tapes) if (this.site.tape(usage.id)) this.usageById.set(usage.id, usage);
    this.zoneList = loaded.zones.slice();
  }

  status(id: string): ResourceStatus {
    return this.statusById.get(id) ?? { id, state: 'available', holder: null };
  }

  isAvailable(id: string): boolean {
    return this.status(id).state === 'available';
  }

  /** Every device and tape with its state, devices first in config order. */
  statuses(): ResourceStatus[] {
    const ids = [...this.site.devices.map((d) => d.id), ...[...this.site.tapes].map((t) => t.id)];
    return ids.map((id) => this.status(id));
  }

  /** Resources held by a job, in config order. */
  heldBy(jobId: number): ResourceStatus[] {
    return this.statuses().filter((s) => s.holder?.jobId === jobId);
  }

  /** Ids of the jobs that hold anything. */
  holders(): number[] {
    const jobs = new Set<number>();
    for (const s of this.statusById.values()) if (s.holder) jobs.add(s.holder.jobId);
    for (const z of this.zoneList) jobs.add(z.jobId);
    return [...jobs].sort((a, b) => a - b);
  }

  tapeUsage(id: string): TapeUsage & { capacity: number } {
    const capacity = this.site.tape(id)?.capacity ?? 0;
    return { ...(this.usageById.get(id) ?? { id, usedBytes: 0, full: false }), capacity };
  }

  /** Records a tape's fill once the catalog has made it durable (data written, tape full). */
  noteTapeUsage(usage: TapeUsage): void {
    if (!this.site.tape(usage.id)) throw new InventoryError(`no tape "${usage.id}" in this site`);
    this.usageById.set(usage.id, { id: usage.id, usedBytes: usage.usedBytes, full: usage.full });
  }

  zones(): readonly Zone[] {
    return this.zoneList;
  }

  /** The zones active on one switch. */
  zonesOn(switchId: string): Zone[] {
    return this.zoneList.filter((z) => z.switches.includes(switchId));
  }

  onChange(listener: InventoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a change atomically: it is checked against the current state (a resource never gets
   * a second holder), persisted, and only then applied in memory.
   */
  apply(change: InventoryChange): void {
    for (const next of change.statuses) {
      if (!this.site.has(next.id)) throw new InventoryError(`no device or tape "${next.id}" in this site`);
      const current = this.status(next.id);
      if (next.holder && current.holder && !sameHolder(next.holder, current.holder)) {
        throw new InventoryError(`${next.id} is already in use by ${describeHolder(current.holder)}`);
      }
      if (next.holder && current.state === 'unavailable') {
        throw new InventoryError(`${next.id} is unavailable`);
      }
    }
    this.store.save(change);
    for (const next of change.statuses) {
      if (next.state === 'available') this.statusById.delete(next.id);
      else this.statusById.set(next.id, next);
    }
    if (change.zonesRemovedForJobs.length > 0) {
      const gone = new Set(change.zonesRemovedForJobs);
      this.zoneList = this.zoneList.filter((z) => !gone.has(z.jobId));
    }
    this.zoneList.push(...change.zonesAdded);
    for (const listener of this.listeners) listener(change);
  }

  /** The operator's state change of a device or tape. A resource in use keeps its holder. */
  setState(id: string, state: Exclude<ResourceState, 'in-use'>): ResourceStatus {
    if (!this.site.has(id)) throw new InventoryError(`no device or tape "${id}" in this site`);
    const current = this.status(id);
    if (current.holder) {
      throw new InventoryError(
        `${id} is in use by ${describeHolder(current.holder)}; change its state when the job has released it`,
      );
    }
    const next: ResourceStatus = { id, state, holder: null };
    if (current.state !== state) this.apply({ statuses: [next], zonesAdded: [], zonesRemovedForJobs: [] });
    return next;
  }
}

export function sameHolder(a: Holder, b: Holder): boolean {
  return a.jobId === b.jobId && a.stream === b.stream;
}

export function describeHolder(holder: Holder): string {
  return `job ${holder.jobId} stream ${holder.stream}`;
}
