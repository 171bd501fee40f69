// A file changed or deleted after its listing was taken is reported by number and path, and its
// data in the stream is zeros: the layout never shifts and mismatched bytes are never stored
// silently. A volume target's stream is the image's bytes, never read past the listed size.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Listing, StreamReader, takeListing } from '../../engine/payload';
import { useTempDirs } from '../helpers/temp';

async function readAll(listing: Listing): Promise<{ bytes: Buffer; changes: unknown[] }> {
  const reader = new StreamReader(listing);
  try {
    return await reader.read(0, listing.size);
  } finally {
    await reader.close();
  }
}

function entryOf(listing: Listing, rel: string) {
  const entry = listing.entries.find((e) => e.path === rel);
  if (!entry) throw new Error(`no entry ${rel}`);
  return entry;
}

describe('files changed after the listing', () => {
  const tempDir = useTempDirs('mpb-payload-change-');

  async function prepared() {
    const src = tempDir();
    fs.mkdirSync(path.join(src, 'sub'));
    for (const [rel, size] of [['a', 1000], ['sub/b', 600], ['sub/c', 3000], ['z', 700]] as const) {
      fs.writeFileSync(path.join(src, rel), crypto.randomBytes(size));
    }
    const listing = await takeListing(src, 'directory');
    const before = (await readAll(listing)).bytes;
    return { src, listing, before };
  }

  it('reports changed size, changed mtime and deletion; their data is zeros, nothing else moves', async () => {
    const { src, listing, before } = await prepared();
    fs.rmSync(path.join(src, 'a'));
    fs.appendFileSync(path.join(src, 'sub/b'), 'more');
    const c = path.join(src, 'sub/c');
    fs.utimesSync(c, new Date(), new Date(fs.statSync(c).mtimeMs + 5000));

    const { bytes, changes } = await readAll(listing);
    expect(bytes.length).toBe(listing.size);
    const [a, b, cEntry] = ['a', 'sub/b', 'sub/c'].map((rel) => entryOf(listing, rel));
    expect(changes).toEqual([
      { no: a!.no, path: 'a', reason: 'vanished', detail: expect.any(String) },
      { no: b!.no, path: 'sub/b', reason: 'changed', detail: 'size 600 -> 604' },
      { no: cEntry!.no, path: 'sub/c', reason: 'changed', detail: expect.stringMatching(/^mtime /) },
    ]);
    const expected = Buffer.from(before);
    for (const e of [a!, b!, cEntry!]) expected.fill(0, e.dataOffset, e.dataOffset + e.size);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('a range touching part of a changed file zeros just that part; ranges elsewhere see no change', async () => {
    const { src, listing, before } = await prepared();
    fs.appendFileSync(path.join(src, 'sub/c'), 'x');
    const c = entryOf(listing, 'sub/c');
    const reader = new StreamReader(listing);
    const into = Buffer.alloc(400, 0xee);
    const start = c.dataOffset + 2900;
    const partial = await reader.read(start, 400, into);
    expect(partial.changes).toEqual([{ no: c.no, path: 'sub/c', reason: 'changed', detail: 'size 3000 -> 3001' }]);
    expect(partial.bytes.subarray(0, 100).equals(Buffer.alloc(100))).toBe(true);
    expect(partial.bytes.subarray(100).equals(before.subarray(start + 100, start + 400))).toBe(true);

    const headerOnly = await reader.read(c.offset, 512);
    expect(headerOnly.changes).toEqual([]);
    expect(headerOnly.bytes.equals(before.subarray(c.offset, c.offset + 512))).toBe(true);
    const z = entryOf(listing, 'z');
    const elsewhere = await reader.read(z.offset, listing.size - z.offset);
    expect(elsewhere.changes).toEqual([]);
    expect(elsewhere.bytes.equals(before.subarray(z.offset))).toBe(true);
    await reader.close();
    await expect(reader.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('a file replaced by a directory is reported, not read', async () => {
    const { src, listing } = await prepared();
    fs.rmSync(path.join(src, 'z'));
    fs.mkdirSync(path.join(src, 'z'));
    const { changes } = await readAll(listing);
    expect(changes).toMatchObject([{ path: 'z', reason: 'changed' }]);
  });

  it('a single file target reports its change the same way', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'one.bin');
    fs.writeFileSync(file, crypto.randomBytes(5000));
    const listing = await takeListing(file, 'file');
    fs.writeFileSync(file, crypto.randomBytes(10));
    const { bytes, changes } = await readAll(listing);
    expect(changes).toEqual([{ no: 0, path: 'one.bin', reason: 'changed', detail: 'size 5000 -> 10' }]);
    expect(bytes.length).toBe(listing.size);
    expect(bytes.subarray(listing.entries[0]!.dataOffset, listing.size).equals(Buffer.alloc(listing.size - 512))).toBe(true);
  });

  it('rejects invalid ranges and a buffer too small', async () => {
    const { listing } = await prepared();
    const reader = new StreamReader(listing);
    await expect(reader.read(-1, 10)).rejects.toThrow(RangeError);
    await expect(reader.read(0, 1.5)).rejects.toThrow(RangeError);
    await expect(reader.read(0, 100, Buffer.alloc(50))).rejects.toThrow(RangeError);
    expect((await reader.read(listing.size + 10, 100)).bytes.length).toBe(0);
  });
});

describe('volume target', () => {
  const tempDir = useTempDirs('mpb-payload-volume-');

  async function image(size: number) {
    const file = path.join(tempDir(), 'disk.img');
    const data = crypto.randomBytes(size);
    fs.writeFileSync(file, data);
    return { file, data, listing: await takeListing(file, 'volume') };
  }

  it('the stream is the image bytes, any range of it', async () => {
    const { data, listing } = await image(100_000);
    expect(listing.size).toBe(100_000);
    expect(listing.entries).toMatchObject([{ no: 0, parent: null, path: 'disk.img', type: 'file', size: 100_000, offset: 0, dataOffset: 0 }]);
    const reader = new StreamReader(listing);
    expect((await reader.read(0, listing.size)).bytes.equals(data)).toBe(true);
    const tail = await reader.read(99_990, 8 * 1024 * 1024, Buffer.alloc(8 * 1024 * 1024));
    expect(tail.bytes.equals(data.subarray(99_990))).toBe(true);
    expect((await reader.read(1234, 5678)).bytes.equals(data.subarray(1234, 1234 + 5678))).toBe(true);
  });

  it('a grown image is reported and never read past the listed size', async () => {
    const { file, data, listing } = await image(10_000);
    fs.appendFileSync(file, crypto.randomBytes(500));
    const { bytes, changes } = await readAll(listing);
    expect(changes).toEqual([{ no: 0, path: 'disk.img', reason: 'changed', detail: 'size 10000 -> 10500' }]);
    expect(bytes.equals(data)).toBe(true);
  });

  it('a shrunk image is reported, the missing bytes are zeros; a removed one is vanished', async () => {
    const { file, data, listing } = await image(10_000);
    fs.truncateSync(file, 4000);
    const shrunk = await readAll(listing);
    expect(shrunk.changes).toEqual([{ no: 0, path: 'disk.img', reason: 'changed', detail: 'size 10000 -> 4000' }]);
    expect(shrunk.bytes.equals(Buffer.concat([data.subarray(0, 4000), Buffer.alloc(6000)]))).toBe(true);
    fs.rmSync(file);
    const gone = await readAll(listing);
    expect(gone.changes).toMatchObject([{ no: 0, reason: 'vanished' }]);
    expect(gone.bytes.equals(Buffer.alloc(10_000))).toBe(true);
  });

  it('refuses a source that is neither an image file nor a block device', async () => {
    const dir = tempDir();
    await expect(takeListing(dir, 'volume')).rejects.toThrow(`not an image file or block device: ${dir}`);
  });
});
