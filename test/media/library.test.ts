// The file-backed tape library: labels a new tape, refuses a tape whose label names another
// library or volume or is corrupt (naming the file), and honours its load and position delays.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeLabel } from '../../engine/media/format';
import { FileTapeLibrary, LABEL_SIZE, MediaError, readLabel, VOLUME_FORMAT_VERSION, VolumeFormatError } from '../../engine/media';
import { useTempDirs } from '../helpers/temp';

const tapes = [
  { id: 'T1', capacity: 2 ** 20 },
  { id: 'T2', capacity: 2 ** 21 },
];

async function loadError(library: FileTapeLibrary, tapeId: string): Promise<Error> {
  const error = await library.load(tapeId).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('file tape library', () => {
  const tempDir = useTempDirs('mpb-library-');

  it('labels a new tape in a new directory and keeps the label on reload', async () => {
    const dir = path.join(tempDir(), 'libraries', 'lib-1');
    const library = new FileTapeLibrary({ id: 'lib-1', dir, tapes });
    const volume = await library.load('T2');
    expect(volume.file).toBe(path.join(dir, 'T2.tape'));
    expect(volume.label).toMatchObject({ volumeId: 'T2', library: 'lib-1', capacity: 2 ** 21, formatVersion: VOLUME_FORMAT_VERSION });
    expect(Number.isFinite(Date.parse(volume.label.labeledAt))).toBe(true);
    expect(volume.at).toBe(LABEL_SIZE);
    expect(fs.statSync(volume.file).size).toBe(LABEL_SIZE);
    expect(fs.readdirSync(dir)).toEqual(['T2.tape']);
    await volume.unload();
    expect(await readLabel(volume.file)).toEqual(volume.label);
    const again = await library.load('T2');
    expect(again.label).toEqual(volume.label);
    await again.unload();
  });

  it('refuses a tape whose label names another library, naming the file', async () => {
    const dir = tempDir();
    await (await new FileTapeLibrary({ id: 'lib-1', dir, tapes }).load('T1')).unload();
    const error = await loadError(new FileTapeLibrary({ id: 'lib-2', dir, tapes }), 'T1');
    expect(error).toBeInstanceOf(VolumeFormatError);
    expect(error.message).toBe(`${path.join(dir, 'T1.tape')} at byte 0: the label names library "lib-1", not "lib-2"`);
  });

  it('refuses a tape whose label names another volume', async () => {
    const dir = tempDir();
    await (await new FileTapeLibrary({ id: 'lib-1', dir, tapes }).load('T1')).unload();
    fs.renameSync(path.join(dir, 'T1.tape'), path.join(dir, 'T2.tape'));
    const error = await loadError(new FileTapeLibrary({ id: 'lib-1', dir, tapes }), 'T2');
    expect(error).toBeInstanceOf(VolumeFormatError);
    expect(error.message).toContain(path.join(dir, 'T2.tape'));
    expect(error.message).toMatch(/label names volume "T1", not tape "T2"/);
  });

  it('refuses a corrupt, truncated, foreign or future label without changing the file', async () => {
    const dir = tempDir();
    const library = new FileTapeLibrary({ id: 'lib-1', dir, tapes });
    await (await library.load('T1')).unload();
    const file = path.join(dir, 'T1.tape');
    const good = fs.readFileSync(file);
    const future = encodeLabel({ volumeId: 'T1', library: 'lib-1', capacity: 2 ** 20, formatVersion: 2, labeledAt: new Date().toISOString() });
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.concat([good.subarray(0, 20), Buffer.from([good[20]! ^ 1]), good.subarray(21)]), /CRC-32 mismatch/],
      [good.subarray(0, 100), /the file has 100 bytes, a label needs 4096/],
      [Buffer.from('just some text file\n'.repeat(300)), /not a tape volume/],
      [future, /format version 2 is not supported/],
    ];
    for (const [bytes, message] of cases) {
      fs.writeFileSync(file, bytes);
      for (const error of [await loadError(library, 'T1'), (await readLabel(file).catch((e: unknown) => e)) as Error]) {
        expect(error).toBeInstanceOf(VolumeFormatError);
        expect(error.message).toContain(`${file} at byte 0: bad volume label: `);
        expect(error.message).toMatch(message);
      }
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    }
  });

  it('refuses unknown tapes and bad options', async () => {
    const dir = tempDir();
    const library = new FileTapeLibrary({ id: 'lib-1', dir, tapes });
    const error = await loadError(library, 'T9');
    expect(error).toBeInstanceOf(MediaError);
    expect(error.message).toBe(`${dir}: library lib-1 has no tape "T9"`);
    expect(() => new FileTapeLibrary({ id: 'lib-1', dir, tapes: [{ id: '../x', capacity: 2 ** 20 }] })).toThrow(/tape id "..\/x"/);
    expect(() => new FileTapeLibrary({ id: 'lib-1', dir, tapes: [{ id: 'T1', capacity: 100 }] })).toThrow(/capacity 100/);
    expect(() => new FileTapeLibrary({ id: 'lib-1', dir, tapes: [...tapes, tapes[0]!] })).toThrow(/listed twice/);
    expect(() => new FileTapeLibrary({ id: 'lib-1', dir, tapes, loadDelayMs: -1 })).toThrow(/loadDelayMs/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('waits the load delay, and the position delay only when the position changes', async () => {
    const library = new FileTapeLibrary({ id: 'lib-1', dir: tempDir(), tapes, loadDelayMs: 30, positionDelayMs: 30 });
    let start = performance.now();
    const volume = await library.load('T1');
    expect(performance.now() - start).toBeGreaterThanOrEqual(28);
    const record = await volume.write({ type: 'data', backupId: 1, stream: 0, chunkIndex: 0, offset: 0 }, Buffer.from('x'));
    start = performance.now();
    await volume.position(LABEL_SIZE);
    expect(performance.now() - start).toBeGreaterThanOrEqual(28);
    expect(volume.at).toBe(LABEL_SIZE);
    await volume.position(record.end);
    start = performance.now();
    await volume.position(record.end);
    const stay = performance.now() - start;
    start = performance.now();
    await volume.position(LABEL_SIZE);
    expect(performance.now() - start).toBeGreaterThan(stay);
    await volume.unload();
  });
});
