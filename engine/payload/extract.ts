// Extracting entries of a backup stream into a destination directory, fed with the stream's
// bytes in order (only the ranges the selected entries need). Every file is written under a
// temporary name in its final directory and given its name only when complete (a hard link that
// fails if the name is taken, so nothing is ever replaced by accident); a name is never followed
// through a symlink; nothing lands outside the destination. What an interrupted run leaves
// behind: temporary files named `.<name>.mpb-<tag>-<no>.tmp`, never a half-written final name.
// File operations are synchronous: the extractor runs in a mover process of its own, and its
// small metadata calls (fchmod, link, ...) would otherwise wait in the thread pool behind the
// large tape reads of the chunks ahead, one after another. Only the final datasyncs are
// asynchronous, many at once.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { encodeHeaders } from './tar';
import type { ListingEntry, TargetKind } from './types';

export type Conflict = 'rename' | 'skip' | 'overwrite';

/** Restored files being datasynced at the same time, while the extraction goes on. */
const SYNC_PARALLEL = 2;

/** An entry to extract, as the catalog's file index knows it, with where it sits in the stream. */
export type ExtractEntry = Omit<ListingEntry, 'parent'>;

export interface EntryOutcome {
  no: number;
  /** The entry's path in the backup. */
  path: string;
  outcome: 'restored' | 'skipped' | 'failed';
  /** Where it went, relative to the destination, when not where it was. */
  renamedTo: string | null;
  reason: string | null;
}

interface Active {
  entry: ExtractEntry;
  /** Header bytes gathered so far (directory and file entries of a tar stream). */
  header: Buffer[];
  headerBytes: number;
  fd: number | null;
  tmp: string | null;
  written: number;
}

/** Why a path from a backup cannot be used as a path under a destination, or null. */
export function unsafePath(relative: string): string | null {
  if (relative === '' || relative.includes('\0')) return 'an empty name or a NUL byte';
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) return 'an absolute path';
  if (relative.includes('\\')) return 'a backslash in the name';
  const parts = relative.split('/');
  if (parts.some((p) => p === '..')) return 'a ".." component';
  if (parts.some((p) => p === '' || p === '.')) return 'an empty or "." component';
  return null;
}

export class Extractor {
  private readonly entries: ExtractEntry[];
  private next = 0;
  private readonly active: Active[] = [];
  /** Where each directory of the backup went (relative to the destination), when it was restored or created. */
  private readonly placed = new Map<string, string>();
  /** Directories that could not be placed: their contents fail too. */
  private readonly blocked = new Map<string, string>();
  private readonly directories: Array<{ at: string; entry: ExtractEntry }> = [];
  private readonly syncs = new Syncs();
  private readonly tmps = new Set<string>();

  constructor(
    private readonly destination: string,
    entries: readonly ExtractEntry[],
    private readonly kind: TargetKind,
    private readonly conflict: Conflict,
    private readonly tag: string,
    private readonly report: (outcome: EntryOutcome) => void,
  ) {
    this.entries = [...entries].sort((a, b) => a.offset - b.offset);
    this.placed.set('', '');
  }

  /** The ranges of the stream the entries need: headers and data. */
  static needs(entry: ExtractEntry): { from: number; to: number } {
    return { from: entry.offset, to: entry.dataOffset + entry.size };
  }

  /** Stream bytes starting at `offset`; calls come in increasing offset order. */
  feed(offset: number, bytes: Buffer): void {
    const end = offset + bytes.length;
    this.admit(end);
    for (const a of [...this.active]) {
      const { from, to } = Extractor.needs(a.entry);
      const lo = Math.max(from, offset);
      const hi = Math.min(to, end);
      if (lo >= hi && !(from === to && from >= offset && from <= end)) continue;
      try {
        this.take(a, lo, bytes.subarray(lo - offset, Math.max(hi, lo) - offset));
        if (hi >= to) this.complete(a);
      } catch (error) {
        this.fail(a, (error as Error).message);
      }
    }
  }

  /** Stream bytes [offset, offset + length) cannot be read: the entries that need them fail. */
  lose(offset: number, length: number, reason: string): void {
    const end = offset + length;
    this.admit(end);
    for (const a of [...this.active]) {
      const { from, to } = Extractor.needs(a.entry);
      if (from < end && to > offset) this.fail(a, reason);
    }
  }

  /** After the last bytes: entries never completed fail, directories get their mode and time, files are synced. */
  async finish(): Promise<void> {
    this.admit(Infinity);
    for (const a of [...this.active]) this.fail(a, 'the backup stream ended before the entry did');
    await this.syncs.drain();
    // Deepest first, so setting a directory's time is not undone by restoring into it.
    for (const { at, entry } of this.directories.reverse()) {
      quietly(() => fs.chmodSync(at, entry.mode));
      quietly(() => fs.utimesSync(at, seconds(entry.mtimeMs), seconds(entry.mtimeMs)));
    }
  }

