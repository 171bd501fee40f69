// Records on a tape: they read back as written (offsets past 4 GiB too), scan in order, fail
// their checks when damaged on disk, stop at the capacity without touching the file, and a write
// at an earlier position cuts off what followed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EndOfMediumError, FileTapeLibrary, LABEL_SIZE, MediaError, RECORD_OVERHEAD, readBufferSize, VolumeFormatError, type StoredRecord, type Volume } from '../../engine/media';
import { useTempDirs } from '../helpers/temp';

const GiB = 2 ** 30;

async function loadTape(dir: string, capacity = 64 * 2 ** 20): Promise<Volume> {
  return new FileTapeLibrary({ id: 'lib-1', dir, tapes: [{ id: 'T1', capacity }] }).load('T1');
}

async function scanAll(volume: Volume, from?: number): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of volume.scan(from)) records.push(record);
  return records;
}

const data = (chunkIndex: number, offset: number) => ({ type: 'data' as const, backupId: 7, stream: 1, chunkIndex, offset });

/** Flips one byte of a file in place. */
function flipByte(file: string, position: number): void {
  const fd = fs.openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, position);
  byte[0] = byte[0]! ^ 0xff;
  fs.writeSync(fd, byte, 0, 1, position);
  fs.closeSync(fd);
}

