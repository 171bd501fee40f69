// A mover reading a backup back (step 2080): the chunks of the plan in stream order, each from
// its first source and, when that fails (read error, checksum mismatch, a fault), from the next.
// Each library is read by its own task, in parallel, each at most a few of its own chunks ahead
// of the extraction, so memory stays bounded. Restore hands every chunk to the extractor; verify checks
// every fragment's checksum as well. Nothing is written but the restored entries.
import { createHash, type Hash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { Fault, LiveFault } from '../contract';
import { FileTapeLibrary, readBufferSize, type Volume } from '../media';
import { Extractor, type EntryOutcome } from '../payload';
import { FaultPlan } from './faults';
import type { FromMover, ReadWork } from './protocol';

/** Chunks of its own a library's task may have read (or be reading) ahead of the one being extracted. */
const READ_AHEAD = 3;
/**
 * Bytes handed to the extractor at a time. Its writes are synchronous; between slices the tape
 * reads' completions get their turn, so every library keeps reading while files are written.
 */
const FEED_SLICE = 256 * 1024;
/** Entry outcomes sent in one message at most. */
const OUTCOME_BATCH = 500;

type Chunk = ReadWork['chunks'][number];
type Source = Chunk['sources'][number];
type VerifyFragment = Extract<ReadWork['task'], { kind: 'verify' }>['fragments'][number];
type Got = { ok: true; bytes: Buffer; sha256: string; source: Source } | { ok: false; reason: string };

class ReadFailure extends Error {
  constructor(
    readonly device: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A library as the mover drives it: one drive (one loaded tape) per reading task. A drive that
 * reads ahead reads into a ring of READ_AHEAD + 1 buffers: a chunk's buffer is reused only after
 * the chunk has been extracted, since its task never gets further ahead than that.
 */
class Drive {
  private volume: Volume | null = null;
  private readonly ring: Buffer[] = [];
  private turn = 0;

  constructor(
    private readonly library: FileTapeLibrary,
    /** Bytes of the largest chunk to read into the ring; null: a buffer per read. */
    private readonly ringChunk: number | null = null,
  ) {}

  async read(tape: string, position: number): Promise<{ payload: Buffer; record: { backupId: number; offset: number; sha256: string; type: string } }> {
    if (this.volume?.tapeId !== tape) {
      await this.volume?.unload();
      this.volume = null;
      this.volume = await this.library.load(tape);
    }
    return this.volume.read(position, this.nextBuffer());
  }

  private nextBuffer(): Buffer | undefined {
    if (this.ringChunk === null) return undefined;
    const slot = this.turn++ % (READ_AHEAD + 1);
    this.ring[slot] ??= Buffer.allocUnsafeSlow(readBufferSize(this.ringChunk));
    return this.ring[slot];
  }

  async unload(): Promise<void> {
    await this.volume?.unload();
    this.volume = null;
  }
}

export class ReadJob {
  private readonly libraries = new Map<string, FileTapeLibrary>();
  private readonly faults = new Map<string, FaultPlan>();
  private readonly offline = new Set<string>();
  private readonly outcomes: EntryOutcome[] = [];
  private readonly slots: Array<{ promise: Promise<Got>; resolve: (got: Got) => void }>;
  private extracted = 0;
  /** Library tasks waiting for the extraction to move on. */
  private waiting: Array<() => void> = [];

  constructor(
    private readonly work: ReadWork,
    private readonly seq: number,
    private readonly send: (message: FromMover) => void,
    /** Called when an injected fault makes the whole mover die or hang. */
    private readonly onFatal: (fault: Fault) => never,
  ) {
    for (const info of work.libraries) this.libraries.set(info.id, new FileTapeLibrary(info));
    for (const device of new Set(work.faults.map((f) => f.device))) {
      this.faults.set(device, new FaultPlan(work.faults.filter((f) => f.device === device)));
    }
    this.slots = work.chunks.map(() => {
      let resolve!: (got: Got) => void;
      const promise = new Promise<Got>((r) => (resolve = r));
      return { promise, resolve };
    });
  }

  async run(): Promise<void> {
    const { task } = this.work;
    const extractor =
      task.kind === 'restore'
        ? new Extractor(task.destination, task.entries, this.work.sourceKind, task.onConflict, task.tag, (outcome) => this.outcome(outcome))
        : null;
    const readers = this.startReaders();
    const runs = task.kind === 'verify' ? new RunChecker(task.fragments, this.seq, this.send) : null;
    try {
      for (const [i, chunk] of this.work.chunks.entries()) {
        let got = await this.slots[i]!.promise;
        if (!got.ok && chunk.sources.length > 1) got = await this.fallback(chunk);
        this.moveOn(i + 1);
        if (got.ok) {
          runs?.add(got.source, chunk, got.sha256);
          if (extractor) {
            for (let at = 0; at < got.bytes.length; at += FEED_SLICE) {
              extractor.feed(chunk.offset + at, got.bytes.subarray(at, at + FEED_SLICE));
              await setImmediate();
            }
          }
        } else {
          runs?.lose(chunk);
          extractor?.lose(chunk.offset, chunk.length, got.reason);
        }
      }
      await extractor?.finish();
    } catch (error) {
      extractor?.abort();
      throw error;
    } finally {
      this.moveOn(Infinity);
      await readers;
      this.flushOutcomes();
    }
  }

  /** One task per library of first sources, each reading its chunks in stream order. */
  private startReaders(): Promise<void> {
    const byLibrary = new Map<string, number[]>();
    this.work.chunks.forEach((chunk, i) => {
      const first = chunk.sources[0];
      if (!first) return this.slots[i]!.resolve({ ok: false, reason: 'no copy of this part of the backup can be read' });
      const list = byLibrary.get(first.library) ?? [];
      list.push(i);
      byLibrary.set(first.library, list);
    });
    return Promise.all(
      [...byLibrary].map(async ([library, indices]) => {
        const drive = new Drive(this.library(library), Math.max(...indices.map((i) => this.work.chunks[i]!.length)));
        try {
          let ownExtracted = 0;
          for (const [k, i] of indices.entries()) {
            for (;;) {
              while (ownExtracted < k && indices[ownExtracted]! < this.extracted) ownExtracted++;
              if (k - ownExtracted < READ_AHEAD) break;
              await new Promise<void>((resolve) => this.waiting.push(resolve));
            }
            if (this.extracted === Infinity) return;
            this.slots[i]!.resolve(await this.readFrom(drive, this.work.chunks[i]!, 0));
          }
        } finally {
          await drive.unload();
        }
      }),
    ).then(() => {});
  }

  /** The other sources of a chunk, in order, each through a drive of its own. */
  private async fallback(chunk: Chunk): Promise<Got> {
    let last: Got = { ok: false, reason: 'no other copy' };
    for (let n = 1; n < chunk.sources.length; n++) {
      const drive = new Drive(this.library(chunk.sources[n]!.library));
      try {
        last = await this.readFrom(drive, chunk, n);
      } finally {
        await drive.unload();
      }
      if (last.ok) return last;
    }
    return last;
  }

  /** Reads a chunk from source `n`, checking it is the record the plan says; reports a failure. */
  private async readFrom(drive: Drive, chunk: Chunk, n: number): Promise<Got> {
    const source = chunk.sources[n]!;
    try {
      this.inject(chunk, source);
      if (this.offline.has(source.library)) throw new ReadFailure(source.library, `${source.library} is offline`);
      const { payload, record } = await drive.read(source.tape, source.position).catch((error: Error) => {
        throw new ReadFailure(source.tape, error.message);
      });
      if (record.type !== 'data' || record.backupId !== this.work.backupId || record.offset !== chunk.offset || payload.length !== chunk.length) {
        throw new ReadFailure(source.tape, `tape ${source.tape} at ${source.position} holds ${record.type} record of backup ${record.backupId} at offset ${record.offset}, not chunk ${chunk.index} of backup ${this.work.backupId}`);
      }
      this.send({ type: 'chunk-read', seq: this.seq, chunk: chunk.index, length: payload.length, copy: source.copy, library: source.library, tape: source.tape });
      return { ok: true, bytes: payload, sha256: record.sha256, source };
    } catch (error) {
      if (!(error instanceof ReadFailure)) throw error;
      const retry = n + 1 < chunk.sources.length;
      this.send({ type: 'read-failed', seq: this.seq, chunk: chunk.index, copy: source.copy, library: source.library, tape: source.tape, device: error.device, message: error.message, retry });
      return { ok: false, reason: `chunk ${chunk.index} could not be read from any copy: ${error.message}` };
    }
  }

  /** A fault the operator injects now: it fires as its device handles the next chunk. */
  arm(fault: LiveFault): void {
    let plan = this.faults.get(fault.device);
    if (!plan) this.faults.set(fault.device, (plan = new FaultPlan([])));
    plan.arm(fault);
  }

  /** Injected faults of the mover, the library and the tape fire as the chunk is about to be read. */
  private inject(chunk: Chunk, source: Source): void {
    const moment = { chunk: chunk.index, offset: chunk.offset, length: chunk.length, tape: source.tape, position: source.position, end: source.position + chunk.length };
    for (const device of [this.work.mover.id, source.library, source.tape]) {
      for (const fault of this.faults.get(device)?.fire(moment) ?? []) {
        if (fault.kind === 'slow' || fault.kind === 'down') continue;
        if (device === this.work.mover.id && (fault.kind === 'crash' || fault.kind === 'hang')) this.onFatal(fault);
        if (fault.kind === 'crash') this.offline.add(device);
        const what = fault.kind === 'crash' ? 'went offline' : fault.kind === 'hang' ? 'stopped answering' : fault.kind === 'media-error' ? 'has a media error' : 'failed with an I/O error';
        throw new ReadFailure(device, `${device} ${what} at chunk ${chunk.index}`);
      }
    }
  }

  private moveOn(extracted: number): void {
    this.extracted = extracted;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private library(id: string): FileTapeLibrary {
    const library = this.libraries.get(id);
    if (!library) throw new Error(`library ${id} is not part of this job`);
    return library;
  }

  private outcome(outcome: EntryOutcome): void {
    this.outcomes.push(outcome);
    if (this.outcomes.length >= OUTCOME_BATCH) this.flushOutcomes();
  }

  private flushOutcomes(): void {
    if (this.outcomes.length > 0) this.send({ type: 'entries', seq: this.seq, outcomes: this.outcomes.splice(0) });
  }
}

interface Run {
  fragment: VerifyFragment;
  hash: Hash;
  bytes: number;
  broken: boolean;
}

/** Verify: the SHA-256 of each fragment's record digests, in order, against the catalog's. */
class RunChecker {
  private readonly runs: Run[];

  constructor(
    fragments: readonly VerifyFragment[],
    private readonly seq: number,
    private readonly send: (message: FromMover) => void,
  ) {
    this.runs = fragments.map((fragment) => ({ fragment, hash: createHash('sha256'), bytes: 0, broken: false }));
  }

  add(source: Source, chunk: Chunk, sha256: string): void {
    const run = this.runOf(source.copy, chunk.offset);
    if (!run) return;
    run.hash.update(Buffer.from(sha256, 'hex'));
    run.bytes += chunk.length;
    this.check(run);
  }

  lose(chunk: Chunk): void {
    const copy = chunk.sources[0]?.copy;
    const run = copy === undefined ? undefined : this.runOf(copy, chunk.offset);
    if (run) run.broken = true;
  }

  private runOf(copy: number, offset: number): Run | undefined {
    return this.runs.find(({ fragment: f }) => f.copy === copy && offset >= f.offset && offset < f.offset + f.size);
  }

  private check(run: Run): void {
    const f = run.fragment;
    if (run.bytes < f.size || run.broken) return;
    if (run.hash.digest('hex') !== f.sha256) {
      this.send({ type: 'fragment-bad', seq: this.seq, copy: f.copy, tape: f.tape, position: f.position, message: `the fragment at ${f.tape}:${f.position} does not match its checksum` });
    }
  }
}
