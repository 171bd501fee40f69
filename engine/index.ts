// The backup engine's composition root: builds an Engine for a site directory from the site
// model, the catalog and the allocator. Hosts import the engine from here and nothing deeper.
export { Engine, type EngineOptions } from './engine';
export { initSite, SiteExistsError, type InitOptions } from './init';
export { AllocationError } from './allocation';
export { CatalogError, SiteInUseError } from './catalog';
export { DEMO_DEFAULT_SIZE, DEMO_MIN_SIZE, defaultSiteDir, formatSize, InventoryError, parseSize, SiteConfigError } from './site';
