// Byte ranges of a target's stream, produced from its listing alone: headers are rebuilt for the
// entries a range touches, file data is read straight into the output buffer. A file that no
// longer matches the listing (size, mtime, vanished, short read, changed while read) yields zeros
// for its data, so the layout never shifts, and is reported as a FileChange. Keeps no files open
// between calls.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { encodeHeaders, padded, TRAILER } from './tar';
import type { FileChange, Listing, ListingEntry } from './types';
import { volumeSize } from './volume';

/** Files read at once within one range. */
const CONCURRENCY = 8;
/**
 * Reads up to this size use synchronous calls: for small files the thread-pool round trips of
 * async calls cost ~8x the work itself (about 60 us against 8 us per file with a warm cache).
 */
const SYNC_READ_LIMIT = 64 * 1024;

/** The file calls a read needs, by descriptor; sync or async. */
interface FileIo {
  open(file: string): number | Promise<number>;
  stat(fd: number): fs.Stats | Promise<fs.Stats>;
  read(fd: number, target: Buffer, offset: number, length: number, position: number): number | Promise<number>;
  close(fd: number): void | Promise<void>;
}

const syncIo: FileIo = {
  open: (file) => fs.openSync(file, 'r'),
  stat: (fd) => fs.fstatSync(fd),
  read: (fd, target, offset, length, position) => fs.readSync(fd, target, offset, length, position),
  close: (fd) => fs.closeSync(fd),
};

const openAsync = promisify(fs.open);
const asyncIo: FileIo = {
  open: (file) => openAsync(file, 'r'),
  stat: promisify(fs.fstat),
  read: (fd, target, offset, length, position) =>
    new Promise((resolve, reject) => fs.read(fd, target, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)))),
  close: promisify(fs.close),
};

export class StreamReader {
  readonly #listing: Listing;
  /** Entry offsets, for the binary search of a range's first entry. */
  readonly #offsets: Float64Array;
  #closed = false;

  constructor(listing: Listing) {
    this.#listing = listing;
    this.#offsets = Float64Array.from(listing.entries, (entry) => entry.offset);
  }

