// Torn writes: a tape cut at any byte (a crash mid-write), or whose bytes from some byte on were
// lost to zeros, shows exactly the records whose commit mark lies wholly before that byte; bytes
// after the last record are never taken for records.
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileTapeLibrary, LABEL_SIZE, type StoredRecord, type Volume } from '../../engine/media';
import { useTempDirs } from '../helpers/temp';

const library = (dir: string) => new FileTapeLibrary({ id: 'lib-1', dir, tapes: [{ id: 'T1', capacity: 2 ** 24 }] });

async function scanAll(volume: Volume): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of volume.scan()) records.push(record);
  return records;
}

const payloads = fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 8 });

async function writeAll(volume: Volume, list: Uint8Array[]): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  let offset = 0;
  for (const [i, payload] of list.entries()) {
    records.push(await volume.write({ type: i === list.length - 1 ? 'catalog' : 'data', backupId: 1, stream: 0, chunkIndex: i, offset }, payload));
    offset += payload.length;
  }
  return records;
}

describe('torn writes', () => {
  const tempDir = useTempDirs('mpb-torn-');

  it('a tape cut (or zeroed) from any byte on scans as exactly the records committed before the cut', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (list, where, zeroFill) => {
        const dir = tempDir();
        const volume = await library(dir).load('T1');
        const records = await writeAll(volume, list);
        await volume.unload();
        const size = fs.statSync(volume.file).size;
        const cut = LABEL_SIZE + Math.floor(where * (size - LABEL_SIZE));
        fs.truncateSync(volume.file, cut);
        // Some file systems grow the file before its data lands: the lost bytes read as zeros.
        if (zeroFill) fs.truncateSync(volume.file, size);

        const reloaded = await library(dir).load('T1');
        const committed = records.filter((r) => r.end <= cut);
        expect(await scanAll(reloaded)).toEqual(committed);
        expect(await reloaded.endOfData()).toBe(committed.at(-1)?.end ?? LABEL_SIZE);
        await reloaded.unload();
      }),
      { numRuns: 150 },
    );
  });

  it('garbage after the last record is ignored, and the next write at the end of data cuts it off', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (list, garbage) => {
        const dir = tempDir();
        const volume = await library(dir).load('T1');
        const records = await writeAll(volume, list);
        fs.appendFileSync(volume.file, garbage);

        expect(await scanAll(volume)).toEqual(records);
        const end = await volume.endOfData();
        expect(end).toBe(records.at(-1)!.end);
        await volume.position(end);
        const next = await volume.write({ type: 'data', backupId: 2, stream: 0, chunkIndex: 0, offset: 0 }, Buffer.from('next'));
        expect(fs.statSync(volume.file).size).toBe(next.end);
        expect(await scanAll(volume)).toEqual([...records, next]);
        await volume.unload();
      }),
      { numRuns: 100 },
    );
  });

  it('a commit mark cut at any byte and zero-filled does not commit its record', async () => {
    const dir = tempDir();
    const volume = await library(dir).load('T1');
    const [first, second] = await writeAll(volume, [Buffer.from('one'), Buffer.from('two')]);
    const bytes = fs.readFileSync(volume.file);
    for (let cut = second!.end - 16; cut < second!.end; cut++) {
      fs.writeFileSync(volume.file, Buffer.concat([bytes.subarray(0, cut), Buffer.alloc(second!.end - cut)]));
      expect(await scanAll(volume)).toEqual([first]);
      await expect(volume.read(second!.position)).rejects.toThrow(/no valid commit mark/);
    }
    await volume.unload();
  });

  it('a copy of a committed record after the end of data is not taken for a record', async () => {
    const dir = tempDir();
    const volume = await library(dir).load('T1');
    const [first] = await writeAll(volume, [Buffer.from('payload one')]);
    // A whole valid record placed where it was not written: its header names another position.
    const bytes = fs.readFileSync(volume.file).subarray(first!.position, first!.end);
    fs.appendFileSync(volume.file, bytes);
    expect(await scanAll(volume)).toEqual([first]);
    await volume.unload();
  });
});
