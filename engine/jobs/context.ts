// What a job processor needs from the engine that runs it: the site, its catalog and live
// inventory, the allocator, the clock, the event log and the watchers of job events; and where a
// running job registers what can be done to it while it runs.
import type { EventLevel, JobEvent, LiveFault, PlannedStream, StreamRequestInput } from '../contract';
import type { Allocator } from '../allocation';
import type { Catalog } from '../catalog';
import type { MoverPool } from '../movers';
import type { Inventory, SiteModel } from '../site';

/** What can be done to a job while it runs. */
export interface JobControl {
  /** Stops the job: its movers are fenced, what it holds released; it ends cancelled. */
  cancel(): void;
  /** A fault on one of its devices, now (demo sites): the streams it reached. */
  inject(fault: LiveFault): number[];
  /** Settles once the job has ended and its end is recorded. */
  readonly ended: Promise<void>;
}

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
  /** Registers a job while it runs; returns the function that unregisters it. */
  track(jobId: number, control: JobControl): () => void;
  /** Throws JobStateError when no new job may start now (the site is being changed); called before a job is recorded. */
  admit(): void;
}

/** Runs a job's body with the job registered (see JobControl) until it has ended. */
export async function whileTracked<T>(ctx: JobContext, jobId: number, control: Omit<JobControl, 'ended'>, body: () => Promise<T>): Promise<T> {
  let end!: () => void;
  const untrack = ctx.track(jobId, { ...control, ended: new Promise<void>((resolve) => (end = resolve)) });
  try {
    return await body();
  } finally {
    untrack();
    end();
  }
}
