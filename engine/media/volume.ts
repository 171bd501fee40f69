// One tape volume kept in one file: mounting (labelling a new tape, checking an old one's label),
// positioning, and writing, reading and scanning records. A record counts once its commit mark
// is on disk, written and fdatasync'd only after its header and payload were. What an
// interrupted write leaves behind: a partial record after the end of data, which readers ignore
// and the next write at that position cuts off; an interrupted labelling leaves `<file>.tmp`.
import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../durable';
import { EndOfMediumError, MediaError, VolumeFormatError } from './errors';
import {
  checkCommitMark,
  COMMIT_MARK_SIZE,
  decodeHeader,
  decodeLabel,
  encodeCommitMark,
  encodeHeader,
  encodeLabel,
  HEADER_SIZE,
  headerCrc,
  LABEL_SIZE,
  RECORD_OVERHEAD,
  VOLUME_FORMAT_VERSION,
  type RecordHeader,
  type StoredRecord,
  type VolumeLabel,
} from './format';

/** What a writer gives for a record: its header fields, and optionally its payload's SHA-256 (hex). */
export type RecordFields = Omit<RecordHeader, 'length' | 'sha256'> & { sha256?: string };

/** A mounted tape. One operation at a time: callers await each before starting the next. */
export interface Volume {
  readonly tapeId: string;
  readonly label: VolumeLabel;
  readonly file: string;
  /** Moves to a byte position (>= LABEL_SIZE); waits positionDelayMs when it actually moves. */
  position(position: number): Promise<void>;
  /** Current position: where the next write goes. */
  readonly at: number;
  /**
   * Writes one record at the current position (truncating there first), fsyncs, commits, fsyncs,
   * advances. The payload's SHA-256 is computed here unless the caller already has it (a mover
   * hashes the next chunk while this one is being synced); a wrong one fails every later read.
   */
  write(header: RecordFields, payload: Uint8Array): Promise<StoredRecord>;
  /**
   * Reads and validates the record at a position (header CRC, commit mark, payload SHA-256); does
   * not move. The payload is read into `into` when it is large enough (see readBufferSize): a
   * reader that reuses its buffers is spared allocating and faulting in fresh memory per record.
   */
  read(position: number, into?: Buffer): Promise<{ record: StoredRecord; payload: Buffer }>;
  /** Committed records from `from` on, headers only, stopping silently at the first incomplete or invalid one. */
  scan(from?: number): AsyncGenerator<StoredRecord>;
  /** Position after the last committed record (end of data). */
  endOfData(): Promise<number>;
  unload(): Promise<void>;
}

export interface MountOptions {
  file: string;
  tapeId: string;
  library: string;
  capacity: number;
  positionDelayMs: number;
}

