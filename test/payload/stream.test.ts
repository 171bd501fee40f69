// The stream of a directory target is a tar GNU tar lists without warnings and extracts back to
// the source (names, contents, mtimes, modes, symlinks); any byte range can be produced on its
// own and ranges glue back into the same stream; the layout is deterministic and the listing's
// offsets point at the headers and data.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Listing, StreamReader, takeListing } from '../../engine/payload';
import { useTempDirs } from '../helpers/temp';

const T0 = 1_600_000_000;

async function streamOf(listing: Listing): Promise<Buffer> {
  const reader = new StreamReader(listing);
  const { bytes, changes } = await reader.read(0, listing.size);
  await reader.close();
  expect(changes).toEqual([]);
  return bytes;
}

function tar(args: string[], input: Buffer): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/usr/bin/tar', args, { input, encoding: 'buffer', stdio: ['pipe', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

function extract(stream: Buffer, dir: string): void {
  const result = tar(['-xpf', '-', '-C', dir], stream);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

interface Seen {
  path: string;
  type: string;
  mode?: number;
  mtime?: number;
  content?: string;
  link?: string;
}

/** Everything tar must recreate, depth first in sorted order (symlink mtimes left out). */
function describeTree(root: string, prefix = ''): Seen[] {
  const seen: Seen[] = [];
  for (const name of fs.readdirSync(path.join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const file = path.join(root, rel);
    const stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) {
      seen.push({ path: rel, type: 'symlink', link: fs.readlinkSync(file) });
      continue;
    }
    const common = { path: rel, mode: stat.mode & 0o7777, mtime: Math.floor(stat.mtimeMs / 1000) };
    if (stat.isDirectory()) seen.push({ ...common, type: 'directory' }, ...describeTree(root, rel));
    else seen.push({ ...common, type: 'file', content: fs.readFileSync(file).toString('base64') });
  }
  return seen;
}

/** Sets the mtime of everything under `root` (contents first, so directory times stick). */
function setTimes(root: string, time: (rel: string) => number, prefix = ''): void {
  for (const name of fs.readdirSync(path.join(root, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const file = path.join(root, rel);
    const stat = fs.lstatSync(file);
    if (stat.isDirectory()) setTimes(root, time, rel);
    if (stat.isSymbolicLink()) fs.lutimesSync(file, time(rel), time(rel));
    else fs.utimesSync(file, time(rel), time(rel));
  }
}

function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

function write(root: string, rel: string, data: string | Buffer, mode = 0o644): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), data);
  fs.chmodSync(path.join(root, rel), mode);
}

/** The tree of the compatibility test: every kind of entry and every header corner. */
function buildTree(root: string): void {
  write(root, 'a.txt', 'hello\n');
  write(root, 'secret', 'only me\n', 0o600);
  write(root, 'empty-file', '');
  fs.mkdirSync(path.join(root, 'empty-dir'));
  write(root, 'nested/deeper/deepest/file.bin', bytesOf(3000, 1));
  write(root, 'nested/exact-512', bytesOf(512, 2));
  write(root, 'Ōsaka 大阪/名前.txt', '大阪\n');
  write(root, `${'p'.repeat(60)}/${'q'.repeat(60)}/${'r'.repeat(60)}/in-ustar-prefix`, 'prefix\n');
  write(root, `${'l'.repeat(120)}/${'m'.repeat(120)}/needs-pax-path`, 'pax\n');
  write(root, 'n'.repeat(150), 'long name\n', 0o640);
  fs.symlinkSync('nested/deeper', path.join(root, 'link'));
  fs.symlinkSync('x/'.repeat(80), path.join(root, 'long-link'));
  fs.symlinkSync('大阪', path.join(root, 'unicode-link'));
  fs.chmodSync(path.join(root, 'nested/deeper'), 0o750);
  let i = 0;
  setTimes(root, () => T0 + 1000 * i++ + 0.25);
}

