// The extractor on crafted streams: hostile names never write outside the destination, a symlink
// pointing out is never written through, lost ranges fail only their entries and leave no
// temporary or half-written file, and any way of cutting the stream into pieces gives the same tree.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Extractor, type EntryOutcome, type ExtractEntry } from '../../engine/payload';
import { craftStream } from '../helpers/crafted';
import { describeTree } from '../helpers/trees';
import { useTempDirs } from '../helpers/temp';

async function extract(destination: string, stream: Buffer, entries: ExtractEntry[], cuts: number[] = []): Promise<EntryOutcome[]> {
  const outcomes: EntryOutcome[] = [];
  const extractor = new Extractor(destination, entries, 'directory', 'rename', 'test', (o) => outcomes.push(o));
  const points = [...new Set([0, ...cuts.filter((c) => c > 0 && c < stream.length), stream.length])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) extractor.feed(points[i]!, stream.subarray(points[i], points[i + 1]));
  await extractor.finish();
  return outcomes;
}

describe('extractor', () => {
  const tempDir = useTempDirs('mpb-extract-');

  it('refuses "..", absolute names and writes through a symlink that points out', async () => {
    const root = tempDir();
    const destination = path.join(root, 'dest');
    fs.mkdirSync(destination);
    const outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    const { stream, entries } = craftStream([
      { path: '../escape', type: 'file', data: 'out!' },
      { path: 'ok/../../escape2', type: 'file', data: 'out!' },
      { path: '/tmp/absolute', type: 'file', data: 'out!' },
      { path: 'link', type: 'symlink', linkTarget: outside },
      { path: 'link/inside-the-link', type: 'file', data: 'out!' },
      { path: 'fine.txt', type: 'file', data: 'in' },
    ]);
    const outcomes = await extract(destination, stream, entries);
    const byPath = new Map(outcomes.map((o) => [o.path, o]));
    for (const p of ['../escape', 'ok/../../escape2', '/tmp/absolute', 'link/inside-the-link']) expect(byPath.get(p)?.outcome).toBe('failed');
    expect(byPath.get('fine.txt')?.outcome).toBe('restored');
    expect(byPath.get('link')?.outcome).toBe('restored');
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(['dest', 'outside']);
    expect(fs.existsSync('/tmp/absolute')).toBe(false);
    expect([...describeTree(destination).keys()]).toEqual(['fine.txt', 'link']);
  });

  it('a lost range fails just the entries in it and leaves no temporary file', async () => {
    const destination = tempDir();
    const { stream, entries } = craftStream([
      { path: 'a.txt', type: 'file', data: 'a'.repeat(3000) },
      { path: 'b.txt', type: 'file', data: 'b'.repeat(3000) },
      { path: 'c.txt', type: 'file', data: 'c'.repeat(3000) },
    ]);
    const outcomes: EntryOutcome[] = [];
    const extractor = new Extractor(destination, entries, 'directory', 'rename', 'test', (o) => outcomes.push(o));
    const b = entries[1]!;
    extractor.feed(0, stream.subarray(0, b.dataOffset + 1000));
    extractor.lose(b.dataOffset + 1000, 1000, 'chunk 7 could not be read');
    extractor.feed(b.dataOffset + 2000, stream.subarray(b.dataOffset + 2000));
    await extractor.finish();
    expect(outcomes.map((o) => [o.path, o.outcome])).toEqual([
      ['a.txt', 'restored'],
      ['b.txt', 'failed'],
      ['c.txt', 'restored'],
    ]);
    expect(fs.readdirSync(destination).sort()).toEqual(['a.txt', 'c.txt']);
  });

  it('any cutting of the stream into pieces gives the same tree (property)', async () => {
    const { stream, entries } = craftStream([
      { path: 'd', type: 'directory' },
      { path: 'd/one', type: 'file', data: 'x'.repeat(1500) },
      { path: 'd/e', type: 'directory' },
      { path: 'd/e/two', type: 'file', data: '' },
      { path: 'd/l', type: 'symlink', linkTarget: 'one' },
      { path: 'top', type: 'file', data: 'y'.repeat(513) },
    ]);
    const expected = describeTree(await (async () => {
      const d = tempDir();
      await extract(d, stream, entries);
      return d;
    })());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(stream.length), { maxLength: 12 }), async (cuts) => {
        const d = tempDir();
        const outcomes = await extract(d, stream, entries, cuts);
        expect(outcomes.every((o) => o.outcome === 'restored')).toBe(true);
        expect(describeTree(d)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
