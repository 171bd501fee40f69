// Taking a target's listing: the deterministic walk of a directory (entries sorted by the UTF-8
// bytes of their names, depth first, each directory before its contents), a single file, or a
// volume image; and the stream layout computed from it (where each entry's headers and data
// sit). Reads metadata only; writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { headerLength, padded, TRAILER } from './tar';
import type { Listing, ListingEntry, TargetKind } from './types';
import { volumeSize } from './volume';

/** lstat calls issued at once while listing a directory. */
const STAT_BATCH = 256;

/** Walks the source and computes the layout. `now` for tests. */
export async function takeListing(source: string, kind: TargetKind, options: { now?: () => Date } = {}): Promise<Listing> {
  const takenAt = (options.now ?? (() => new Date()))().toISOString();
  const root = path.resolve(source);
  const stats = await fs.promises.stat(root);
  const skipped: Listing['skipped'] = [];
  const entries: ListingEntry[] = [];
  const single = (size: number): ListingEntry => {
    const name = path.basename(root);
    return { no: 0, parent: null, path: name, name, type: 'file', size, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o7777, offset: 0, dataOffset: 0 };
  };
  if (kind === 'directory') {
    if (!stats.isDirectory()) throw new Error(`not a directory: ${root}`);
    await walk(root, '', null, entries, skipped);
  } else if (kind === 'file') {
    if (!stats.isFile()) throw new Error(`not a regular file: ${root}`);
    entries.push(single(stats.size));
  } else {
    entries.push(single(volumeSize(root, stats)));
  }
  const size = layOut(kind, entries);
  return { kind, source: root, takenAt, size, entries, skipped };
}

/** Sets every entry's offset and dataOffset (placeholders until then); returns the stream size. */
export function layOut(kind: TargetKind, entries: ListingEntry[]): number {
  if (kind === 'volume') {
    const image = entries[0]!;
    image.offset = 0;
    image.dataOffset = 0;
    return image.size;
  }
  let offset = 0;
  for (const entry of entries) {
    entry.offset = offset;
    entry.dataOffset = offset + headerLength(entry);
    offset = entry.dataOffset + padded(entry.size);
  }
  return offset + TRAILER;
}

/** What is inconsistent in a listing (numbering, tree, layout), or null if nothing is. */
export function layoutProblem(listing: Listing): string | null {
  const { kind, entries } = listing;
  if (kind === 'volume' && (entries.length !== 1 || entries[0]!.type !== 'file')) return 'a volume listing has exactly one file entry';
  if (kind === 'file' && (entries.length !== 1 || entries[0]!.type !== 'file')) return 'a file listing has exactly one file entry';
  for (const [i, entry] of entries.entries()) {
    const where = `entry ${i} (${entry.path})`;
    if (entry.no !== i) return `${where} is numbered ${entry.no}`;
    if (entry.parent !== null && !(entry.parent < i && entries[entry.parent]!.type === 'directory')) {
      return `${where} has parent ${entry.parent}, which is not an earlier directory`;
    }
    if (entry.type !== 'file' && entry.size !== 0) return `${where} is a ${entry.type} with data`;
    if ((entry.type === 'symlink') !== (entry.linkTarget !== undefined)) return `${where}: only symlinks have a link target`;
  }
  const expected = entries.map((entry) => ({ ...entry }));
  const size = layOut(kind, expected);
  for (const [i, entry] of expected.entries()) {
    const actual = entries[i]!;
    if (actual.offset !== entry.offset || actual.dataOffset !== entry.dataOffset) {
      return `entry ${i} (${actual.path}) is at ${actual.offset}/${actual.dataOffset}, the layout puts it at ${entry.offset}/${entry.dataOffset}`;
    }
  }
  return size === listing.size ? null : `the stream size is ${listing.size}, the layout gives ${size}`;
}

/** Appends the contents of directory `dir` (archive path `prefix`) to `entries`, depth first. */
async function walk(dir: string, prefix: string, parent: number | null, entries: ListingEntry[], skipped: Listing['skipped']): Promise<void> {
  let raw: Buffer[];
  try {
    raw = await fs.promises.readdir(dir, { encoding: 'buffer' });
  } catch (error) {
    // A subdirectory removed since it was listed simply has no contents.
    if (parent !== null && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`cannot read directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  raw.sort(Buffer.compare);
  const names: string[] = [];
  for (const bytes of raw) {
    const name = bytes.toString('utf8');
    if (Buffer.from(name, 'utf8').equals(bytes)) names.push(name);
    else skipped.push({ path: prefix + name, reason: 'name is not valid UTF-8' });
  }
  const stats: Array<fs.Stats | null> = [];
  for (let i = 0; i < names.length; i += STAT_BATCH) {
    const batch = names.slice(i, i + STAT_BATCH).map((name) =>
      fs.promises.lstat(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw new Error(`cannot stat ${path.join(dir, name)}: ${error.message}`, { cause: error });
      }),
    );
    stats.push(...(await Promise.all(batch)));
  }
  for (const [i, name] of names.entries()) {
    const stat = stats[i]!;
    const relative = prefix + name;
    const absolute = path.join(dir, name);
    if (stat === null) {
      skipped.push({ path: relative, reason: 'vanished while listing' });
      continue;
    }
    const entry: ListingEntry = { no: entries.length, parent, path: relative, name, type: 'file', size: 0, mtimeMs: stat.mtimeMs, mode: stat.mode & 0o7777, offset: 0, dataOffset: 0 };
    if (stat.isFile()) {
      entries.push({ ...entry, size: stat.size });
    } else if (stat.isDirectory()) {
      entries.push({ ...entry, type: 'directory' });
      await walk(absolute, `${relative}/`, entry.no, entries, skipped);
    } else if (stat.isSymbolicLink()) {
      const target = await readLink(absolute);
      if (typeof target === 'string') entries.push({ ...entry, type: 'symlink', linkTarget: target });
      else skipped.push({ path: relative, reason: target.reason });
    } else {
      skipped.push({ path: relative, reason: kindOf(stat) });
    }
  }
}

async function readLink(file: string): Promise<string | { reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readlink(file, { encoding: 'buffer' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { reason: 'vanished while listing' };
    throw new Error(`cannot read symlink ${file}: ${(error as Error).message}`, { cause: error });
  }
  const target = bytes.toString('utf8');
  return Buffer.from(target, 'utf8').equals(bytes) ? target : { reason: 'link target is not valid UTF-8' };
}

function kindOf(stat: fs.Stats): string {
  if (stat.isSocket()) return 'socket';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isCharacterDevice()) return 'character device';
  return 'unsupported file type';
}