describe('directory stream', () => {
  const tempDir = useTempDirs('mpb-payload-');

  it('GNU tar lists it without warnings and extracts the source exactly', async () => {
    const src = tempDir();
    buildTree(src);
    const listing = await takeListing(src, 'directory');
    const stream = await streamOf(listing);
    expect(stream.length).toBe(listing.size);
    expect(listing.skipped).toEqual([]);

    const listed = tar(['-tvf', '-'], stream);
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    const names = tar(['-tf', '-'], stream).stdout.split('\n').filter(Boolean);
    expect(names).toEqual(listing.entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path)));

    const out = tempDir();
    extract(stream, out);
    expect(describeTree(out)).toEqual(describeTree(src));
    expect(fs.statSync(path.join(out, 'secret')).mode & 0o7777).toBe(0o600);
  });

  it('lists entries sorted by UTF-8 bytes, depth first, with parents, skipping what tar cannot hold', async () => {
    const src = tempDir();
    for (const rel of ['b/z', 'b/a', 'B', 'é', 'e', 'b/c/d']) write(src, rel, rel);
    spawnSync('mkfifo', [path.join(src, 'b/pipe')], { stdio: 'ignore' });
    const listing = await takeListing(src, 'directory', { now: () => new Date('2026-01-02T03:04:05.000Z') });
    expect(listing.takenAt).toBe('2026-01-02T03:04:05.000Z');
    expect(listing.source).toBe(path.resolve(src));
    expect(listing.entries.map((e) => [e.no, e.parent, e.path, e.name, e.type])).toEqual([
      [0, null, 'B', 'B', 'file'],
      [1, null, 'b', 'b', 'directory'],
      [2, 1, 'b/a', 'a', 'file'],
      [3, 1, 'b/c', 'c', 'directory'],
      [4, 3, 'b/c/d', 'd', 'file'],
      [5, 1, 'b/z', 'z', 'file'],
      [6, null, 'e', 'e', 'file'],
      [7, null, 'é', 'é', 'file'],
    ]);
    expect(listing.skipped).toEqual([{ path: 'b/pipe', reason: 'fifo' }]);
  });

  it('refuses a source that is not a directory, naming it', async () => {
    const src = tempDir();
    write(src, 'f', 'x');
    await expect(takeListing(path.join(src, 'f'), 'directory')).rejects.toThrow(`not a directory: ${path.join(src, 'f')}`);
    await expect(takeListing(path.join(src, 'missing'), 'directory')).rejects.toThrow(path.join(src, 'missing'));
  });

  it('is deterministic, and offsets point at headers and data', async () => {
    const src = tempDir();
    buildTree(src);
    const now = () => new Date('2026-01-01T00:00:00.000Z');
    const first = await takeListing(src, 'directory', { now });
    const second = await takeListing(src, 'directory', { now });
    expect(second).toEqual(first);
    const stream = await streamOf(first);
    expect((await streamOf(second)).equals(stream)).toBe(true);

    for (const entry of first.entries) {
      const ustar = entry.dataOffset - 512;
      expect(stream.toString('latin1', ustar + 257, ustar + 265)).toBe('ustar\u000000');
      expect(stream.toString('latin1', ustar + 156, ustar + 157)).toBe({ file: '0', directory: '5', symlink: '2' }[entry.type]);
      if (entry.offset < ustar) expect(stream.toString('latin1', entry.offset + 156, entry.offset + 157)).toBe('x');
      if (entry.type === 'file') {
        const data = stream.subarray(entry.dataOffset, entry.dataOffset + entry.size);
        expect(data.equals(fs.readFileSync(path.join(src, entry.path)))).toBe(true);
      }
    }
    const last = first.entries.at(-1)!;
    expect(first.size).toBe(last.dataOffset + Math.ceil(last.size / 512) * 512 + 1024);
    expect(stream.subarray(first.size - 1024).equals(Buffer.alloc(1024))).toBe(true);
  });

  it('a single file target is a tar of that file under its base name', async () => {
    const src = tempDir();
    write(src, 'dir/report.pdf', bytesOf(1234, 3), 0o600);
    const listing = await takeListing(path.join(src, 'dir/report.pdf'), 'file');
    expect(listing.entries.map((e) => [e.path, e.size, e.mode])).toEqual([['report.pdf', 1234, 0o600]]);
    const out = tempDir();
    extract(await streamOf(listing), out);
    expect(fs.readdirSync(out)).toEqual(['report.pdf']);
    expect(fs.readFileSync(path.join(out, 'report.pdf')).equals(bytesOf(1234, 3))).toBe(true);
  });

  it('an empty directory is just the two zero blocks', async () => {
    const listing = await takeListing(tempDir(), 'directory');
    expect(listing.size).toBe(1024);
    expect((await streamOf(listing)).equals(Buffer.alloc(1024))).toBe(true);
  });
});