  /** Removes every temporary file still there (after a failure of the whole run). */
  abort(): void {
    for (const a of this.active.splice(0)) closeQuietly(a);
    for (const tmp of this.tmps) fs.rmSync(tmp, { force: true });
    this.tmps.clear();
  }

  /** Entries whose range starts before `end` become active, in stream order. */
  private admit(end: number): void {
    while (this.next < this.entries.length && this.entries[this.next]!.offset <= end) {
      const entry = this.entries[this.next++]!;
      const problem = unsafePath(entry.path);
      if (problem) {
        this.report({ no: entry.no, path: entry.path, outcome: 'failed', renamedTo: null, reason: `refused: ${problem} would lead outside the destination` });
        continue;
      }
      this.active.push({ entry, header: [], headerBytes: 0, fd: null, tmp: null, written: 0 });
    }
  }

  /** Bytes of the entry's range starting at stream offset `at`. */
  private take(a: Active, at: number, bytes: Buffer): void {
    const { entry } = a;
    if (at < entry.dataOffset) {
      const headerPart = bytes.subarray(0, Math.min(bytes.length, entry.dataOffset - at));
      a.header.push(Buffer.from(headerPart));
      a.headerBytes += headerPart.length;
      if (a.headerBytes === entry.dataOffset - entry.offset) this.checkHeader(a);
      bytes = bytes.subarray(headerPart.length);
      at += headerPart.length;
    }
    if (entry.type !== 'file' || bytes.length === 0) return;
    a.fd ??= this.open(a);
    const bytesWritten = fs.writeSync(a.fd, bytes, 0, bytes.length, at - entry.dataOffset);
    if (bytesWritten !== bytes.length) throw new Error(`short write (${bytesWritten} of ${bytes.length} bytes): is the disk full?`);
    a.written += bytes.length;
  }

  /** The stream's headers for the entry must be exactly what the catalog describes. */
  private checkHeader(a: Active): void {
    if (this.kind === 'volume') return;
    const actual = Buffer.concat(a.header);
    if (!actual.equals(encodeHeaders(a.entry))) {
      throw new Error(`the backup stream does not hold this entry at offset ${a.entry.offset} (its tar header differs from the catalog's file index)`);
    }
  }

  private open(a: Active): number {
    const dir = this.parentOf(a.entry);
    a.tmp = path.join(dir, `.${a.entry.name}.mpb-${this.tag}-${a.entry.no}.tmp`);
    this.tmps.add(a.tmp);
    return fs.openSync(a.tmp, 'wx', 0o600);
  }

  private complete(a: Active): void {
    const { entry } = a;
    if (this.kind !== 'volume' && a.headerBytes !== entry.dataOffset - entry.offset) throw new Error('its header was not read');
    this.active.splice(this.active.indexOf(a), 1);
    if (entry.type === 'directory') return this.placeDirectory(entry);
    const dir = this.parentOf(entry);
    if (entry.type === 'symlink') {
      a.tmp = path.join(dir, `.${entry.name}.mpb-${this.tag}-${entry.no}.tmp`);
      this.tmps.add(a.tmp);
      fs.symlinkSync(entry.linkTarget ?? '', a.tmp);
    } else {
      a.fd ??= this.open(a);
      if (a.written !== entry.size) throw new Error(`${a.written} of ${entry.size} bytes were written`);
      fs.fchmodSync(a.fd, entry.mode);
      fs.futimesSync(a.fd, seconds(entry.mtimeMs), seconds(entry.mtimeMs));
      fs.closeSync(a.fd);
      a.fd = null;
    }
    const name = this.place(a.tmp!, dir, entry);
    this.tmps.delete(a.tmp!);
    if (name === null) return;
    const at = path.join(dir, name);
    if (entry.type === 'symlink') quietly(() => fs.lutimesSync(at, seconds(entry.mtimeMs), seconds(entry.mtimeMs)));
    else this.syncs.add(at);
  }

  /**
   * Gives a complete temporary file (or symlink) its name in `dir` by the conflict policy; the
   * name it got, or null when skipped.
   */
  private place(tmp: string, dir: string, entry: ExtractEntry): string | null {
    const relDir = path.relative(this.destination, dir);
    for (let n = 0; ; n++) {
      const name = n === 0 ? entry.name : renamed(entry.name, n);
      const target = path.join(dir, name);
      try {
        fs.linkSync(tmp, target);
        fs.rmSync(tmp, { force: true });
        this.done(entry, n === 0 ? null : path.posix.join(toPosix(relDir), name));
        return name;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw error;
      }
      if (n === 0 && this.conflict === 'skip') {
        fs.rmSync(tmp, { force: true });
        this.report({ no: entry.no, path: entry.path, outcome: 'skipped', renamedTo: null, reason: 'exists' });
        return null;
      }
      if (n === 0 && this.conflict === 'overwrite') {
        if (fs.lstatSync(target).isDirectory()) throw new Error('a directory of that name is in the way');
        fs.renameSync(tmp, target);
        this.done(entry, null);
        return name;
      }
    }
  }