  /** Exactly `length` bytes (clamped to the stream end) starting at `offset`, plus the changes seen. `into` lets callers reuse a buffer. */
  async read(offset: number, length: number, into?: Buffer): Promise<{ bytes: Buffer; changes: FileChange[] }> {
    if (this.#closed) throw new Error(`stream reader of ${this.#listing.source} is closed`);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid range: offset ${offset}, length ${length}`);
    }
    const start = Math.min(offset, this.#listing.size);
    const count = Math.min(offset + length, this.#listing.size) - start;
    if (into && into.length < count) throw new RangeError(`a buffer of ${into.length} bytes cannot hold ${count}`);
    const bytes = into ? into.subarray(0, count) : Buffer.allocUnsafe(count);
    const changes: FileChange[] = [];
    if (count > 0 && this.#listing.kind === 'volume') await this.#readVolume(bytes, start, changes);
    else if (count > 0) await this.#readTar(bytes, start, changes);
    changes.sort((a, b) => a.no - b.no);
    return { bytes, changes };
  }

  /** Nothing stays open between reads, so this only refuses later reads. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Fills `bytes` with the tar stream from `start`: every byte is written (headers, data, zeros). */
  async #readTar(bytes: Buffer, start: number, changes: FileChange[]): Promise<void> {
    const end = start + bytes.length;
    const { entries, size } = this.#listing;
    const reads: Array<() => Promise<void>> = [];
    for (let i = this.#firstEntry(start); i < entries.length && entries[i]!.offset < end; i++) {
      const entry = entries[i]!;
      if (entry.dataOffset > start) {
        const from = Math.max(start, entry.offset);
        const to = Math.min(end, entry.dataOffset);
        encodeHeaders(entry).copy(bytes, from - start, from - entry.offset, to - entry.offset);
      }
      const dataEnd = entry.dataOffset + entry.size;
      const from = Math.max(start, entry.dataOffset);
      const to = Math.min(end, dataEnd);
      if (from < to) reads.push(() => this.#readFile(entry, bytes.subarray(from - start, to - start), from - entry.dataOffset, changes));
      const padFrom = Math.max(start, dataEnd);
      const padTo = Math.min(end, entry.dataOffset + padded(entry.size));
      if (padFrom < padTo) bytes.fill(0, padFrom - start, padTo - start);
    }
    if (end > size - TRAILER) bytes.fill(0, Math.max(start, size - TRAILER) - start);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < reads.length) await reads[next++]!();
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, reads.length) }, worker));
  }

  /** Index of the last entry starting at or before `offset` (0 if there is none). */
  #firstEntry(offset: number): number {
    let low = 0;
    let high = this.#offsets.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.#offsets[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Reads `target.length` data bytes of a file from `position`, or zeros and a change. */
  async #readFile(entry: ListingEntry, target: Buffer, position: number, changes: FileChange[]): Promise<void> {
    const file = this.#listing.kind === 'directory' ? path.join(this.#listing.source, entry.path) : this.#listing.source;
    const problem = await readChecked(file, entry, target, position);
    if (problem) {
      target.fill(0);
      changes.push({ no: entry.no, path: entry.path, ...problem });
    }
  }

  /** Reads raw image bytes; a size that differs from the listing is reported, never read past. */
  async #readVolume(bytes: Buffer, start: number, changes: FileChange[]): Promise<void> {
    const image = this.#listing.entries[0]!;
    const report = (reason: FileChange['reason'], detail: string) => changes.push({ no: image.no, path: image.path, reason, detail });
    let fd: number;
    try {
      fd = await asyncIo.open(this.#listing.source);
    } catch (error) {
      bytes.fill(0);
      report(...openFailure(error));
      return;
    }
    try {
      const size = volumeSize(this.#listing.source, await asyncIo.stat(fd));
      if (size !== image.size) report('changed', `size ${image.size} -> ${size}`);
      bytes.fill(0, await readFully(asyncIo, fd, bytes, start));
    } catch (error) {
      bytes.fill(0);
      report('changed', `cannot read: ${(error as Error).message}`);
    } finally {
      await asyncIo.close(fd);
    }
  }
}

/** Reads a file's bytes after checking it still matches its entry; what went wrong, or null. */
async function readChecked(
  file: string,
  entry: ListingEntry,
  target: Buffer,
  position: number,
): Promise<Pick<FileChange, 'reason' | 'detail'> | null> {
  const io = target.length <= SYNC_READ_LIMIT ? syncIo : asyncIo;
  let fd: number;
  try {
    fd = await io.open(file);
  } catch (error) {
    const [reason, detail] = openFailure(error);
    return { reason, detail };
  }
  try {
    const before = mismatch(entry, await io.stat(fd));
    if (before) return { reason: 'changed', detail: before };
    const done = await readFully(io, fd, target, position);
    if (done < target.length) return { reason: 'changed', detail: `file ends at byte ${position + done}, listed size ${entry.size}` };
    const after = mismatch(entry, await io.stat(fd));
    return after ? { reason: 'changed', detail: `while reading: ${after}` } : null;
  } catch (error) {
    return { reason: 'changed', detail: `cannot read: ${(error as Error).message}` };
  } finally {
    await io.close(fd);
  }
}

function openFailure(error: unknown): [FileChange['reason'], string] {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ENOENT' ? ['vanished', 'no longer exists'] : ['changed', `cannot open: ${message}`];
}

/** How a file's stat differs from its entry, or null. */
function mismatch(entry: ListingEntry, stats: fs.Stats): string | null {
  if (!stats.isFile()) return 'no longer a regular file';
  if (stats.size !== entry.size) return `size ${entry.size} -> ${stats.size}`;
  if (stats.mtimeMs !== entry.mtimeMs) return `mtime ${new Date(entry.mtimeMs).toISOString()} -> ${new Date(stats.mtimeMs).toISOString()}`;
  return null;
}

/** Reads until `target` is full or the file ends; the bytes read. */
async function readFully(io: FileIo, fd: number, target: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const bytesRead = await io.read(fd, target, done, target.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
