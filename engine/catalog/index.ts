// The catalog: one SQLite database per site (sql.js), kept durable by an fsync'd journal of
// transactions and periodic atomic snapshots, with numbered migrations and a per-site lock.
// It records device states and holders, zones, tapes, schedules [410], jobs, backups,
// fragments [460], the file index and the event log. An interrupted run loses no committed
// transaction: the next open replays the journal and ignores a torn last record.
export type { FileIndexEntry, NewBackup, StoredChunk } from './backups';
export { BrowseRepository, namePatterns, pathComponents, type FindScope, type IndexedEntry } from './browse';
export { Catalog, type CatalogOptions } from './catalog';
export { CatalogDatabase, JOURNAL_FILE, SNAPSHOT_FILE, SUM_FILE, type Row, type RunResult, type Transaction } from './database';
export { CatalogError, CatalogRequestError, NotFoundError, SiteInUseError } from './errors';
export type { NewEvent } from './events';
export { decodeRecords, encodeRecord, type JournalRecord, type SqlValue } from './journal';
export type { NewJob } from './jobs';
export { LOCK_FILE } from './lock';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations';
export type { NewScheduleRun, RunQuery, ScheduleSettings, StoredSchedule } from './schedules';
export { lockSite, RebuildRepository, REBUILD_DIR, replaceCatalog, REPLACED_PREFIX, type RebuiltBackup, type RebuiltFragment, type RebuiltJob, type RebuiltTape } from './rebuild';
