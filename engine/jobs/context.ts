// What a job processor needs from the engine that runs it: the site, its catalog and live
// inventory, the allocator, the clock, the event log and the watchers of job events.
import type { EventLevel, JobEvent, PlannedStream, StreamRequestInput } from '../contract';
import type { Allocator } from '../allocation';
import type { Catalog } from '../catalog';
import type { MoverPool } from '../movers';
import type { Inventory, SiteModel } from '../site';

export interface JobContext {
  site: SiteModel;
  catalog: Catalog;
  inventory: Inventory;
  allocator: Allocator;
  /** Where a job gets its mover processes. */
  movers: MoverPool;
  now(): string;
  log(level: EventLevel, message: string, about?: { jobId?: number; deviceId?: string }): void;
  emit(event: JobEvent): void;
  /** Reserves a job's streams and records them with the job (AllocationError when not enough). */
  reserve(jobId: number, request: StreamRequestInput): PlannedStream[];
}
