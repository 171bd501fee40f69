// The tar parser against the writer: for random trees (taken with takeListing, streamed with
// StreamReader) and random listings of every header corner (long and non-ASCII names and link
// targets, times before 1970 and after 2514, sizes past 8 GiB), the entries parsed from the stream
// fed in pieces of any size are the listing's entries, mtime to the precision the header carries.
// Corrupt streams (checksum, octal field, pax record, magic, a lone zero block, cut short) are
// refused with the stream offset of the damage.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerLength, parseTar, StreamReader, takeListing, TarFormatError, TarParser, type ListingEntry, type TarEntry } from '../../engine/payload';
import { layOut } from '../../engine/payload/listing';
import { BLOCK, encodeHeaders, padded, TRAILER } from '../../engine/payload/tar';
import { useTempDirs } from '../helpers/temp';

const T0 = 1_600_000_000;

/** What the parser must give for a listing entry: mtime as precise as its headers carry it. */
function expected(entry: ListingEntry): TarEntry {
  const ms = Math.floor(entry.mtimeMs);
  const pax = headerLength(entry) > BLOCK;
  // A pax mtime has the milliseconds (whole seconds only before 1970); ustar has whole seconds.
  const mtimeMs = pax && ms >= 0 ? ms : Math.floor(ms / 1000) * 1000;
  return {
    path: entry.path,
    type: entry.type,
    size: entry.size,
    mtimeMs,
    mode: entry.mode,
    offset: entry.offset,
    dataOffset: entry.dataOffset,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
  };
}

/** Feeds `stream` in pieces of the given sizes (cycled), then ends it. */
function parseInPieces(stream: Buffer, sizes: number[]): TarEntry[] {
  const parser = new TarParser();
  const entries: TarEntry[] = [];
  let at = 0;
  for (let i = 0; at < stream.length; i++) {
    const size = sizes.length === 0 ? stream.length : sizes[i % sizes.length]!;
    entries.push(...parser.feed(stream.subarray(at, at + size)));
    at += size;
  }
  parser.end();
  expect(parser.position).toBe(stream.length);
  expect(parser.archiveEnd).toBe(stream.length);
  return entries;
}

function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

/** The stream of synthetic entries: their headers, data and padding, then the two zero blocks. */
function streamOf(entries: ListingEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const [i, entry] of entries.entries()) {
    parts.push(encodeHeaders(entry), bytesOf(entry.size, i), Buffer.alloc(padded(entry.size) - entry.size));
  }
  parts.push(Buffer.alloc(TRAILER));
  return Buffer.concat(parts);
}

const pieceSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 6 });