describe('byte ranges (property)', () => {
  const tempDir = useTempDirs('mpb-payload-prop-');
  const dirName = fc.constantFrom('a', 'b', 'Ōsaka 大阪', 'd'.repeat(70));
  const leafName = fc.oneof(
    fc.stringMatching(/^[e-z0-9_-]{1,8}$/),
    fc.constantFrom('ünï 名', 'n'.repeat(110), '.hidden'),
  );
  const item = fc.record({
    dirs: fc.array(dirName, { maxLength: 3 }),
    name: leafName,
    kind: fc.constantFrom('file', 'file', 'dir', 'link'),
    size: fc.oneof(fc.constant(0), fc.nat(2000), fc.integer({ min: 510, max: 514 })),
  });

  function build(root: string, items: Array<{ dirs: string[]; name: string; kind: string; size: number }>, time: number): void {
    for (const [i, it] of items.entries()) {
      const dir = path.join(root, ...it.dirs);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, it.name);
      if (fs.lstatSync(file, { throwIfNoEntry: false })) continue; // a dangling link counts as taken
      if (it.kind === 'dir') fs.mkdirSync(file);
      else if (it.kind === 'link') fs.symlinkSync(`../target-${i}`, file);
      else fs.writeFileSync(file, bytesOf(it.size, i));
    }
    setTimes(root, (rel) => time + rel.length);
  }

  it('chunks glue into the stream, any range is its slice, and tar extracts it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 12 }),
        fc.integer({ min: 97, max: 6000 }),
        fc.array(fc.tuple(fc.nat(40_000), fc.nat(6000)), { maxLength: 8 }),
        fc.integer({ min: T0, max: T0 + 100_000_000 }),
        async (items, chunk, ranges, time) => {
          const src = tempDir();
          build(src, items, time + 0.5);
          const listing = await takeListing(src, 'directory');
          const reader = new StreamReader(listing);
          const full = (await reader.read(0, listing.size)).bytes;
          expect(full.length).toBe(listing.size);
          expect((await reader.read(0, listing.size + 5000)).bytes.equals(full)).toBe(true);

          const chunks: Buffer[] = [];
          const into = Buffer.alloc(chunk, 0xaa);
          for (let offset = 0; offset < listing.size; offset += chunk) {
            const { bytes, changes } = await reader.read(offset, chunk, into);
            expect(changes).toEqual([]);
            expect(bytes.length).toBe(Math.min(chunk, listing.size - offset));
            chunks.push(Buffer.from(bytes));
            into.fill(0xaa);
          }
          expect(Buffer.concat(chunks).equals(full)).toBe(true);

          for (const [offset, length] of ranges) {
            const { bytes } = await reader.read(offset, length);
            const from = Math.min(offset, listing.size);
            expect(bytes.equals(full.subarray(from, Math.min(offset + length, listing.size)))).toBe(true);
          }
          await reader.close();

          const out = tempDir();
          extract(full, out);
          expect(describeTree(out)).toEqual(describeTree(src));
        },
      ),
      { numRuns: 30 },
    );
  });
});
