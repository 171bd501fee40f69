// Reading a tar stream back: an incremental parser of what tar.ts writes (POSIX ustar headers,
// each preceded when needed by a pax extended header 'x' with path, linkpath, size and mtime
// records; two zero blocks at the end). It is fed the stream's bytes in order, in pieces of any
// size, and yields each entry with the stream offsets of its first header byte and of its data;
// file data is skipped, never buffered. Used to rebuild a backup's file index from its tapes.
// Pure computation: reads and writes nothing.
import { BLOCK, padded } from './tar';
import type { ListingEntry } from './types';

/**
 * An entry as its headers describe it; `path` has no trailing '/', and `mtimeMs` has milliseconds
 * when a pax mtime record carries them, else whole seconds * 1000.
 */
export type TarEntry = Pick<ListingEntry, 'path' | 'type' | 'size' | 'mtimeMs' | 'mode' | 'linkTarget' | 'offset' | 'dataOffset'>;

/** The bytes are not a tar stream of the kind we write; `offset` is where in the stream. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`tar stream at byte ${offset}: ${detail}`);
  }
}

/** A pax header larger than this is refused rather than buffered (ours hold a few KiB at most). */
const MAX_PAX_BYTES = 1024 * 1024;
const USTAR_MAGIC = Buffer.from('ustar', 'latin1');

interface PaxFields {
  path?: string;
  linkpath?: string;
  size?: number;
  mtimeMs?: number;
}

type State =
  | { kind: 'header' }
  /** Skipping `left` bytes of data and padding; `entry` names what they belong to, for errors. */
  | { kind: 'skip'; left: number; what: string }
  /** Gathering the records of a pax header whose data starts at `at`. */
  | { kind: 'pax'; at: number; data: Buffer; filled: number; padding: number }
  | { kind: 'end' };

export class TarParser {
  #position = 0;
  #state: State = { kind: 'header' };
  readonly #block = Buffer.alloc(BLOCK);
  #filled = 0;
  /** The pax fields for the next entry, and where its pax header began. */
  #pax: { fields: PaxFields; offset: number } | null = null;
  /** Offset of a first zero block, waiting for the second. */
  #zeroAt: number | null = null;
  #archiveEnd: number | null = null;

  /** Stream bytes fed so far. */
  get position(): number {
    return this.#position;
  }

  /** The offset just past the two zero blocks, once they were read; bytes after them are ignored. */
  get archiveEnd(): number | null {
    return this.#archiveEnd;
  }