describe('tar parser against the writer (property)', () => {
  const tempDir = useTempDirs('mpb-untar-');
  const dirName = fc.constantFrom('a', 'b', 'Ōsaka 大阪', 'd'.repeat(70), 'e'.repeat(99));
  const leafName = fc.oneof(fc.stringMatching(/^[e-z0-9_-]{1,8}$/), fc.constantFrom('ünï 名', 'n'.repeat(110), '.hidden', 'x'.repeat(100)));
  const item = fc.record({
    dirs: fc.array(dirName, { maxLength: 3 }),
    name: leafName,
    kind: fc.constantFrom('file', 'file', 'dir', 'link'),
    size: fc.oneof(fc.constant(0), fc.nat(3000), fc.integer({ min: 510, max: 514 })),
    link: fc.constantFrom('../target', 'x/'.repeat(60), '大阪/リンク', '/etc/hostname'),
    mode: fc.constantFrom(0o644, 0o600, 0o755, 0o4755, 0o1777, 0o400),
  });

  function build(root: string, items: Array<{ dirs: string[]; name: string; kind: string; size: number; link: string; mode: number }>, time: number): void {
    for (const [i, it] of items.entries()) {
      const dir = path.join(root, ...it.dirs);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, it.name);
      if (fs.lstatSync(file, { throwIfNoEntry: false })) continue;
      if (it.kind === 'dir') fs.mkdirSync(file);
      else if (it.kind === 'link') fs.symlinkSync(it.link, file);
      else fs.writeFileSync(file, bytesOf(it.size, i));
      if (it.kind === 'file') fs.chmodSync(file, it.mode);
    }
    const stamp = (rel: string, t: number) => {
      const at = path.join(root, rel);
      if (fs.lstatSync(at).isSymbolicLink()) fs.lutimesSync(at, t, t);
      else fs.utimesSync(at, t, t);
    };
    const all = fs.readdirSync(root, { recursive: true }).map(String).sort((a, b) => b.length - a.length);
    all.forEach((rel, i) => stamp(rel, time + i * 1.25));
  }

  it('parses the stream of random trees, fed in pieces of any size, into the listing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 14 }), pieceSizes, fc.integer({ min: T0, max: T0 + 100_000_000 }), async (items, sizes, time) => {
        const src = tempDir();
        build(src, items, time + 0.375);
        const listing = await takeListing(src, 'directory');
        const reader = new StreamReader(listing);
        const { bytes, changes } = await reader.read(0, listing.size);
        await reader.close();
        expect(changes).toEqual([]);
        expect(parseInPieces(bytes, sizes)).toEqual(listing.entries.map(expected));
      }),
      { numRuns: 40 },
    );
  });

  const component = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..'),
    fc.constantFrom('ü', '名前', 'n'.repeat(100), 'm'.repeat(101), 'p'.repeat(154), 'q'.repeat(156), 'with space', 'tab\there'),
  );
  const synthetic = fc.record({
    parts: fc.array(component, { minLength: 1, maxLength: 4 }),
    type: fc.constantFrom<ListingEntry['type']>('file', 'file', 'directory', 'symlink'),
    size: fc.oneof(fc.constant(0), fc.nat(1100)),
    mtimeMs: fc.oneof(
      fc.integer({ min: 0, max: 4_000_000_000_000 }),
      fc.integer({ min: -100_000_000_000, max: -1 }),
      fc.integer({ min: 8 ** 11 * 1000, max: 8 ** 11 * 1000 + 10_000_000 }),
      fc.double({ min: 0, max: 2e12, noNaN: true }),
    ),
    mode: fc.integer({ min: 0, max: 0o7777 }),
    link: fc.oneof(fc.stringMatching(/^[a-z./]{1,20}$/), fc.constantFrom('l'.repeat(100), 'l'.repeat(101), 'ünï', '../'.repeat(50))),
  });

  it('parses synthetic listings with every header corner', () => {
    fc.assert(
      fc.property(fc.uniqueArray(synthetic, { selector: (s) => s.parts.join('/'), maxLength: 12 }), pieceSizes, (items, sizes) => {
        const entries: ListingEntry[] = items.map((s, no) => ({
          no,
          parent: null,
          path: s.parts.join('/'),
          name: s.parts.at(-1)!,
          type: s.type,
          size: s.type === 'file' ? s.size : 0,
          mtimeMs: s.mtimeMs,
          mode: s.mode,
          offset: 0,
          dataOffset: 0,
          ...(s.type === 'symlink' ? { linkTarget: s.link } : {}),
        }));
        const size = layOut('directory', entries);
        const stream = streamOf(entries);
        expect(stream.length).toBe(size);
        expect(parseInPieces(stream, sizes)).toEqual(entries.map(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('any cut of a stream short of its end is refused as truncated, at the cut', () => {
    fc.assert(
      fc.property(fc.array(synthetic, { minLength: 0, maxLength: 5 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (items, where) => {
        const entries: ListingEntry[] = items.map((s, no) => ({
          no, parent: null, path: `${no}-${s.parts.join('/')}`, name: s.parts.at(-1)!, type: s.type, size: s.type === 'file' ? s.size : 0,
          mtimeMs: s.mtimeMs, mode: s.mode, offset: 0, dataOffset: 0, ...(s.type === 'symlink' ? { linkTarget: s.link } : {}),
        }));
        layOut('directory', entries);
        const stream = streamOf(entries);
        const cut = Math.floor(where * stream.length);
        const parser = new TarParser();
        parser.feed(stream.subarray(0, cut));
        let error: unknown = null;
        try {
          parser.end();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TarFormatError);
        expect((error as TarFormatError).offset).toBe(cut);
      }),
      { numRuns: 200 },
    );
  });
});

describe('tar parser', () => {
  const entry = (over: Partial<ListingEntry>): ListingEntry => ({
    no: 0, parent: null, path: 'a.txt', name: 'a.txt', type: 'file', size: 5, mtimeMs: T0 * 1000 + 250, mode: 0o644, offset: 0, dataOffset: 0, ...over,
  });

  /** A stream of the given entries, with their offsets set. */
  function stream(...entries: ListingEntry[]): Buffer {
    entries.forEach((e, i) => (e.no = i));
    layOut('directory', entries);
    return streamOf(entries);
  }

  /** Sets a header's checksum again after a field of it was changed. */
  function reseal(buffer: Buffer, at: number): void {
    buffer.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + BLOCK; i++) sum += buffer[i]!;
    buffer.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, at + 148, 8, 'latin1');
  }

  function refusal(bytes: Buffer): TarFormatError {
    try {
      parseTar(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(TarFormatError);
      return error as TarFormatError;
    }
    throw new Error('the stream was accepted');
  }

  it('skips file data without buffering it: an entry of more than 8 GiB', () => {
    const big = entry({ path: 'huge.img', name: 'huge.img', size: 8 * 2 ** 30 + 3 });
    const small = entry({ path: 'after', name: 'after', size: 1 });
    layOut('directory', [big, small]);
    const parser = new TarParser();
    const headers = encodeHeaders(big);
    expect(headers.length).toBe(3 * BLOCK); // the size needs a pax header
    const seen = parser.feed(headers);
    const zeros = Buffer.alloc(64 * 2 ** 20);
    let left = padded(big.size);
    while (left > 0) {
      seen.push(...parser.feed(zeros.subarray(0, Math.min(left, zeros.length))));
      left -= Math.min(left, zeros.length);
    }
    seen.push(...parser.feed(Buffer.concat([encodeHeaders(small), Buffer.alloc(BLOCK), Buffer.alloc(TRAILER)])));
    parser.end();
    expect(seen).toEqual([expected(big), expected(small)]);
  });

  it('refuses a header whose checksum does not match, at the header', () => {
    const bytes = stream(entry({}), entry({ path: 'b', name: 'b' }));
    bytes[BLOCK * 2 + 10] = bytes[BLOCK * 2 + 10]! ^ 0x01; // second entry's header
    const error = refusal(bytes);
    expect(error.offset).toBe(BLOCK * 2);
    expect(error.message).toMatch(/^tar stream at byte 1024: header checksum mismatch/);
  });

  it('refuses a numeric field that is not octal, at the field', () => {
    const bytes = stream(entry({}));
    bytes.write('00000000009', 124, 'latin1');
    reseal(bytes, 0);
    const error = refusal(bytes);
    expect(error.offset).toBe(124);
    expect(error.message).toMatch(/the size field is not an octal number/);
  });

  it('refuses a bad pax record, at the record', () => {
    const bytes = stream(entry({ path: `${'d'.repeat(120)}/${'e'.repeat(120)}`, name: 'e'.repeat(120) }));
    expect(bytes.toString('latin1', 156, 157)).toBe('x');
    const records = bytes.toString('latin1', BLOCK, BLOCK + 300);
    expect(records).toMatch(/^\d+ path=/);
    bytes.write('9', BLOCK, 'latin1'); // the record's length no longer matches
    const error = refusal(bytes);
    expect(error.offset).toBe(BLOCK);
    expect(error.message).toMatch(/pax record/);

    const noNewline = stream(entry({ path: `${'d'.repeat(120)}/${'e'.repeat(120)}`, name: 'e'.repeat(120) }));
    const length = Number(/^(\d+) /.exec(noNewline.toString('latin1', BLOCK, BLOCK + 10))![1]);
    noNewline[BLOCK + length - 1] = 0x41;
    expect(refusal(noNewline).message).toMatch(/does not end with a newline/);

    const badTime = stream(entry({ path: 'ü', name: 'ü' }));
    const text = badTime.toString('latin1', BLOCK, BLOCK + BLOCK);
    const at = text.indexOf('mtime=') + 6;
    badTime.write('x', BLOCK + at, 'latin1');
    expect(refusal(badTime)).toMatchObject({ offset: BLOCK + text.lastIndexOf('\n', at) + 1 });
    expect(refusal(badTime).message).toMatch(/bad pax mtime/);
  });

  it('refuses what is not a ustar header, an unknown entry type and a lone zero block', () => {
    const magic = stream(entry({}));
    magic.write('gnutar', 257, 'latin1');
    reseal(magic, 0);
    expect(refusal(magic).message).toMatch(/at byte 0: not a ustar header/);

    const hardlink = stream(entry({}));
    hardlink.write('1', 156, 'latin1');
    reseal(hardlink, 0);
    expect(refusal(hardlink).message).toMatch(/unsupported entry type '1'/);

    const first = stream(entry({ size: 0 }));
    const lone = Buffer.concat([first.subarray(0, BLOCK), Buffer.alloc(BLOCK), stream(entry({ size: 0 })).subarray(0, BLOCK), Buffer.alloc(TRAILER)]);
    expect(refusal(lone)).toMatchObject({ offset: BLOCK });

    const withData = stream(entry({ type: 'directory', size: 0, path: 'dir', name: 'dir' }));
    withData.write('00000001000', 124, 'latin1');
    reseal(withData, 0);
    expect(refusal(withData).message).toMatch(/a directory with 512 bytes of data/);
  });

  it('says where a stream cut short ends', () => {
    const bytes = stream(entry({ size: 5000 }));
    expect(refusal(bytes.subarray(0, 700)).message).toMatch(/^tar stream at byte 700: the stream ends 4932 bytes before the end of the data of a.txt/);
    expect(refusal(bytes.subarray(0, 100)).message).toMatch(/ends 100 bytes into a header block/);
    expect(refusal(bytes.subarray(0, bytes.length - BLOCK)).message).toMatch(/after one zero block, not two/);
    expect(refusal(bytes.subarray(0, bytes.length - TRAILER)).message).toMatch(/without its two zero blocks/);
    expect(parseTar(Buffer.alloc(TRAILER))).toEqual([]);
  });

  it('ignores bytes after the two zero blocks, and a global pax header', () => {
    const bytes = stream(entry({}));
    const parser = new TarParser();
    expect(parser.feed(Buffer.concat([bytes, Buffer.from('trailing junk')]))).toHaveLength(1);
    parser.end();
    expect(parser.archiveEnd).toBe(bytes.length);
    expect(parser.position).toBe(bytes.length + 13);

    const global = stream(entry({ path: 'ü', name: 'ü' }));
    global.write('g', 156, 'latin1');
    reseal(global, 0);
    expect(parseTar(global)).toEqual([expect.objectContaining({ path: '_', offset: 2 * BLOCK, dataOffset: 3 * BLOCK, mtimeMs: T0 * 1000 })]);
  });
});
