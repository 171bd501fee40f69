// The Engine: one open site with its catalog, live inventory and stream allocator. Hosts (the
// command line, the Electron main process, the headless browser host) all drive this object.
import type {
  EventLevel,
  MoverKind,
  PlannedStream,
  ResourceState,
  ResourceStatus,
  SiteView,
  StreamPlan,
  StreamRequestInput,
} from './contract';
import { Allocator } from './allocation';
import { Catalog } from './catalog';
import { Inventory, listTargets, loadSite, type SiteModel } from './site';

export interface EngineOptions {
  /** The clock, for tests. */
  now?: () => Date;
}

/** How many recent jobs the allocator looks back on to spread work over devices. */
export const SPREAD_OVER_JOBS = 50;

export class Engine {
  readonly allocator: Allocator;
  /** Streams of recent jobs per device, the allocator's tie-breaker; null when stale. */
  private recentUse: Map<string, number> | null = null;

  private constructor(
    readonly site: SiteModel,
    readonly catalog: Catalog,
    readonly inventory: Inventory,
    private readonly clock: () => Date,
  ) {
    // Among equally short streams, take the devices recent jobs used least.
    this.allocator = new Allocator(site, inventory, {
      preference: (id) => (this.recentUse ??= catalog.jobs.recentUse(SPREAD_OVER_JOBS)).get(id) ?? 0,
    });
  }

  /**
   * Opens the site in `dir`: validates its config (an invalid one changes nothing), takes the
   * site's lock, opens the catalog, and recovers from an earlier run that stopped abruptly.
   */
  static async open(dir: string, options: EngineOptions = {}): Promise<Engine> {
    const site = loadSite(dir);
    const catalog = await Catalog.open(site.dir);
    try {
      const inventory = new Inventory(site, catalog.inventory.load(), catalog.inventory);
      const engine = new Engine(site, catalog, inventory, options.now ?? (() => new Date()));
      engine.recover();
      return engine;
    } catch (error) {
      catalog.close();
      throw error;
    }
  }

  close(): void {
    this.catalog.close();
  }

  now(): string {
    return this.clock().toISOString();
  }

  /**
   * No job runs when a site is opened, so every job left queued or running is marked
   * interrupted and every reservation still recorded is released.
   */
  private recover(): void {
    const at = this.now();
    for (const jobId of this.catalog.jobs.interruptUnfinished(at)) {
      this.log('warning', `job ${jobId} was interrupted: the manager stopped while it ran`, { jobId });
    }
    for (const jobId of this.inventory.holders()) {
      const released = this.allocator.release(jobId);
      const ids = released.map((s) => s.id).join(', ');
      this.log('warning', `released what job ${jobId} still held after a restart: ${ids || 'its zones'}`, { jobId });
    }
  }

  log(level: EventLevel, message: string, about: { jobId?: number; deviceId?: string } = {}): void {
    this.catalog.events.append({ at: this.now(), level, jobId: about.jobId ?? null, deviceId: about.deviceId ?? null, message });
  }

  describe(): SiteView {
    const inventory = this.inventory;
    return {
      name: this.site.name,
      dir: this.site.dir,
      devices: this.site.devices.map((device) => {
        const { state, holder } = inventory.status(device.id);
        const view = { id: device.id, kind: device.kind, name: device.name, state, holder, ports: device.ports };
        if (device.kind !== 'library') return view;
        const tapes = this.site.tapesOf(device.id).map((tape) => {
          const usage = inventory.tapeUsage(tape.id);
          const status = inventory.status(tape.id);
          return { id: tape.id, state: status.state, holder: status.holder, capacity: usage.capacity, usedBytes: usage.usedBytes, full: usage.full };
        });
        return { ...view, tapes };
      }),
      links: this.site.config.links.map((link) => ({ a: link.a, b: link.b })),
      targets: listTargets(this.site),
      zones: [...inventory.zones()],
    };
  }

  /** The operator marks a device or tape available or unavailable. */
  setState(id: string, state: Exclude<ResourceState, 'in-use'>): ResourceStatus {
    const before = this.inventory.status(id).state;
    const status = this.inventory.setState(id, state);
    if (before !== state) this.log('info', `${id} set ${state} by the operator`, { deviceId: id });
    return status;
  }

  plan(request: StreamRequestInput): StreamPlan {
    return this.allocator.plan(request);
  }

  /** Reserves the streams of a job (which must exist in the catalog) and records them with it. */
  reserve(jobId: number, request: StreamRequestInput): PlannedStream[] {
    const streams = this.allocator.reserve(jobId, request);
    this.catalog.jobs.recordStreams(jobId, streams);
    this.recentUse = null;
    return streams;
  }

  release(jobId: number): ResourceStatus[] {
    return this.allocator.release(jobId);
  }

  /** How many independent streams of this mover kind are possible right now. */
  feasibility(mover: MoverKind): number {
    return this.allocator.feasibility(mover);
  }
}
