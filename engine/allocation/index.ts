// Resource selector [401] and path selector [402]: given the live inventory, find k independent
// streams (a mover, a library, a tape and a switch path storage -> mover -> library each, no
// device shared between streams), reserve them for a job in one atomic inventory change with a
// zone per stream, and release them; and reserve the reader of a restore (readers.ts). Nothing
// here talks to devices; an interrupted run leaves only what the inventory made durable (whole
// reservations or none).
export { Allocator, type AllocatorOptions } from './allocator';
export { AllocationError, StreamRequestError } from './errors';
export type { ReaderRequest, ReservedReader } from './readers';
export type { Preference } from './view';