describe('volume records', () => {
  const tempDir = useTempDirs('mpb-media-');

  it('round-trips data and catalog records, offsets past 4 GiB included, in scan order', async () => {
    const dir = tempDir();
    const volume = await loadTape(dir);
    const payloads = [randomBytes(1000), Buffer.alloc(0), randomBytes(70_000), Buffer.from('{"rows":[]}')];
    const headers = [
      data(0, 0),
      { type: 'data' as const, backupId: 2 ** 40, stream: 0xffff_ffff, chunkIndex: 0xffff_ffff, offset: 5 * GiB },
      data(2, Number.MAX_SAFE_INTEGER - 70_000),
      { type: 'catalog' as const, backupId: 7, stream: 0, chunkIndex: 0, offset: 0 },
    ];
    const written: StoredRecord[] = [];
    for (const [i, header] of headers.entries()) written.push(await volume.write(header, payloads[i]!));

    expect(written[0]!.position).toBe(LABEL_SIZE);
    for (const [i, record] of written.entries()) {
      expect(record).toMatchObject({ ...headers[i], length: payloads[i]!.length });
      expect(record.end).toBe(record.position + RECORD_OVERHEAD + payloads[i]!.length);
      if (i > 0) expect(record.position).toBe(written[i - 1]!.end);
    }
    expect(volume.at).toBe(written[3]!.end);
    expect(fs.statSync(volume.file).size).toBe(written[3]!.end);
    await volume.unload();

    const again = await loadTape(dir);
    expect(again.at).toBe(LABEL_SIZE);
    expect(await scanAll(again)).toEqual(written);
    expect(await scanAll(again, written[2]!.position)).toEqual(written.slice(2));
    expect(await again.endOfData()).toBe(written[3]!.end);
    for (const [i, record] of written.entries()) {
      const { record: read, payload } = await again.read(record.position);
      expect(read).toEqual(record);
      expect(payload.equals(payloads[i]!)).toBe(true);
    }
    // Into a reused buffer when it is large enough (then the payload is a view of it), else into a new one.
    const ring = Buffer.alloc(readBufferSize(70_000));
    for (const [i, record] of written.entries()) {
      const { payload } = await again.read(record.position, ring);
      expect(payload.equals(payloads[i]!)).toBe(true);
      expect(payload.buffer === ring.buffer).toBe(true);
    }
    const small = Buffer.alloc(readBufferSize(999));
    const { payload } = await again.read(written[2]!.position, small);
    expect(payload.equals(payloads[2]!)).toBe(true);
    expect(payload.buffer === small.buffer).toBe(false);
    await again.unload();
  });

  it('a flipped payload byte fails read with the SHA-256; scan, which does not hash, still lists it', async () => {
    const volume = await loadTape(tempDir());
    const a = await volume.write(data(0, 0), randomBytes(500));
    const b = await volume.write(data(1, 500), randomBytes(500));
    flipByte(volume.file, b.position + 128 + 10);
    const error = await volume.read(b.position).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VolumeFormatError);
    expect((error as Error).message).toContain(volume.file);
    expect((error as Error).message).toContain(`at byte ${b.position}`);
    expect((error as Error).message).toMatch(/SHA-256 mismatch/);
    expect((await volume.read(a.position)).record).toEqual(a);
    expect(await scanAll(volume)).toEqual([a, b]);
    await volume.unload();
  });

  it('a flipped header byte fails read with the CRC and ends the scan before that record', async () => {
    const volume = await loadTape(tempDir());
    const a = await volume.write(data(0, 0), randomBytes(300));
    const b = await volume.write(data(1, 300), randomBytes(300));
    await volume.write(data(2, 600), randomBytes(300));
    flipByte(volume.file, b.position + 30);
    await expect(volume.read(b.position)).rejects.toThrow(new RegExp(`at byte ${b.position}: bad record header: CRC-32 mismatch`));
    expect(await scanAll(volume)).toEqual([a]);
    expect(await volume.endOfData()).toBe(a.end);
    await volume.unload();
  });

  it('a record cut short by an interrupted write fails read, into a buffer or not', async () => {
    const volume = await loadTape(tempDir());
    const a = await volume.write(data(0, 0), randomBytes(5000));
    const b = await volume.write(data(1, 5000), randomBytes(5000));
    fs.truncateSync(volume.file, b.position + 128 + 100);
    for (const into of [undefined, Buffer.alloc(readBufferSize(5000)), Buffer.alloc(readBufferSize(100))]) {
      const error = await volume.read(b.position, into).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VolumeFormatError);
      expect((error as Error).message).toMatch(/runs past the end of the file at byte \d+ \(its write was interrupted\)/);
    }
    expect((await volume.read(a.position, Buffer.alloc(readBufferSize(5000)))).record).toEqual(a);
    await volume.unload();
  });

  it('read at a position where no record starts is a VolumeFormatError', async () => {
    const volume = await loadTape(tempDir());
    const a = await volume.write(data(0, 0), randomBytes(300));
    await expect(volume.read(a.position + 1)).rejects.toBeInstanceOf(VolumeFormatError);
    await expect(volume.read(a.end)).rejects.toThrow(/end of data/);
    await expect(volume.read(LABEL_SIZE - 1)).rejects.toBeInstanceOf(MediaError);
    await volume.unload();
  });

  it('an exact fit is written; one byte over throws EndOfMediumError and leaves the file byte-identical', async () => {
    const capacity = LABEL_SIZE + 2 * RECORD_OVERHEAD + 1000 + 500;
    const volume = await loadTape(tempDir(), capacity);
    const first = await volume.write(data(0, 0), randomBytes(1000));
    const before = fs.readFileSync(volume.file);
    const error = await volume.write(data(1, 1000), randomBytes(501)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndOfMediumError);
    expect(error).toMatchObject({ tapeId: 'T1', position: first.end, needed: RECORD_OVERHEAD + 501, capacity });
    expect((error as Error).message).toContain(volume.file);
    expect(fs.readFileSync(volume.file).equals(before)).toBe(true);
    expect(volume.at).toBe(first.end);

    const last = await volume.write(data(1, 1000), randomBytes(500));
    expect(last.end).toBe(capacity);
    expect(fs.statSync(volume.file).size).toBe(capacity);
    await expect(volume.write(data(2, 1500), Buffer.alloc(0))).rejects.toBeInstanceOf(EndOfMediumError);
    expect(await scanAll(volume)).toEqual([first, last]);
    await volume.unload();
  });

  it('end of medium at an earlier position does not cut off the later records', async () => {
    const capacity = LABEL_SIZE + 2 * RECORD_OVERHEAD + 200;
    const volume = await loadTape(tempDir(), capacity);
    const a = await volume.write(data(0, 0), randomBytes(100));
    const b = await volume.write(data(1, 100), randomBytes(100));
    const before = fs.readFileSync(volume.file);
    await volume.position(a.position);
    await expect(volume.write(data(0, 0), randomBytes(capacity))).rejects.toBeInstanceOf(EndOfMediumError);
    expect(fs.readFileSync(volume.file).equals(before)).toBe(true);
    expect(await scanAll(volume)).toEqual([a, b]);
    await volume.unload();
  });

  it('writing at an earlier position truncates the later records', async () => {
    const volume = await loadTape(tempDir());
    const [a, b] = [await volume.write(data(0, 0), randomBytes(400)), await volume.write(data(1, 400), randomBytes(400))];
    const c = await volume.write(data(2, 800), randomBytes(400));
    await volume.position(b.position);
    const replacement = await volume.write({ type: 'catalog', backupId: 7, stream: 1, chunkIndex: 0, offset: 0 }, randomBytes(10));
    expect(replacement.position).toBe(b.position);
    expect(fs.statSync(volume.file).size).toBe(replacement.end);
    expect(await scanAll(volume)).toEqual([a, replacement]);
    await expect(volume.read(c.position)).rejects.toBeInstanceOf(VolumeFormatError);
    await volume.unload();
  });

  it('refuses to write past the recorded bytes, to bad positions and with bad header fields', async () => {
    const volume = await loadTape(tempDir());
    const a = await volume.write(data(0, 0), randomBytes(10));
    await volume.position(a.end + 100);
    await expect(volume.write(data(1, 10), randomBytes(10))).rejects.toThrow(/cannot write past the end of the recorded bytes/);
    await expect(volume.position(LABEL_SIZE - 1)).rejects.toBeInstanceOf(MediaError);
    await expect(volume.position(1.5 * LABEL_SIZE + 0.5)).rejects.toBeInstanceOf(MediaError);
    await expect(volume.position(volume.label.capacity + 1)).rejects.toBeInstanceOf(MediaError);
    await volume.position(a.end);
    await expect(volume.write({ ...data(1, 10), stream: -1 }, randomBytes(10))).rejects.toThrow(/stream -1 is not a uint32/);
    await expect(volume.write({ ...data(1, 10), type: 'junk' as 'data' }, randomBytes(10))).rejects.toThrow(/type "junk"/);
    await expect(volume.write({ ...data(1, 10), offset: 2 ** 53 }, randomBytes(10))).rejects.toThrow(/offset/);
    expect(fs.statSync(volume.file).size).toBe(a.end);
    await volume.unload();
    await expect(volume.write(data(1, 10), randomBytes(10))).rejects.toThrow(/tape T1 is not loaded/);
    await expect(scanAll(volume)).rejects.toThrow(/not loaded/);
  });
});