/** Mounts the tape file, labelling it first if it does not exist yet; the label must name this tape and library. */
export async function mountVolume(options: MountOptions): Promise<Volume> {
  const { file, tapeId, library } = options;
  if (!(await exists(file))) {
    writeFileAtomic(file, encodeLabel({ volumeId: tapeId, library, capacity: options.capacity, formatVersion: VOLUME_FORMAT_VERSION, labeledAt: new Date().toISOString() }));
  }
  const handle = await fs.open(file, 'r+');
  try {
    const label = decodeLabel(file, await readUpTo(handle, LABEL_SIZE, 0));
    if (label.volumeId !== tapeId) throw new VolumeFormatError(file, 0, `the label names volume "${label.volumeId}", not tape "${tapeId}"`);
    if (label.library !== library) throw new VolumeFormatError(file, 0, `the label names library "${label.library}", not "${library}"`);
    return new FileVolume(tapeId, label, file, handle, options.positionDelayMs);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads just the label of a tape file, validating it (VolumeFormatError naming the file). */
export async function readLabel(file: string): Promise<VolumeLabel> {
  const handle = await fs.open(file, 'r');
  try {
    return decodeLabel(file, await readUpTo(handle, LABEL_SIZE, 0));
  } finally {
    await handle.close();
  }
}

class FileVolume implements Volume {
  #handle: FileHandle | null;
  #at = LABEL_SIZE;

  constructor(
    readonly tapeId: string,
    readonly label: VolumeLabel,
    readonly file: string,
    handle: FileHandle,
    private readonly positionDelayMs: number,
  ) {
    this.#handle = handle;
  }

  get at(): number {
    return this.#at;
  }

  async position(position: number): Promise<void> {
    this.#loaded();
    this.#checkPosition(position);
    if (position === this.#at) return;
    if (this.positionDelayMs > 0) await sleep(this.positionDelayMs);
    this.#at = position;
  }

  async write(fields: RecordFields, payload: Uint8Array): Promise<StoredRecord> {
    const handle = this.#loaded();
    const position = this.#at;
    const needed = RECORD_OVERHEAD + payload.length;
    const end = position + needed;
    if (end > this.label.capacity) throw new EndOfMediumError(this.tapeId, this.file, position, needed, this.label.capacity);
    const header: RecordHeader = {
      type: fields.type,
      backupId: fields.backupId,
      stream: fields.stream,
      chunkIndex: fields.chunkIndex,
      offset: fields.offset,
      length: payload.length,
      sha256: fields.sha256 ?? createHash('sha256').update(payload).digest('hex'),
    };
    const headerBytes = encodeHeader(this.file, position, header);
    const { size } = await handle.stat();
    if (position > size) throw new MediaError(this.file, position, `cannot write past the end of the recorded bytes (the file ends at byte ${size})`);
    // Tape semantics: what follows the write position is gone, so no stale bytes can pass for a record.
    if (size > position) await handle.truncate(position);
    await writeAll(handle, this.file, [headerBytes, payload], position);
    await handle.datasync();
    await writeAll(handle, this.file, [encodeCommitMark(position, headerCrc(headerBytes))], end - COMMIT_MARK_SIZE);
    await handle.datasync();
    this.#at = end;
    return { ...header, position, end };
  }

  async read(position: number, into?: Buffer): Promise<{ record: StoredRecord; payload: Buffer }> {
    const handle = this.#loaded();
    this.#checkPosition(position);
    // A buffer large enough for the whole record takes header, payload and commit mark in one
    // read; otherwise the header comes first, then the rest.
    const buffer = into && into.length > HEADER_SIZE ? into : undefined;
    const span = Math.min(buffer?.length ?? HEADER_SIZE, this.label.capacity - position);
    let bytes = await readUpTo(handle, span, position, buffer);
    const { record, crc } = this.#record(position, bytes);
    const length = RECORD_OVERHEAD + record.length;
    if (bytes.length === span && span < length) {
      const whole = Buffer.allocUnsafe(length);
      bytes.copy(whole);
      bytes = whole.subarray(0, span + (await readUpTo(handle, length - span, position + span, whole.subarray(span))).length);
    }
    if (bytes.length < length) {
      throw new VolumeFormatError(this.file, position, `record of ${record.length} bytes runs past the end of the file at byte ${position + bytes.length} (its write was interrupted)`);
    }
    checkCommitMark(this.file, position, crc, bytes.subarray(length - COMMIT_MARK_SIZE, length));
    const payload = bytes.subarray(HEADER_SIZE, HEADER_SIZE + record.length);
    // Hashed in the thread pool (WebCrypto's digest runs off the main thread), so checking a
    // record overlaps whatever the caller does meanwhile.
    const sha256 = Buffer.from(await webcrypto.subtle.digest('SHA-256', payload)).toString('hex');
    if (sha256 !== record.sha256) throw new VolumeFormatError(this.file, position, `payload SHA-256 mismatch: the header says ${record.sha256}, the payload hashes to ${sha256}`);
    return { record, payload };
  }

  async *scan(from = LABEL_SIZE): AsyncGenerator<StoredRecord> {
    this.#checkPosition(from);
    for (let position = from; position < this.label.capacity; ) {
      const handle = this.#loaded();
      let record: StoredRecord;
      try {
        const header = await this.#header(handle, position);
        checkCommitMark(this.file, position, header.crc, await readUpTo(handle, COMMIT_MARK_SIZE, header.record.end - COMMIT_MARK_SIZE));
        record = header.record;
      } catch (error) {
        if (error instanceof VolumeFormatError) return;
        throw error;
      }
      yield record;
      position = record.end;
    }
  }

  async endOfData(): Promise<number> {
    let end = LABEL_SIZE;
    for await (const record of this.scan()) end = record.end;
    return end;
  }

  async unload(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }

  /** Reads and checks the header at `position`, and that its record lies within the capacity and the file. */
  async #header(handle: FileHandle, position: number): Promise<{ record: StoredRecord; crc: number }> {
    const header = this.#record(position, await readUpTo(handle, HEADER_SIZE, position));
    const { size } = await handle.stat();
    if (header.record.end > size) throw new VolumeFormatError(this.file, position, `record of ${header.record.length} bytes runs past the end of the file at byte ${size} (its write was interrupted)`);
    return header;
  }

  /** The record whose header starts `bytes` (read at `position`), checked to lie within the capacity. */
  #record(position: number, bytes: Buffer): { record: StoredRecord; crc: number } {
    const header = decodeHeader(this.file, position, bytes.subarray(0, HEADER_SIZE));
    const end = position + RECORD_OVERHEAD + header.length;
    if (end > this.label.capacity) throw new VolumeFormatError(this.file, position, `record of ${header.length} bytes runs past the capacity (${this.label.capacity} bytes)`);
    return { record: { ...header, position, end }, crc: headerCrc(bytes.subarray(0, HEADER_SIZE)) };
  }

  #checkPosition(position: number): void {
    if (!Number.isSafeInteger(position) || position < LABEL_SIZE || position > this.label.capacity) {
      throw new MediaError(this.file, null, `position ${position} is not a byte offset from ${LABEL_SIZE} (the end of the label) to ${this.label.capacity} (the capacity)`);
    }
  }

  #loaded(): FileHandle {
    if (this.#handle === null) throw new MediaError(this.file, null, `tape ${this.tapeId} is not loaded`);
    return this.#handle;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The size of a buffer `Volume.read` can read a record with a payload of up to `payload` bytes into. */
export function readBufferSize(payload: number): number {
  return RECORD_OVERHEAD + payload;
}

/** Reads `length` bytes at `position`, or fewer where the file ends first. */
async function readUpTo(handle: FileHandle, length: number, position: number, buffer: Buffer = Buffer.allocUnsafe(length)): Promise<Buffer> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

async function writeAll(handle: FileHandle, file: string, buffers: Uint8Array[], position: number): Promise<void> {
  const total = buffers.reduce((sum, b) => sum + b.length, 0);
  const { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten !== total) throw new MediaError(file, position, `short write: ${bytesWritten} of ${total} bytes (is the disk full?)`);
}