  private placeDirectory(entry: ExtractEntry): void {
    const parent = this.parentOf(entry);
    const relParent = path.relative(this.destination, parent);
    for (let n = 0; ; n++) {
      const name = n === 0 ? entry.name : renamed(entry.name, n);
      const at = path.join(parent, name);
      const existing = lstatOrNull(at);
      if (existing?.isDirectory()) {
        this.placed.set(entry.path, path.posix.join(toPosix(relParent), name));
        this.directories.push({ at, entry });
        return this.done(entry, n === 0 ? null : path.posix.join(toPosix(relParent), name));
      }
      if (!existing) {
        fs.mkdirSync(at, { mode: 0o700 });
        this.placed.set(entry.path, path.posix.join(toPosix(relParent), name));
        this.directories.push({ at, entry });
        return this.done(entry, n === 0 ? null : path.posix.join(toPosix(relParent), name));
      }
      if (this.conflict !== 'rename') {
        const reason = this.conflict === 'skip' ? 'exists (not a directory)' : 'a file of that name is in the way';
        this.blocked.set(entry.path, reason);
        if (this.conflict === 'skip') return this.report({ no: entry.no, path: entry.path, outcome: 'skipped', renamedTo: null, reason });
        throw new Error(reason);
      }
    }
  }

  /**
   * The real directory an entry goes into: its parent as restored (possibly renamed), or created
   * for an entry selected without its parents. Never a symlink.
   */
  private parentOf(entry: ExtractEntry): string {
    const parentPath = path.posix.dirname(entry.path) === '.' ? '' : path.posix.dirname(entry.path);
    const blocked = this.blocked.get(parentPath);
    if (blocked !== undefined) throw new Error(`its directory was not restored: ${blocked}`);
    let rel = this.placed.get(parentPath);
    if (rel === undefined) {
      // Parents not selected are created as plain directories, one level at a time, never through a symlink.
      const grand = this.parentOf({ ...entry, path: parentPath, name: path.posix.basename(parentPath) });
      const at = path.join(grand, path.posix.basename(parentPath));
      const existing = lstatOrNull(at);
      if (!existing) fs.mkdirSync(at, { mode: 0o755 });
      else if (!existing.isDirectory()) throw new Error(`${toPosix(path.relative(this.destination, at))} is in the way and is not a directory`);
      rel = toPosix(path.relative(this.destination, at));
      this.placed.set(parentPath, rel);
    }
    return path.join(this.destination, ...rel.split('/').filter(Boolean));
  }

  private done(entry: ExtractEntry, renamedTo: string | null): void {
    this.report({ no: entry.no, path: entry.path, outcome: 'restored', renamedTo, reason: null });
  }

  private fail(a: Active, reason: string): void {
    const index = this.active.indexOf(a);
    if (index >= 0) this.active.splice(index, 1);
    closeQuietly(a);
    if (a.tmp) {
      fs.rmSync(a.tmp, { force: true });
      this.tmps.delete(a.tmp);
    }
    if (a.entry.type === 'directory') this.blocked.set(a.entry.path, reason);
    this.report({ no: a.entry.no, path: a.entry.path, outcome: 'failed', renamedTo: null, reason });
  }
}

/** `report.pdf` -> `report (restored).pdf`, then `report (restored 2).pdf`, ... */
function renamed(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (restored${n > 1 ? ` ${n}` : ''})${ext}`;
}

/** Seconds for utimes: half a millisecond in, so the time reads back as the same millisecond despite rounding. */
function seconds(mtimeMs: number): number {
  return (Math.floor(mtimeMs) + 0.5) / 1000;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * Datasyncs complete files in the background, a few at a time, so the disk writes restored files
 * back while later ones are extracted; `drain` waits for all of them.
 */
class Syncs {
  private readonly queue: string[] = [];
  private running = 0;
  private idle: Array<() => void> = [];

  add(file: string): void {
    this.queue.push(file);
    if (this.running < SYNC_PARALLEL) void this.work();
  }

  drain(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async work(): Promise<void> {
    this.running++;
    for (let file = this.queue.shift(); file !== undefined; file = this.queue.shift()) {
      const handle = await fsp.open(file, 'r').catch(() => null);
      await handle?.datasync().catch(() => {});
      await handle?.close();
    }
    if (--this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

function closeQuietly(a: Active): void {
  if (a.fd !== null) quietly(() => fs.closeSync(a.fd!));
  a.fd = null;
}

function lstatOrNull(at: string): fs.Stats | null {
  try {
    return fs.lstatSync(at);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Runs a best-effort step (a directory's or a symlink's time and mode): a failure there fails nothing. */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // The entry is restored; only its metadata could not be set.
  }
}
