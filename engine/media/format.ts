// The bytes of a tape volume: the label at offset 0 and, after it, records of header, payload
// and commit mark (docs/volume-format.md has the byte tables). Pure encoding and decoding; every
// decoder checks magic, CRC-32 and ranges and throws VolumeFormatError naming file and position.
import { crc32 } from 'node:zlib';
import { MediaError, VolumeFormatError } from './errors';

export const VOLUME_FORMAT_VERSION = 1;

/** Bytes of the label at the start of every tape; the first record starts here. */
export const LABEL_SIZE = 4096;
export const HEADER_SIZE = 128;
export const COMMIT_MARK_SIZE = 16;
/** Bytes a record takes besides its payload. */
export const RECORD_OVERHEAD = HEADER_SIZE + COMMIT_MARK_SIZE;

const LABEL_MAGIC = Buffer.from('MPBVOL\0\x01', 'latin1');
export const HEADER_MAGIC = Buffer.from('MPBREC\0\x01', 'latin1');
// Last in the commit mark and free of zero bytes: a mark cut short and zero-filled never passes.
const COMMIT_MAGIC = Buffer.from('MPBC', 'latin1');
const LABEL_JSON_AT = 12;
const LABEL_CRC_AT = LABEL_SIZE - 4;
const MAX_LABEL_JSON = LABEL_CRC_AT - LABEL_JSON_AT;
const HEADER_CRC_AT = HEADER_SIZE - 4;
const UINT32_MAX = 0xffff_ffff;
const TYPE_CODES = { data: 1, catalog: 2 } as const;

export interface VolumeLabel {
  volumeId: string;
  library: string;
  /** Bytes the tape holds in all, label included: no record may end past it. */
  capacity: number;
  formatVersion: number;
  labeledAt: string;
}

export type RecordType = 'data' | 'catalog';

export interface RecordHeader {
  type: RecordType;
  backupId: number;
  stream: number;
  chunkIndex: number;
  /** Where the payload belongs in the backup stream. */
  offset: number;
  length: number;
  /** SHA-256 of the payload, hex. */
  sha256: string;
}

export interface StoredRecord extends RecordHeader {
  position: number;
  /** First byte after the commit mark: where the next record goes. */
  end: number;
}

export function encodeLabel(label: VolumeLabel): Buffer {
  const json = Buffer.from(JSON.stringify(label), 'utf8');
  if (json.length > MAX_LABEL_JSON) throw new RangeError(`volume label of ${label.volumeId} is too long (${json.length} bytes of JSON)`);
  const bytes = Buffer.alloc(LABEL_SIZE);
  LABEL_MAGIC.copy(bytes, 0);
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, LABEL_JSON_AT);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, LABEL_CRC_AT)), LABEL_CRC_AT);
  return bytes;
}

/** Decodes a label; `bytes` holds what the file has from offset 0 (at most LABEL_SIZE bytes). */
export function decodeLabel(file: string, bytes: Buffer): VolumeLabel {
  const bad = (detail: string) => new VolumeFormatError(file, 0, `bad volume label: ${detail}`);
  if (bytes.length < LABEL_SIZE) throw bad(`the file has ${bytes.length} bytes, a label needs ${LABEL_SIZE}`);
  if (!bytes.subarray(0, LABEL_MAGIC.length).equals(LABEL_MAGIC)) throw bad('not a tape volume (wrong magic)');
  if (crc32(bytes.subarray(0, LABEL_CRC_AT)) !== bytes.readUInt32LE(LABEL_CRC_AT)) throw bad('CRC-32 mismatch (the label is corrupt)');
  const length = bytes.readUInt32LE(8);
  if (length === 0 || length > MAX_LABEL_JSON) throw bad(`JSON length ${length} is out of range`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', LABEL_JSON_AT, LABEL_JSON_AT + length));
  } catch {
    throw bad('the JSON does not parse');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the JSON is not an object');
  const { volumeId, library, capacity, formatVersion, labeledAt } = value as Record<string, unknown>;
  if (formatVersion !== VOLUME_FORMAT_VERSION) throw bad(`format version ${String(formatVersion)} is not supported (this program reads ${VOLUME_FORMAT_VERSION})`);
  if (typeof volumeId !== 'string' || volumeId === '') throw bad('volumeId is not a non-empty string');
  if (typeof library !== 'string' || library === '') throw bad('library is not a non-empty string');
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < LABEL_SIZE) throw bad(`capacity ${String(capacity)} is not a whole number of bytes >= ${LABEL_SIZE}`);
  if (typeof labeledAt !== 'string' || !Number.isFinite(Date.parse(labeledAt))) throw bad('labeledAt is not a date-time');
  return { volumeId, library, capacity, formatVersion, labeledAt };
}

