// The backup engine's composition root: builds an Engine for a site directory from the site
// model, the catalog and the allocator. Hosts import the engine from here and nothing deeper.
export { Engine, WARM_MOVERS, type EngineOptions, type JobListener, type ScheduleListener } from './engine';
export { describeSchedule, instantOf, machineTimeZone, ScheduleNotFoundError, ScheduleRequestError, Scheduler, systemClock, type Clock, type SchedulerOptions, type TimerHandle } from './schedule';
export { JobRequestError, JobStateError, NotPermittedError, readCopy, ReadbackError, TAPE_CATALOG_FORMAT } from './jobs';
export { initSite, SiteExistsError, type InitOptions } from './init';
export { SiteSession, type EngineBinding, type SessionOptions } from './session';
export { rebuildCatalog } from './rebuild';
export type { RebuildOptions } from './jobs';
export { AllocationError } from './allocation';
export { CatalogError, CatalogRequestError, NotFoundError, SiteInUseError } from './catalog';
export { DEMO_DEFAULT_SIZE, DEMO_MIN_SIZE, defaultSiteDir, InventoryError, SiteConfigError } from './site';
export { formatSize, parseSize } from './contract';
export { writeFileAtomic } from './durable';
