// engine/payload: the byte-addressable backup stream of a target. A target (directory, file or
// volume) is listed once; from the listing any byte range of its POSIX pax tar stream (or raw
// image) can be produced by any process at any time, so a second mover can continue exactly
// where a failed one stopped. Only the listing file is ever written (atomically) — and, in a
// restore, the extracted entries, each under a temporary name until complete (extract.ts).
export type { FileChange, Listing, ListingEntry, TargetKind } from './types';
export { takeListing } from './listing';
export { readListing, writeListing } from './listing-file';
export { StreamReader } from './reader';
export { Extractor, unsafePath, type Conflict, type EntryOutcome, type ExtractEntry } from './extract';
export { headerLength } from './tar';
export { parseTar, TarFormatError, TarParser, type TarEntry } from './untar';