/** Encodes the header of a record at `position`; throws MediaError for fields out of range. */
export function encodeHeader(file: string, position: number, header: RecordHeader): Buffer {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new MediaError(file, position, `cannot write record: ${what}`);
  };
  check(Object.hasOwn(TYPE_CODES, header.type), `type "${header.type}" is not data or catalog`);
  check(Number.isSafeInteger(header.backupId) && header.backupId >= 0, `backupId ${header.backupId} is not a whole number >= 0`);
  check(Number.isInteger(header.stream) && header.stream >= 0 && header.stream <= UINT32_MAX, `stream ${header.stream} is not a uint32`);
  check(Number.isInteger(header.chunkIndex) && header.chunkIndex >= 0 && header.chunkIndex <= UINT32_MAX, `chunkIndex ${header.chunkIndex} is not a uint32`);
  check(header.length <= UINT32_MAX, `a payload of ${header.length} bytes is longer than 4 GiB - 1`);
  check(Number.isSafeInteger(header.offset) && header.offset >= 0 && Number.isSafeInteger(header.offset + header.length), `offset ${header.offset} is not a whole number >= 0`);
  const bytes = Buffer.alloc(HEADER_SIZE);
  HEADER_MAGIC.copy(bytes, 0);
  bytes.writeUInt8(TYPE_CODES[header.type], 8);
  bytes.writeUInt32LE(header.stream, 12);
  bytes.writeBigUInt64LE(BigInt(header.backupId), 16);
  bytes.writeUInt32LE(header.chunkIndex, 24);
  bytes.writeUInt32LE(header.length, 28);
  bytes.writeBigUInt64LE(BigInt(header.offset), 32);
  bytes.writeBigUInt64LE(BigInt(position), 40);
  bytes.write(header.sha256, 48, 32, 'hex');
  bytes.writeUInt32LE(crc32(bytes.subarray(0, HEADER_CRC_AT)), HEADER_CRC_AT);
  return bytes;
}

/** The CRC-32 a header carries, which its commit mark repeats. */
export function headerCrc(bytes: Buffer): number {
  return bytes.readUInt32LE(HEADER_CRC_AT);
}

/** Decodes and checks the header read at `position` (`bytes` may be short at the end of the file). */
export function decodeHeader(file: string, position: number, bytes: Buffer): RecordHeader {
  const bad = (detail: string) => new VolumeFormatError(file, position, `bad record header: ${detail}`);
  if (bytes.length < HEADER_SIZE) throw bad(`the file ends ${bytes.length} bytes into it (end of data)`);
  if (!bytes.subarray(0, HEADER_MAGIC.length).equals(HEADER_MAGIC)) throw bad('no record here (wrong magic)');
  if (crc32(bytes.subarray(0, HEADER_CRC_AT)) !== headerCrc(bytes)) throw bad('CRC-32 mismatch');
  const code = bytes.readUInt8(8);
  const type = code === TYPE_CODES.data ? 'data' : code === TYPE_CODES.catalog ? 'catalog' : null;
  if (type === null) throw bad(`unknown record type ${code}`);
  const recorded = bytes.readBigUInt64LE(40);
  if (recorded !== BigInt(position)) throw bad(`the header says it was written at byte ${recorded}`);
  const backupId = bytes.readBigUInt64LE(16);
  const offset = bytes.readBigUInt64LE(32);
  const length = bytes.readUInt32LE(28);
  if (backupId > Number.MAX_SAFE_INTEGER) throw bad(`backup id ${backupId} is out of range`);
  if (offset + BigInt(length) > Number.MAX_SAFE_INTEGER) throw bad(`stream offset ${offset} is out of range`);
  return {
    type,
    backupId: Number(backupId),
    stream: bytes.readUInt32LE(12),
    chunkIndex: bytes.readUInt32LE(24),
    offset: Number(offset),
    length,
    sha256: bytes.toString('hex', 48, 80),
  };
}

export function encodeCommitMark(position: number, crc: number): Buffer {
  const bytes = Buffer.alloc(COMMIT_MARK_SIZE);
  bytes.writeBigUInt64LE(BigInt(position), 0);
  bytes.writeUInt32LE(crc, 8);
  COMMIT_MAGIC.copy(bytes, 12);
  return bytes;
}

/** Checks the commit mark of the record at `position` whose header has CRC `crc`. */
export function checkCommitMark(file: string, position: number, crc: number, bytes: Buffer): void {
  const valid =
    bytes.length === COMMIT_MARK_SIZE &&
    bytes.readBigUInt64LE(0) === BigInt(position) &&
    bytes.readUInt32LE(8) === crc &&
    bytes.subarray(12).equals(COMMIT_MAGIC);
  if (!valid) throw new VolumeFormatError(file, position, 'record has no valid commit mark (its write was interrupted)');
}
