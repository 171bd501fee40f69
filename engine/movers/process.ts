// A mover process: one backup server [300] or copy device [610] carrying one stream of one job.
// It reads the byte ranges of the backup stream from storage (through the target's listing) and
// writes them as records onto the tapes of its library, reporting each chunk once it is durable;
// or, for a restore or a verification, reads a backup back from tapes (reading.ts).
// It exits when told to stop or when the manager goes away (its IPC channel closes), so a mover
// never writes for a manager that is gone. Run by the manager with child_process.fork.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, LiveFault } from '../contract';
import { EndOfMediumError, FileTapeLibrary, RECORD_OVERHEAD, type Volume } from '../media';
import { readListing, StreamReader } from '../payload';
import { FaultPlan } from './faults';
import { FaultMessage, FromMover, ReadWork, ToMover, type FailureCode, type InitMessage, type WriteMessage } from './protocol';
import { ReadJob } from './reading';

/** The run of consecutive records being written: where it started and the hash of its records' digests. */
interface Run {
  tape: string;
  position: number;
  next: number;
  nextOffset: number;
  hash: Hash;
}

class CommandFailed extends Error {
  /** The chunk the command failed at, when it got that far. */
  chunk: number | null = null;

  constructor(
    readonly code: FailureCode,
    readonly device: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** A chunk read from storage, with its SHA-256 computed as soon as it was read. */
type Chunk = Awaited<ReturnType<StreamReader['read']>> & { sha256: string };

class Mover {
  private readonly library: FileTapeLibrary;
  private readonly reader: StreamReader;
  private readonly faults: FaultPlan;
  private volume: Volume | null = null;
  private run: Run | null = null;
  /** Two chunk buffers: one being written to tape while the next chunk is read into the other. */
  private readonly buffers: [Buffer, Buffer];
  private ahead: { chunk: number; read: Promise<Chunk> } | null = null;

  constructor(private readonly init: InitMessage) {
    this.library = new FileTapeLibrary({
      id: init.library.id,
      dir: init.library.dir,
      tapes: init.library.tapes,
      loadDelayMs: init.library.loadDelayMs,
      positionDelayMs: init.library.positionDelayMs,
    });
    this.reader = new StreamReader(readListing(init.listingFile));
    this.faults = new FaultPlan(init.faults);
    const size = Math.min(init.chunkSize, init.streamSize);
    this.buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  }

  async load(tape: string): Promise<string> {
    if (this.volume?.tapeId === tape) return this.volume.label.labeledAt;
    if (this.volume) await this.volume.unload();
    this.volume = null;
    this.volume = await this.library.load(tape);
    return this.volume.label.labeledAt;
  }

  /** Writes the chunks of a command, reporting each as it becomes durable. */
  async write(command: WriteMessage): Promise<void> {
    const volume = this.volume;
    if (!volume || volume.tapeId !== command.tape) throw new CommandFailed('io-error', this.init.library.id, `tape ${command.tape} is not loaded`);
    const { chunkSize, streamSize } = this.init;
    let position = command.position;
    const last = Math.min(command.first + command.count, Math.ceil(streamSize / chunkSize));
    for (let chunk = command.first; chunk < last; chunk++) {
      try {
        const offset = chunk * chunkSize;
        const { bytes, changes, sha256 } = await this.readChunk(chunk);
        const end = position + RECORD_OVERHEAD + bytes.length;
        this.inject(chunk, offset, bytes.length, volume.tapeId, position, end);
        if (end + this.init.reserveTail > volume.label.capacity) {
          throw new CommandFailed('end-of-medium', volume.tapeId, `tape ${volume.tapeId} is full at position ${position}`);
        }
        // Read the next chunk from storage (into the other buffer) while this one goes to tape;
        // a copy device's next command is most likely that chunk.
        this.readAhead(chunk + 1);
        const started = performance.now();
        if (volume.at !== position) await volume.position(position);
        const record = await this.writeRecord(volume, chunk, offset, bytes, sha256);
        const wait = this.faults.minimumMs(bytes.length) - (performance.now() - started);
        if (wait > 0) await sleep(wait);
        const run = this.extendRun(volume.tapeId, record.position, record.end, offset, bytes.length, record.sha256);
        send({
          type: 'stored',
          seq: command.seq,
          chunk,
          offset,
          length: bytes.length,
          tape: volume.tapeId,
          position: record.position,
          end: record.end,
          sha256: record.sha256,
          run: { position: run.position, sha256: run.hash.copy().digest('hex') },
          changes,
        });
        position = record.end;
      } catch (error) {
        if (error instanceof CommandFailed) error.chunk ??= chunk;
        throw error;
      }
    }
  }

  /** A fault the operator injects now: it fires at the next chunk. */
  arm(fault: LiveFault): void {
    this.faults.arm(fault);
  }

  async stop(): Promise<void> {
    await this.reader.close();
    if (this.volume) await this.volume.unload();
    this.volume = null;
  }

  /** A chunk's bytes: the one read ahead if it is that chunk, else read now. */
  private async readChunk(chunk: number): Promise<Chunk> {
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead?.chunk === chunk) return ahead.read;
    // Another chunk was read ahead: let it finish before its buffer can be reused.
    await ahead?.read.catch(() => {});
    return this.readRange(chunk);
  }

  private readAhead(chunk: number): void {
    if (chunk * this.init.chunkSize >= this.init.streamSize) return;
    const read = this.readRange(chunk);
    read.catch(() => {});
    this.ahead = { chunk, read };
  }

  private async readRange(chunk: number): Promise<Chunk> {
    const offset = chunk * this.init.chunkSize;
    const length = Math.min(this.init.chunkSize, this.init.streamSize - offset);
    try {
      const read = await this.reader.read(offset, length, this.buffers[chunk % 2]);
      // Hashed now: for a chunk read ahead, while the previous one is being synced to tape.
      return { ...read, sha256: createHash('sha256').update(read.bytes).digest('hex') };
    } catch (error) {
      throw new CommandFailed('io-error', this.storage(), `reading chunk ${chunk} from storage failed: ${(error as Error).message}`);
    }
  }

  private async writeRecord(volume: Volume, chunk: number, offset: number, bytes: Buffer, sha256: string) {
    try {
      return await volume.write({ type: 'data', backupId: this.init.backupId, stream: this.init.stream, chunkIndex: chunk, offset, sha256 }, bytes);
    } catch (error) {
      if (error instanceof EndOfMediumError) throw new CommandFailed('end-of-medium', volume.tapeId, error.message);
      throw new CommandFailed('io-error', this.init.library.id, `writing chunk ${chunk} to tape ${volume.tapeId} failed: ${(error as Error).message}`);
    }
  }

  /** A fragment's checksum is the SHA-256 of its records' SHA-256 digests, in order (no second pass over the data). */
  private extendRun(tape: string, position: number, end: number, offset: number, length: number, sha256: string): Run {
    const run = this.run;
    if (!run || run.tape !== tape || run.next !== position || run.nextOffset !== offset) {
      this.run = { tape, position, next: end, nextOffset: offset + length, hash: createHash('sha256') };
    } else {
      run.next = end;
      run.nextOffset = offset + length;
    }
    this.run!.hash.update(Buffer.from(sha256, 'hex'));
    return this.run!;
  }

  /** Fires the faults injected for this moment: the process dies, hangs, or the command fails. */
  private inject(chunk: number, offset: number, length: number, tape: string, position: number, end: number): void {
    for (const fault of this.faults.fire({ chunk, offset, length, tape, position, end })) {
      if (fault.kind === 'slow') continue;
      if (fault.kind === 'hang') hang();
      if (fault.kind === 'crash' && fault.device === this.init.mover.id) process.kill(process.pid, 'SIGKILL');
      throw failureOf(fault, chunk);
    }
  }

  private storage(): string | null {
    return this.init.path[0] ?? null;
  }
}

function failureOf(fault: Fault, chunk: number): CommandFailed {
  const where = `at chunk ${chunk}`;
  switch (fault.kind) {
    case 'down':
      return new CommandFailed('path-down', fault.device, `${fault.device} is down ${where}: the stream's path is cut`);
    case 'media-error':
      return new CommandFailed('media-error', fault.device, `media error on tape ${fault.device} ${where}`);
    case 'crash':
      return new CommandFailed('device-offline', fault.device, `${fault.device} went offline ${where}`);
    default:
      return new CommandFailed('io-error', fault.device, `I/O error on ${fault.device} ${where}`);
  }
}

/** A hung device: it never answers again and never writes again. */
function hang(): never {
  process.removeAllListeners('message');
  setInterval(() => {}, 1 << 30);
  throw new HungError();
}

class HungError extends Error {}

/** The plan of a restore or verification, from the file the manager wrote. */
function readWork(file: string): ReadWork {
  const parsed = ReadWork.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`invalid work file ${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** An injected fault that takes the whole mover down while it reads. */
function fatal(fault: Fault): never {
  if (fault.kind === 'crash') process.kill(process.pid, 'SIGKILL');
  hang();
}

function send(message: FromMover): void {
  process.send!(FromMover.parse(message));
}

function main(): void {
  if (!process.send) throw new Error('a mover runs as a child process of the manager (child_process.fork)');
  let mover: Mover | null = null;
  let stopping = false;
  // One command at a time, in the order they came.
  let queue = Promise.resolve();
  // The manager is gone (or said stop): never write another byte.
  process.on('disconnect', () => process.exit(stopping ? 0 : 3));
  let reading: ReadJob | null = null;
  process.on('message', (raw) => {
    // A fault injected now goes straight to the work in progress, past the queue of commands.
    const fault = FaultMessage.safeParse(raw);
    if (fault.success) {
      mover?.arm(fault.data.fault);
      reading?.arm(fault.data.fault);
      return;
    }
    queue = queue.then(async () => {
      const parsed = ToMover.safeParse(raw);
      if (!parsed.success) {
        send({ type: 'failed', seq: 0, chunk: null, code: 'io-error', device: null, message: `bad message from the manager: ${parsed.error.message}` });
        return;
      }
      const message = parsed.data;
      const seq = 'seq' in message ? message.seq : 0;
      try {
        if (message.type === 'init') {
          mover = new Mover(message);
          send({ type: 'ready' });
        } else if (message.type === 'read') {
          reading = new ReadJob(readWork(message.workFile), seq, send, fatal);
          try {
            await reading.run();
          } finally {
            reading = null;
          }
          send({ type: 'done', seq });
        } else if (message.type === 'stop') {
          stopping = true;
          await mover?.stop();
          process.disconnect();
        } else if (!mover) {
          throw new Error(`"${message.type}" before "init"`);
        } else if (message.type === 'load') {
          send({ type: 'loaded', seq, tape: message.tape, labeledAt: await mover.load(message.tape) });
        } else if (message.type === 'write') {
          await mover.write(message);
          send({ type: 'done', seq });
        }
      } catch (error) {
        if (error instanceof HungError) return;
        if (error instanceof CommandFailed) {
          send({ type: 'failed', seq, chunk: error.chunk, code: error.code, device: error.device, message: error.message });
        } else {
          send({ type: 'failed', seq, chunk: null, code: 'io-error', device: null, message: (error as Error).message });
        }
      }
    });
  });
  send({ type: 'hello', pid: process.pid });
}

main();
