// The catalog's append-only journal: one record per committed transaction, fdatasync'd before
// the transaction becomes visible. Replayed on open over the last snapshot. A crash mid-append
// leaves a torn last record, which readers ignore and the next open truncates.
//
// Record layout (little-endian):
//   0  u32  magic 0x4A42504D ("MPBJ")
//   4  u32  payload length in bytes
//   8  f64  sequence number (a whole number, strictly increasing)
//  16  u32  CRC-32 of bytes 8..15 and the payload
//  20  ...  payload: UTF-8 JSON, [[sql, params], ...]
import fs from 'node:fs';
import { crc32 } from 'node:zlib';

export const JOURNAL_MAGIC = 0x4a42504d;
export const RECORD_HEADER = 20;

export type SqlValue = string | number | null;
export type Statement = [sql: string, params: SqlValue[]];

export interface JournalRecord {
  seq: number;
  statements: Statement[];
}

export function encodeRecord(record: JournalRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record.statements), 'utf8');
  const buffer = Buffer.alloc(RECORD_HEADER + payload.length);
  buffer.writeUInt32LE(JOURNAL_MAGIC, 0);
  buffer.writeUInt32LE(payload.length, 4);
  buffer.writeDoubleLE(record.seq, 8);
  payload.copy(buffer, RECORD_HEADER);
  buffer.writeUInt32LE(crc32(payload, crc32(buffer.subarray(8, 16))), 16);
  return buffer;
}

/**
 * Reads every complete, intact record from the start of `data`. Reading stops at the first
 * record that is cut short or fails its checks; `validBytes` is where that record begins.
 */
export function decodeRecords(data: Uint8Array): { records: JournalRecord[]; validBytes: number } {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const records: JournalRecord[] = [];
  let offset = 0;
  let lastSeq = -Infinity;
  while (offset + RECORD_HEADER <= buffer.length) {
    if (buffer.readUInt32LE(offset) !== JOURNAL_MAGIC) break;
    const length = buffer.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER + length;
    if (end > buffer.length) break;
    const seq = buffer.readDoubleLE(offset + 8);
    const payload = buffer.subarray(offset + RECORD_HEADER, end);
    if (crc32(payload, crc32(buffer.subarray(offset + 8, offset + 16))) !== buffer.readUInt32LE(offset + 16)) break;
    if (!Number.isSafeInteger(seq) || seq <= lastSeq) break;
    const statements = parseStatements(payload);
    if (!statements) break;
    records.push({ seq, statements });
    lastSeq = seq;
    offset = end;
  }
  return { records, validBytes: offset };
}

function parseStatements(payload: Buffer): Statement[] | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    if (!Array.isArray(value)) return null;
    for (const item of value) {
      if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !Array.isArray(item[1])) return null;
    }
    return value as Statement[];
  } catch {
    return null;
  }
}

/** The open journal file. */
export class Journal {
  private constructor(
    private readonly fd: number,
    private size: number,
  ) {}

  /**
   * Opens (or creates) the journal, returns its intact records and truncates a torn tail so new
   * records follow the last good one.
   */
  static open(file: string): { journal: Journal; records: JournalRecord[]; truncatedBytes: number } {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    try {
      const data = fs.readFileSync(fd);
      const { records, validBytes } = decodeRecords(data);
      if (validBytes < data.length) {
        fs.ftruncateSync(fd, validBytes);
        fs.fdatasyncSync(fd);
      }
      return { journal: new Journal(fd, validBytes), records, truncatedBytes: data.length - validBytes };
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends one record and waits until it is on disk. On failure the file is cut back. */
  append(record: JournalRecord): void {
    const buffer = encodeRecord(record);
    try {
      let written = 0;
      while (written < buffer.length) written += fs.writeSync(this.fd, buffer, written, buffer.length - written, this.size + written);
      fs.fdatasyncSync(this.fd);
    } catch (error) {
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // The torn record is ignored by the next open anyway.
      }
      throw error;
    }
    this.size += buffer.length;
  }

  /** Empties the journal once a snapshot holds everything in it. */
  reset(): void {
    fs.ftruncateSync(this.fd, 0);
    fs.fdatasyncSync(this.fd);
    this.size = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
