// The Allocator: plans and reserves k independent streams for a job, and releases them. A plan
// only reads the inventory; a reservation is that same plan applied in one atomic inventory
// change, so a failure (no plan, a store that cannot save) changes nothing.
import { MAX_STREAMS, type MoverKind, type PlannedStream, type ResourceStatus, type StreamPlan, type StreamRequestInput } from '../contract';
import type { Inventory, SiteModel } from '../site';
import { AllocationError } from './errors';
import { SanGraph } from './graph';
import { countStreams, planStreams, type Planner } from './planner';
import { planReader, type ReaderRequest, type ReservedReader } from './readers';
import { parseRequest, resolveRequest } from './request';
import type { Preference } from './view';
import { rankTapes } from './tapes';
import { zoneOf } from './zoning';

export interface AllocatorOptions {
  /** Tie-breaker among equally short streams; lower is preferred (e.g. recent use). Default 0. */
  preference?: Preference;
  /** Work one search may do before it gives up and says so (default 5,000,000 steps). */
  searchBudget?: number;
}

const DEFAULT_SEARCH_BUDGET = 5_000_000;

export class Allocator {
  private readonly planner: Planner;
  private readonly preference: Preference;

  constructor(
    readonly site: SiteModel,
    readonly inventory: Inventory,
    options: AllocatorOptions = {},
  ) {
    this.preference = options.preference ?? (() => 0);
    this.planner = {
      graph: new SanGraph(site),
      site,
      inventory,
      preference: this.preference,
      searchBudget: options.searchBudget ?? DEFAULT_SEARCH_BUDGET,
    };
  }

  /** The streams `reserve` would take now, or why there are not enough. Changes nothing. */
  /** Throws StreamRequestError when a request is wrong in itself (whatever is available now). */
  check(request: StreamRequestInput): void {
    resolveRequest(this.planner.graph, this.planner.site, parseRequest(request));
  }

  plan(request: StreamRequestInput): StreamPlan {
    return planStreams(this.planner, parseRequest(request));
  }

  /**
   * Takes exactly what `plan` returns: every stream's mover, library, tape and switches become in
   * use by (jobId, stream), and each stream gets its zone, in one inventory change.
   */
  reserve(jobId: number, request: StreamRequestInput): PlannedStream[] {
    if (!Number.isInteger(jobId) || jobId <= 0) throw new AllocationError(`a job id is a positive whole number, not ${jobId}`);
    if (this.inventory.holders().includes(jobId)) {
      throw new AllocationError(`job ${jobId} already holds resources; release them before reserving again`);
    }
    const plan = this.plan(request);
    if (!plan.feasible) throw new AllocationError(plan.reason ?? 'not enough independent streams', plan);
    const statuses: ResourceStatus[] = plan.streams.flatMap((stream) =>
      [stream.mover, stream.library, stream.tape, ...stream.switches].map((id) => ({
        id,
        state: 'in-use' as const,
        holder: { jobId, stream: stream.stream },
      })),
    );
    const zonesAdded = plan.streams.map((stream) => zoneOf(jobId, stream));
    this.inventory.apply({ statuses, zonesAdded, zonesRemovedForJobs: [] });
    return plan.streams;
  }

  /**
   * Spanning: another tape of the same library for a stream whose tape is full. The tape becomes
   * in use by the same job and stream; null when the library has no tape that can take data.
   */
  nextTape(jobId: number, stream: number, library: string): string | null {
    const tape = rankTapes(this.inventory, this.site.tapesOf(library).map((t) => t.id))[0];
    if (tape === undefined) return null;
    this.inventory.apply({ statuses: [{ id: tape, state: 'in-use', holder: { jobId, stream } }], zonesAdded: [], zonesRemovedForJobs: [] });
    return tape;
  }

  /** The mover and switches a restore or verification would read with now (AllocationError when none). */
  planReader(request: ReaderRequest): ReservedReader {
    return planReader(this.planner.graph, this.site, this.inventory, request, this.preference);
  }

  /** Takes what `planReader` returns: mover, libraries, tapes and switches in use by (jobId, stream 0). */
  reserveReader(jobId: number, request: ReaderRequest): ReservedReader {
    if (this.inventory.holders().includes(jobId)) throw new AllocationError(`job ${jobId} already holds resources; release them before reserving again`);
    const reader = this.planReader(request);
    const statuses: ResourceStatus[] = [reader.mover, ...reader.libraries, ...reader.tapes, ...reader.switches].map((id) => ({
      id,
      state: 'in-use' as const,
      holder: { jobId, stream: 0 },
    }));
    this.inventory.apply({ statuses, zonesAdded: [], zonesRemovedForJobs: [] });
    return reader;
  }

  /** Everything the job holds becomes available again and its zones are removed. */
  release(jobId: number): ResourceStatus[] {
    const released: ResourceStatus[] = this.inventory.heldBy(jobId).map((s) => ({ id: s.id, state: 'available', holder: null }));
    const zoned = this.inventory.zones().some((zone) => zone.jobId === jobId);
    if (released.length === 0 && !zoned) return [];
    this.inventory.apply({ statuses: released, zonesAdded: [], zonesRemovedForJobs: zoned ? [jobId] : [] });
    return released;
  }

  /** How many independent streams of this mover kind are possible right now (at most MAX_STREAMS). */
  feasibility(mover: MoverKind, storage?: string): number {
    const request = parseRequest({ mover, storage });
    return countStreams(this.planner, request, MAX_STREAMS);
  }
}
