// POSIX tar headers: the ustar header of an entry, preceded by a pax extended header when the
// entry does not fit ustar (long or non-ASCII path or link target, size >= 8 GiB, mtime out of
// range). Every header is a pure function of the listing entry, so the stream layout is known
// from the listing alone.
import type { ListingEntry } from './types';

export const BLOCK = 512;
/** The two zero blocks that end a tar stream. */
export const TRAILER = 2 * BLOCK;

/** The largest value of an 11-digit octal field, plus one. */
const OCTAL_LIMIT = 8 ** 11;

type HeaderFields = Pick<ListingEntry, 'path' | 'name' | 'type' | 'size' | 'mtimeMs' | 'mode' | 'linkTarget'>;

interface Plan {
  /** ustar name and prefix fields. */
  name: string;
  prefix: string;
  /** pax records, '' when no pax header is needed. */
  pax: string;
  mtime: number;
  size: number;
  linkname: string;
}

/** Rounds a byte count up to whole blocks. */
export function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** Bytes of all headers of an entry (pax header and ustar header). */
export function headerLength(entry: HeaderFields): number {
  const { pax } = plan(entry);
  return BLOCK + (pax ? BLOCK + padded(Buffer.byteLength(pax)) : 0);
}

/** The header blocks of an entry, exactly headerLength(entry) bytes. */
export function encodeHeaders(entry: HeaderFields): Buffer {
  const p = plan(entry);
  if (!p.pax) {
    const out = Buffer.alloc(BLOCK);
    writeUstar(out, 0, p.name, p.prefix, typeflag(entry.type), entry.mode, p.size, p.mtime, p.linkname);
    return out;
  }
  const records = Buffer.from(p.pax, 'utf8');
  const out = Buffer.alloc(2 * BLOCK + padded(records.length));
  const paxName = `PaxHeaders/${ascii(entry.name)}`.slice(0, 100);
  writeUstar(out, 0, paxName, '', 'x', 0o644, records.length, p.mtime, '');
  records.copy(out, BLOCK);
  writeUstar(out, out.length - BLOCK, p.name, p.prefix, typeflag(entry.type), entry.mode, p.size, p.mtime, p.linkname);
  return out;
}

function plan(entry: HeaderFields): Plan {
  const fullName = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const link = entry.linkTarget ?? '';
  const seconds = Math.floor(entry.mtimeMs / 1000);
  const split = isAscii(fullName) ? splitUstar(fullName) : null;
  const needPath = split === null;
  const needLink = !isAscii(link) || link.length > 100;
  const needSize = entry.size >= OCTAL_LIMIT;
  const needTime = seconds < 0 || seconds >= OCTAL_LIMIT;
  const fallback = split ?? { prefix: '', name: ascii(fullName).slice(-100) };
  const pax =
    needPath || needLink || needSize || needTime
      ? (needPath ? record('path', fullName) : '') +
        (needLink ? record('linkpath', link) : '') +
        (needSize ? record('size', String(entry.size)) : '') +
        record('mtime', paxTime(entry.mtimeMs))
      : '';
  return {
    name: fallback.name,
    prefix: fallback.prefix,
    pax,
    mtime: needTime ? 0 : seconds,
    size: needSize ? 0 : entry.size,
    linkname: needLink ? ascii(link).slice(0, 100) : link,
  };
}

/** Splits an ASCII path into ustar prefix (<= 155 bytes) and name (<= 100 bytes), or null. */
function splitUstar(path: string): { prefix: string; name: string } | null {
  if (path.length <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i >= 0 && i <= 155; i = path.indexOf('/', i + 1)) {
    const name = path.slice(i + 1);
    if (name.length <= 100 && name !== '' && name !== '/') return { prefix: path.slice(0, i), name };
  }
  return null;
}

/** One pax record, "%d key=value\n", where %d counts the whole record including itself. */
function record(key: string, value: string): string {
  const body = Buffer.byteLength(` ${key}=${value}\n`);
  let length = body + String(body).length;
  if (String(length).length + body !== length) length = body + String(length).length;
  return `${length} ${key}=${value}\n`;
}

/** Seconds with the millisecond fraction, for the pax mtime record. */
function paxTime(mtimeMs: number): string {
  const ms = Math.floor(mtimeMs);
  const seconds = Math.floor(ms / 1000);
  const fraction = ms - seconds * 1000;
  if (seconds < 0 || fraction === 0) return String(seconds);
  return `${seconds}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}

function typeflag(type: ListingEntry['type']): string {
  return type === 'file' ? '0' : type === 'directory' ? '5' : '2';
}

function isAscii(text: string): boolean {
  return !/[\u0080-\u{10ffff}]/u.test(text);
}

/** A stand-in for text that a pax record carries: non-ASCII characters become '_'. */
function ascii(text: string): string {
  return text.replace(/[\u0080-\u{10ffff}]/gu, '_');
}

function writeUstar(
  out: Buffer,
  at: number,
  name: string,
  prefix: string,
  flag: string,
  mode: number,
  size: number,
  mtime: number,
  linkname: string,
): void {
  out.write(name, at, 100, 'latin1');
  writeOctal(out, at + 100, 8, mode);
  writeOctal(out, at + 108, 8, 0); // uid
  writeOctal(out, at + 116, 8, 0); // gid
  writeOctal(out, at + 124, 12, size);
  writeOctal(out, at + 136, 12, mtime);
  out.fill(0x20, at + 148, at + 156); // checksum counts as spaces
  out.write(flag, at + 156, 1, 'latin1');
  out.write(linkname, at + 157, 100, 'latin1');
  out.write('ustar\u000000', at + 257, 8, 'latin1');
  writeOctal(out, at + 329, 8, 0); // devmajor
  writeOctal(out, at + 337, 8, 0); // devminor
  out.write(prefix, at + 345, 155, 'latin1');
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += out[i]!;
  out.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, at + 148, 8, 'latin1');
}

/** A zero-padded octal number ending in NUL, filling a field of `width` bytes. */
function writeOctal(out: Buffer, at: number, width: number, value: number): void {
  out.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, at, width, 'latin1');
}
