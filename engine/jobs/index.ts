// Job processors: the backup processor [403] (mirrored and failover modes, spanning, the tape
// catalog records of step 1170) and the restore processor [404] with verification. A job runs from
// reservation to release in one call and reports progress through events; an interrupted job
// is found and cleaned up by the engine's start-up recovery.
export { BackupProcessor } from './backup';
export { cleanInterruptedRestore, RestoreProcessor } from './restore';
export type { JobContext, JobControl } from './context';
export { JobRequestError, JobStateError, NotPermittedError } from './errors';
export { readCopy, ReadbackError } from './readback';
export { PROGRESS_INTERVAL_MS } from './progress';
export { TAPE_CATALOG_FORMAT, type TapeCatalog } from './tape-catalog';
export { targetSize } from './target';
export { rebuildFromVolumes, UNKNOWN_TARGET, type RebuildOptions } from './rebuild';
export { checkFaults } from './faults';
export { libraryDriver } from './libraries';
