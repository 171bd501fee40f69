// Reading everything a tape still holds, damage or not: Volume.scan stops at the first record
// that is not committed, which on a tape damaged in the middle would hide every record after the
// damage (the tape's catalog record included, which is written last). This scan goes on: past a
// stretch without a committed record it looks for the next byte where one starts (its header's
// magic, CRC-32, own position and commit mark all check), and says which stretches it skipped.
// Reads only.
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { HEADER_MAGIC, HEADER_SIZE, LABEL_SIZE, type StoredRecord } from './format';
import type { Volume } from './volume';

/** What a salvaging scan finds, in tape order. */
export type SalvagedItem =
  | { kind: 'record'; record: StoredRecord }
  /** Bytes [from, to) hold no committed record, and one starts at `to`: damage inside the data. */
  | { kind: 'damaged'; from: number; to: number }
  /** Bytes [from, to) after the last committed record hold none (an interrupted write, or garbage). */
  | { kind: 'trailing'; from: number; to: number };

const SEARCH_BLOCK = 1024 * 1024;

/** Every committed record of a mounted tape, resynchronising past stretches that hold none. */
export async function* salvageScan(volume: Volume): AsyncGenerator<SalvagedItem> {
  const handle = await fs.open(volume.file, 'r');
  try {
    let position = LABEL_SIZE;
    for (;;) {
      for await (const record of volume.scan(position)) {
        yield { kind: 'record', record };
        position = record.end;
      }
      const limit = Math.min((await handle.stat()).size, volume.label.capacity);
      const next = await nextRecord(volume, handle, position + 1, limit);
      if (next === null) {
        if (limit > position) yield { kind: 'trailing', from: position, to: limit };
        return;
      }
      yield { kind: 'damaged', from: position, to: next };
      position = next;
    }
  } finally {
    await handle.close();
  }
}

/** The first position from `from` on where a committed record starts, or null. */
async function nextRecord(volume: Volume, handle: FileHandle, from: number, limit: number): Promise<number | null> {
  // Each block overlaps the next by the magic's length less one, so no magic is missed at a seam.
  const buffer = Buffer.alloc(SEARCH_BLOCK + HEADER_MAGIC.length - 1);
  for (let at = from; at + HEADER_SIZE <= limit; at += SEARCH_BLOCK) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, limit - at), at);
    const bytes = buffer.subarray(0, bytesRead);
    for (let i = bytes.indexOf(HEADER_MAGIC); i !== -1 && i < SEARCH_BLOCK; i = bytes.indexOf(HEADER_MAGIC, i + 1)) {
      const scan = volume.scan(at + i);
      const first = await scan.next();
      await scan.return(undefined);
      if (!first.done) return at + i;
    }
  }
  return null;
}