  /** Takes the next bytes of the stream; returns the entries whose headers they completed. */
  feed(bytes: Uint8Array): TarEntry[] {
    const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const entries: TarEntry[] = [];
    let i = 0;
    while (i < input.length) {
      const state = this.#state;
      const left = input.length - i;
      if (state.kind === 'end') {
        this.#position += left;
        break;
      }
      if (state.kind === 'skip') {
        const n = Math.min(state.left, left);
        state.left -= n;
        i += n;
        this.#position += n;
        if (state.left === 0) this.#state = { kind: 'header' };
        continue;
      }
      if (state.kind === 'pax') {
        const n = Math.min(state.data.length - state.filled, left);
        input.copy(state.data, state.filled, i, i + n);
        state.filled += n;
        i += n;
        this.#position += n;
        if (state.filled === state.data.length) {
          this.#pax!.fields = parsePax(state.data, state.at);
          this.#state = state.padding > 0 ? { kind: 'skip', left: state.padding, what: 'the padding of a pax header' } : { kind: 'header' };
        }
        continue;
      }
      const n = Math.min(BLOCK - this.#filled, left);
      input.copy(this.#block, this.#filled, i, i + n);
      this.#filled += n;
      i += n;
      this.#position += n;
      if (this.#filled === BLOCK) {
        this.#filled = 0;
        const entry = this.#header(this.#position - BLOCK);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }

  /** Says the stream is over: throws TarFormatError unless it ended with its two zero blocks. */
  end(): void {
    const state = this.#state;
    if (state.kind === 'end') return;
    const at = this.#position;
    if (state.kind === 'skip') throw new TarFormatError(at, `the stream ends ${state.left} bytes before the end of ${state.what}`);
    if (state.kind === 'pax') throw new TarFormatError(at, `the stream ends inside the pax header whose records start at byte ${state.at}`);
    if (this.#filled > 0) throw new TarFormatError(at, `the stream ends ${this.#filled} bytes into a header block`);
    if (this.#pax) throw new TarFormatError(at, `the stream ends after the pax header at byte ${this.#pax.offset}, before its entry`);
    throw new TarFormatError(at, this.#zeroAt === null ? 'the stream ends without its two zero blocks (truncated)' : 'the stream ends after one zero block, not two (truncated)');
  }

  /** Handles the header block at stream offset `at`. */
  #header(at: number): TarEntry | null {
    const block = this.#block;
    if (isZero(block)) {
      if (this.#pax) throw new TarFormatError(at, `a zero block follows the pax header at byte ${this.#pax.offset} instead of its entry`);
      if (this.#zeroAt === null) {
        this.#zeroAt = at;
      } else {
        this.#archiveEnd = at + BLOCK;
        this.#state = { kind: 'end' };
      }
      return null;
    }
    if (this.#zeroAt !== null) throw new TarFormatError(this.#zeroAt, 'a single zero block inside the stream (the end of a tar stream is two)');
    checkHeader(block, at);
    const flag = String.fromCharCode(block[156]!);
    const size = octal(block, 124, 12, at, 'size');
    if (flag === 'x') {
      if (this.#pax) throw new TarFormatError(at, `a second pax header follows the one at byte ${this.#pax.offset}`);
      if (size > MAX_PAX_BYTES) throw new TarFormatError(at, `a pax header of ${size} bytes (at most ${MAX_PAX_BYTES} are read)`);
      this.#pax = { fields: {}, offset: at };
      this.#state = size === 0 ? { kind: 'header' } : { kind: 'pax', at: at + BLOCK, data: Buffer.alloc(size), filled: 0, padding: padded(size) - size };
      return null;
    }
    if (flag === 'g') {
      // A global pax header (not ours): its records are skipped.
      if (size > 0) this.#state = { kind: 'skip', left: padded(size), what: 'a global pax header' };
      return null;
    }
    const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'directory' : flag === '2' ? 'symlink' : null;
    if (type === null) throw new TarFormatError(at, `unsupported entry type '${printable(flag)}' (only files, directories and symlinks are written)`);
    const pax = this.#pax?.fields ?? {};
    const offset = this.#pax?.offset ?? at;
    this.#pax = null;
    const name = text(block, 0, 100);
    const prefix = text(block, 345, 155);
    let entryPath = pax.path ?? (prefix === '' ? name : `${prefix}/${name}`);
    if (type === 'directory') entryPath = entryPath.replace(/\/$/, '');
    if (entryPath === '') throw new TarFormatError(at, 'an entry without a name');
    const entrySize = pax.size ?? size;
    if (type !== 'file' && entrySize !== 0) throw new TarFormatError(at, `a ${type} with ${entrySize} bytes of data (${entryPath})`);
    const mtimeMs = pax.mtimeMs ?? octal(block, 136, 12, at, 'mtime') * 1000;
    const mode = octal(block, 100, 8, at, 'mode') & 0o7777;
    const entry: TarEntry = { path: entryPath, type, size: entrySize, mtimeMs, mode, offset, dataOffset: at + BLOCK };
    if (type === 'symlink') entry.linkTarget = pax.linkpath ?? text(block, 157, 100);
    if (entrySize > 0) this.#state = { kind: 'skip', left: padded(entrySize), what: `the data of ${entryPath}` };
    return entry;
  }
}

/** Every entry of a whole stream held in memory (tests, small streams). */
export function parseTar(stream: Uint8Array): TarEntry[] {
  const parser = new TarParser();
  const entries = parser.feed(stream);
  parser.end();
  return entries;
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 4) if (block.readUInt32LE(i) !== 0) return false;
  return true;
}

/** The header's magic and checksum (the sum of its bytes with the checksum field read as spaces). */
function checkHeader(block: Buffer, at: number): void {
  if (!block.subarray(257, 262).equals(USTAR_MAGIC)) throw new TarFormatError(at, 'not a ustar header (no "ustar" magic)');
  const stored = octal(block, 148, 8, at, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  if (stored !== unsigned && stored !== signed) throw new TarFormatError(at, `header checksum mismatch (stored ${stored.toString(8)}, computed ${unsigned.toString(8)})`);
}

/** A numeric field: octal digits with optional leading spaces and trailing NULs or spaces, or GNU base-256. */
function octal(block: Buffer, from: number, width: number, at: number, field: string): number {
  const bytes = block.subarray(from, from + width);
  if (bytes[0]! & 0x80) {
    if (bytes[0] === 0xff) throw new TarFormatError(at + from, `the ${field} field holds a negative number`);
    let value = bytes[0]! & 0x7f;
    for (let i = 1; i < width; i++) value = value * 256 + bytes[i]!;
    if (!Number.isSafeInteger(value)) throw new TarFormatError(at + from, `the ${field} field is out of range`);
    return value;
  }
  let i = 0;
  while (i < width && bytes[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < width && bytes[i]! >= 0x30 && bytes[i]! <= 0x37; i++, digits++) value = value * 8 + (bytes[i]! - 0x30);
  for (; i < width; i++) {
    if (bytes[i] !== 0 && bytes[i] !== 0x20) throw new TarFormatError(at + from, `the ${field} field is not an octal number ("${printable(bytes.toString('latin1'))}")`);
  }
  if (digits === 0 && field === 'checksum') throw new TarFormatError(at + from, 'the checksum field is empty');
  return value;
}

/** A NUL-terminated text field (UTF-8; what we write there is ASCII). */
function text(block: Buffer, from: number, width: number): string {
  const field = block.subarray(from, from + width);
  const nul = field.indexOf(0);
  return field.toString('utf8', 0, nul === -1 ? width : nul);
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Parses pax records "LEN key=value\n" (LEN counts the whole record); `at` is the stream offset of `data`. */
function parsePax(data: Buffer, at: number): PaxFields {
  const fields: PaxFields = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const lengthText = space === -1 ? '' : data.toString('latin1', i, space);
    const length = /^[1-9][0-9]{0,8}$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!Number.isInteger(length) || i + length > data.length || space >= i + length) {
      throw new TarFormatError(at + i, `bad pax record length "${printable(data.toString('latin1', i, Math.min(i + 12, data.length)))}"`);
    }
    if (data[i + length - 1] !== 0x0a) throw new TarFormatError(at + i, 'a pax record does not end with a newline');
    const body = data.subarray(space + 1, i + length - 1);
    const equals = body.indexOf(0x3d);
    if (equals <= 0) throw new TarFormatError(at + i, 'a pax record without "key=value"');
    const key = body.toString('utf8', 0, equals);
    const value = body.toString('utf8', equals + 1);
    if (key === 'path') fields.path = value;
    else if (key === 'linkpath') fields.linkpath = value;
    else if (key === 'size') {
      if (!/^[0-9]{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) throw new TarFormatError(at + i, `bad pax size "${printable(value)}"`);
      fields.size = Number(value);
    } else if (key === 'mtime') {
      fields.mtimeMs = paxMilliseconds(value, at + i);
    }
    i += length;
  }
  return fields;
}

/** "seconds[.fraction]" (maybe negative) to whole milliseconds, rounded down. */
function paxMilliseconds(value: string, at: number): number {
  const m = /^(-?)([0-9]{1,15})(?:\.([0-9]+))?$/.exec(value);
  if (!m) throw new TarFormatError(at, `bad pax mtime "${printable(value)}"`);
  const negative = m[1] === '-';
  const whole = Number(m[2]) * 1000;
  const fraction = m[3] ?? '';
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const more = /[1-9]/.test(fraction.slice(3));
  if (!negative) return whole + ms;
  // -1.5 s is -1500 ms; -1.0005 s rounds down to -1001 ms.
  return -(whole + ms + (more ? 1 : 0));
}
