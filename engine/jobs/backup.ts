// Backup processor [403]. Mirrored (mode A, Figs. 7-8): k >= 2 backup servers each write the
// whole backup stream onto their own tape in parallel; the job succeeds when at least one copy is
// complete. Failover (mode B, Figs. 11-13): copy devices are sent the stream one chunk per command;
// on an error or a timeout the failed mover is fenced and the failed chunk and all later ones go
// to the next stream. Every stored chunk is recorded in the catalog before the next counts, and
// everything reserved is released in every outcome.
//
// What an interrupted run leaves behind: a job and backup the next start marks interrupted (their
// copies failed), reservations it releases, a work directory it removes, and on the tapes at most
// one uncommitted record past each tape's end of data, which the next write there cuts off.
import fs from 'node:fs';
import path from 'node:path';
import {
  BackupRequest,
  type BackupRequestInput,
  type BackupResult,
  type Fault,
  type JobState,
  type LiveFault,
  type PlannedStream,
  type StreamStatus,
} from '../contract';
import { AllocationError } from '../allocation';
import { LABEL_SIZE, RECORD_OVERHEAD } from '../media';
import type { CommandResult, MoverClient, StoredMessage } from '../movers';
import { takeListing, writeListing, type FileChange } from '../payload';
import { agentSteps, hostFaultOutcome, runAgentStep } from './agent';
import { whileTracked, type JobContext } from './context';
import { JobRequestError } from './errors';
import { checkFaults, faultsOfStream, hostFaults } from './faults';
import { libraryInfo } from './libraries';
import { ProgressMeter } from './progress';
import { resolveTarget, type ResolvedTarget } from './target';
import { CATALOG_RESERVE, TAPE_CATALOG_FORMAT, writeTapeCatalog, type TapeCatalog } from './tape-catalog';

type Failure = Extract<CommandResult, { ok: false }>;

/** One reserved stream as the job drives it. */
interface StreamRun {
  planned: PlannedStream;
  client: MoverClient | null;
  /** The tape being written and where the next record goes. */
  tape: string;
  position: number;
  tapes: string[];
  status: StreamStatus;
  /** The device whose failure stopped the stream. */
  failedDevice: string | null;
}

export class BackupProcessor {
  constructor(private readonly ctx: JobContext) {}

  /** Checks a request against the site; throws ZodError or JobRequestError and changes nothing. */
  check(input: BackupRequestInput): { request: BackupRequest; target: ResolvedTarget; faults: Fault[] } {
    const request = BackupRequest.parse(input);
    const site = this.ctx.site;
    const target = resolveTarget(site, request.target);
    const faults = [...site.config.faults, ...request.faults];
    checkFaults(site, faults);
    // Devices it names that do not exist, or contradictory pins: refused before any job exists.
    this.ctx.allocator.check({ streams: request.streams, mover: request.mode === 'mirrored' ? 'backup-server' : 'copy-device', storage: target.storage, constraints: request.constraints });
    // A tape too small for one chunk is passed over (its stream spans to the next tape); a library with no tape a chunk fits on is a mistake.
    for (const library of site.devicesOfKind('library')) {
      const tapes = site.tapesOf(library.id);
      const needed = LABEL_SIZE + RECORD_OVERHEAD + request.chunkSize + catalogReserve(tapes);
      if (tapes.length > 0 && !tapes.some((tape) => tape.capacity >= needed)) {
        const largest = Math.max(...tapes.map((t) => t.capacity));
        throw new JobRequestError(`a chunk of ${request.chunkSize} bytes fits on no tape of ${library.id} (the largest holds ${largest} bytes); use a smaller --chunk-size`);
      }
    }
    return { request, target, faults };
  }

  /**
   * Runs a backup to its end and returns where it stands. Only bad input throws. `onJob` is told
   * the job's id as soon as the job is recorded (before anything is reserved).
   */
  async run(input: BackupRequestInput, onJob?: (jobId: number) => void): Promise<BackupResult> {
    const { request, target, faults } = this.check(input);
    this.ctx.admit();
    const job = this.ctx.catalog.jobs.create({
      kind: 'backup',
      target: target.name,
      mode: request.mode,
      streams: request.streams,
      createdAt: this.ctx.now(),
      scheduleId: request.scheduleId ?? null,
    });
    onJob?.(job.id);
    const run = new BackupRun(this.ctx, job.id, request, target, faults);
    await whileTracked(this.ctx, job.id, { cancel: () => run.cancel(), inject: (fault) => run.inject(fault) }, () => run.execute());
    return this.result(job.id);
  }

  /** A backup job as the catalog records it: the job, its backup, its streams and fragments. */
  result(jobId: number): BackupResult {
    const job = this.ctx.catalog.jobs.get(jobId);
    if (!job) throw new JobRequestError(`no job ${jobId}`);
    const backup = this.ctx.catalog.backups.byJob(jobId) ?? null;
    return {
      job,
      backup,
      streams: this.ctx.catalog.jobs.streams(jobId),
      fragments: backup ? this.ctx.catalog.backups.fragments(backup.id) : [],
    };
  }
}

/** Bytes kept free at the end of a library's tapes for their catalog records. */
export function catalogReserve(tapes: ReadonlyArray<{ capacity: number }>): number {
  const smallest = Math.min(...tapes.map((t) => t.capacity));
  return Math.min(CATALOG_RESERVE, Math.floor(smallest / 16));
}

class BackupRun {
  private streams: StreamRun[] = [];
  private backupId: number | null = null;
  private size = 0;
  private chunks = 0;
  private prepared = false;
  private meter: ProgressMeter | null = null;
  /** Tapes this job stored data on. */
  private readonly touched = new Set<string>();
  /** Files already reported as changed, so two streams do not report one twice. */
  private readonly changed = new Set<number>();
  /** An error of the manager itself (e.g. the catalog) met while a mover reported. */
  private fatal: Error | null = null;
  /** The operator cancelled the job. */
  private cancelled = false;
  private readonly workDir: string;
  /** The mover processes starting while the target is prepared and listed. */
  private spawning: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: JobContext,
    private readonly jobId: number,
    private readonly request: BackupRequest,
    private readonly target: ResolvedTarget,
    private readonly faults: Fault[],
  ) {
    this.workDir = path.join(ctx.site.dir, 'work', `job-${jobId}`);
  }

  async execute(): Promise<void> {
    let outcome: { state: JobState; message: string | null } = { state: 'failed', message: null };
    try {
      outcome = await this.steps();
    } catch (error) {
      if (error instanceof Cancelled) {
        outcome = { state: 'cancelled', message: CANCELLED };
      } else {
        outcome = { state: 'failed', message: `the job stopped on an unexpected error: ${(error as Error).message}` };
        this.log('error', outcome.message!);
      }
      if (this.backupId !== null) this.ctx.catalog.backups.finish(this.backupId, 'failed', this.ctx.now());
    } finally {
      const note = await this.cleanUp();
      if (note && outcome.message === null) outcome.message = note;
    }
    this.ctx.catalog.jobs.setState(this.jobId, outcome.state, this.ctx.now(), outcome.message);
    const level = outcome.state === 'succeeded' ? 'info' : outcome.state === 'succeeded-degraded' || outcome.state === 'cancelled' ? 'warning' : 'error';
    this.log(level, `backup of ${this.target.name} ${outcome.state}${outcome.message ? `: ${outcome.message}` : ''}`);
    this.ctx.emit({ type: 'job-finished', jobId: this.jobId, state: outcome.state, backupId: this.backupId, message: outcome.message });
  }

  /** The operator cancels: every mover is fenced at once, and the job ends at its next step. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.log('warning', `cancel asked by the operator: stopping ${this.streams.length > 0 ? this.streams.map((s) => s.planned.mover).join(', ') : 'the job'}`);
    for (const s of this.streams) void s.client?.fence();
  }

  /**
   * A live fault (demo sites) on a device of this job: a mover's crash kills its process now; any
   * other fault goes to the mover of every running stream using the device, for its next chunk.
   */
  inject(fault: LiveFault): number[] {
    const reached: number[] = [];
    for (const s of this.streams) {
      const { planned } = s;
      const uses = [planned.mover, planned.library, ...s.tapes, ...planned.switches, this.target.storage].includes(fault.device);
      if (!uses || !s.client?.alive || (s.status !== 'running' && s.status !== 'reserved')) continue;
      if (fault.device === planned.mover && fault.kind === 'crash') void s.client.fence();
      else s.client.injectFault(fault);
      reached.push(planned.stream);
    }
    return reached;
  }

  private checkCancelled(): void {
    if (this.cancelled) throw new Cancelled();
  }

  private async steps(): Promise<{ state: JobState; message: string | null }> {
    this.setJobState('reserving');
    const mover = this.request.mode === 'mirrored' ? 'backup-server' : 'copy-device';
    try {
      const planned = this.ctx.reserve(this.jobId, {
        streams: this.request.streams,
        mover,
        storage: this.target.storage,
        constraints: this.request.constraints,
      });
      this.streams = planned.map((p) => ({ planned: p, client: null, tape: p.tape, position: this.fillOf(p.tape), tapes: [p.tape], status: 'reserved', failedDevice: null }));
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      return { state: 'failed', message: `not started: ${error.message}` };
    }
    this.log('info', `reserved ${this.streams.map((s) => describe(s.planned)).join('; ')}`);
    this.checkCancelled();
    this.setJobState('running');
    this.spawnMovers();

    const problem = await this.prepare();
    this.checkCancelled();
    if (problem) return { state: 'failed', message: problem };
    await this.list();
    await this.startMovers();
    this.checkCancelled();
    if (this.request.mode === 'mirrored') await this.mirror();
    else await this.failover();
    if (this.fatal) throw this.fatal;
    this.checkCancelled();
    this.meter?.flush();

    const outcome = this.outcome();
    this.ctx.catalog.backups.finish(this.backupId!, outcome.state === 'failed' ? 'failed' : 'complete', this.ctx.now());
    await this.stopMovers();
    await this.writeTapeCatalogs();
    return outcome;
  }

  /** Step 1010: the host's agent prepares the target. Returns why it failed, or null. */
  private async prepare(): Promise<string | null> {
    const hostFault = hostFaults(this.ctx.site, this.faults)[0];
    if (hostFault) return `prepare failed: ${await hostFaultOutcome(hostFault, this.request.timeoutMs)}`;
    for (const step of agentSteps(this.ctx.site, this.target.name, 'prepare')) {
      const problem = await runAgentStep(step, this.request.timeoutMs, this.ctx.site.dir);
      if (problem) return `prepare failed: ${problem}`;
    }
    this.prepared = true;
    return null;
  }

  /** Takes the target's listing (its time is the data time), records the backup and its file index. */
  private async list(): Promise<void> {
    const listing = await takeListing(this.target.source, this.target.kind, { now: () => new Date(this.ctx.now()) });
    for (const skipped of listing.skipped) this.log('warning', `not backed up: ${skipped.path}: ${skipped.reason}`);
    this.size = listing.size;
    this.chunks = Math.ceil(listing.size / this.request.chunkSize);
    const copies = this.request.mode === 'mirrored' ? this.streams.map((s) => s.planned.stream) : [0];
    this.backupId = this.ctx.catalog.backups.create({
      jobId: this.jobId,
      target: this.target.name,
      mode: this.request.mode,
      sourceKind: this.target.kind,
      dataTime: listing.takenAt,
      startedAt: this.ctx.now(),
      size: listing.size,
      chunkSize: this.request.chunkSize,
      files: listing.entries.length,
      copies,
    });
    this.ctx.catalog.backups.addFiles(this.backupId, listing.entries);
    fs.mkdirSync(this.workDir, { recursive: true });
    writeListing(path.join(this.workDir, 'listing.json'), listing);
    this.meter = new ProgressMeter(this.jobId, this.size, this.streams.map((s) => s.planned.stream), (event) => this.ctx.emit(event));
    this.log('info', `backup ${this.backupId}: ${listing.entries.length} entries, ${listing.size} bytes in ${this.chunks} chunks; data time ${listing.takenAt}`);
  }

  /** The movers' processes start while the agent prepares and the target is listed. */
  private spawnMovers(): void {
    this.spawning = Promise.all(
      this.streams.map(async (s) => {
        const { client, result } = await this.ctx.movers.take(s.planned.mover, this.request.timeoutMs);
        s.client = client;
        if (!result.ok) await this.failStream(s, result);
      }),
    );
  }

  /** Step 1090 / 3030: every stream's mover gets its work and loads its tape, before any data moves. */
  private async startMovers(): Promise<void> {
    await this.spawning;
    const site = this.ctx.site;
    await Promise.all(
      this.streams.map(async (s) => {
        if (s.status !== 'reserved' || !s.client) return;
        const library = libraryInfo(site, s.planned.library);
        const result = await s.client.init(
          {
            mover: { id: s.planned.mover, kind: this.request.mode === 'mirrored' ? 'backup-server' : 'copy-device' },
            listingFile: path.join(this.workDir, 'listing.json'),
            streamSize: this.size,
            chunkSize: this.request.chunkSize,
            backupId: this.backupId!,
            stream: s.planned.stream,
            library,
            reserveTail: catalogReserve(library.tapes),
            path: [this.target.storage, ...s.planned.switches],
            faults: faultsOfStream(site, s.planned, this.target.storage, this.faults),
          },
        );
        if (!result.ok) return this.failStream(s, result);
        const loaded = await s.client.load(s.tape, this.libraryDelay(s));
        if (!loaded.ok) return this.failStream(s, loaded);
        this.ctx.catalog.backups.setTapeLabeled(s.tape, s.planned.library, this.ctx.now());
      }),
    );
  }

  /** Mode A: every stream writes the whole stream in parallel; each completed one is a copy. */
  private async mirror(): Promise<void> {
    await Promise.all(
      this.streams
        .filter((s) => s.status === 'reserved')
        .map(async (s) => {
          this.setStream(s, 'running');
          const result = await this.write(s, 0, this.chunks, s.planned.stream);
          if (this.cancelled) return this.setStream(s, 'failed', CANCELLED);
          if (!result.ok) return this.failStream(s, result);
          this.setStream(s, 'completed');
          this.ctx.catalog.backups.setCopy(this.backupId!, s.planned.stream, 'complete');
        }),
    );
  }

  /** Mode B: one chunk per command on the current stream; on a failure the next stream continues. */
  private async failover(): Promise<void> {
    let chunk = 0;
    let current = this.streams.find((s) => s.status === 'reserved');
    while (current && chunk < this.chunks) {
      if (current.status === 'reserved') this.setStream(current, 'running');
      const result = await this.write(current, chunk, 1, 0);
      if (this.cancelled) return this.setStream(current, 'failed', CANCELLED);
      if (result.ok) {
        chunk++;
        continue;
      }
      await this.failStream(current, { ...result, chunk: result.chunk ?? chunk });
      const next = this.streams.find((s) => s.status === 'reserved');
      if (next) {
        this.log('warning', `failover at chunk ${chunk}: stream ${current.planned.stream} (${current.planned.mover}) -> stream ${next.planned.stream} (${next.planned.mover})`);
        this.ctx.emit({ type: 'failover', jobId: this.jobId, from: current.planned.stream, to: next.planned.stream, chunk });
      }
      current = next;
    }
    if (current && chunk >= this.chunks) {
      this.setStream(current, 'completed');
      this.ctx.catalog.backups.setCopy(this.backupId!, 0, 'complete');
    }
    for (const s of this.streams) if (s.status === 'reserved') this.setStream(s, 'unused');
  }

  /**
   * Writes chunks [first, first + count) on a stream, recording each stored chunk. When the tape
   * is full the stream moves on to another tape of its library (spanning) and goes on.
   */
  private async write(s: StreamRun, first: number, count: number, copy: number): Promise<CommandResult> {
    let next = first;
    const end = first + count;
    for (;;) {
      const result = await s.client!.write(
        { tape: s.tape, position: s.position, first: next, count: end - next, extraMs: this.libraryDelay(s) },
        (message) => {
          if (this.stored(s, message, copy, next)) next = message.chunk + 1;
        },
      );
      if (result.ok) return result;
      if (result.code !== 'end-of-medium') return { ...result, chunk: result.chunk ?? next };
      const failure = await this.span(s);
      if (failure) return failure;
    }
  }

  /** Records a chunk a mover stored; false (and the mover fenced) when the report makes no sense. */
  private stored(s: StreamRun, m: StoredMessage, copy: number, expected: number): boolean {
    try {
      if (m.chunk !== expected || m.tape !== s.tape || m.position !== s.position) {
        throw new Error(`${s.planned.mover} reported chunk ${m.chunk} at ${m.tape}:${m.position}, not chunk ${expected} at ${s.tape}:${s.position}`);
      }
      this.ctx.catalog.backups.commitChunk({
        backupId: this.backupId!,
        jobId: this.jobId,
        copy,
        stream: s.planned.stream,
        chunkIndex: m.chunk,
        offset: m.offset,
        size: m.length,
        library: s.planned.library,
        tape: m.tape,
        position: m.position,
        end: m.end,
        run: m.run,
      });
      this.ctx.inventory.noteTapeUsage({ id: m.tape, usedBytes: m.end, full: false });
      s.position = m.end;
      this.touched.add(m.tape);
      this.meter?.add(s.planned.stream, m.length);
      if (m.changes.length > 0) this.noteChanges(m.changes);
      return true;
    } catch (error) {
      this.fatal ??= error as Error;
      void s.client?.fence();
      return false;
    }
  }

  /** Files that changed or vanished after the listing: logged once and marked in the file index. */
  private noteChanges(changes: readonly FileChange[]): void {
    const fresh = changes.filter((c) => !this.changed.has(c.no));
    for (const change of fresh) {
      this.changed.add(change.no);
      this.log('warning', `${change.path} ${change.reason} after the listing was taken (${change.detail}); its data is not in this backup`);
    }
    this.ctx.catalog.backups.markFiles(this.backupId!, fresh.map((c) => ({ no: c.no, status: c.reason })));
  }

  /** Spanning: the stream's tape is full; it continues on another tape of its library. */
  private async span(s: StreamRun): Promise<Failure | null> {
    const library = s.planned.library;
    this.ctx.catalog.backups.setTapeFull(s.tape, library);
    this.ctx.inventory.noteTapeUsage({ id: s.tape, usedBytes: this.fillOf(s.tape), full: true });
    const tape = this.ctx.allocator.nextTape(this.jobId, s.planned.stream, library);
    if (tape === null) {
      return { ok: false, code: 'end-of-medium', device: library, chunk: null, message: `tape ${s.tape} is full and ${library} has no other tape that can take data` };
    }
    this.log('info', `tape ${s.tape} is full: stream ${s.planned.stream} continues on tape ${tape}`, library);
    s.tape = tape;
    s.tapes.push(tape);
    s.position = this.fillOf(tape);
    this.ctx.catalog.jobs.setStream(this.jobId, s.planned.stream, { tapes: s.tapes });
    const loaded = await s.client!.load(tape, this.libraryDelay(s));
    if (!loaded.ok) return loaded;
    this.ctx.catalog.backups.setTapeLabeled(tape, library, this.ctx.now());
    return null;
  }

  /** A stream is given up: its mover fenced, its copy (mirrored) failed, the operator told why. */
  private async failStream(s: StreamRun, failure: Failure): Promise<void> {
    await s.client?.fence();
    s.failedDevice = failure.device;
    const at = failure.chunk === null ? '' : ` at chunk ${failure.chunk}`;
    const cause = `${failure.message}${failure.code === 'timeout' ? '; fenced' : ''}`;
    this.setStream(s, 'failed', `${failure.code}${at}: ${cause}`);
    if (this.request.mode === 'mirrored' && this.backupId !== null) this.ctx.catalog.backups.setCopy(this.backupId, s.planned.stream, 'failed');
    this.log('error', `stream ${s.planned.stream} (${s.planned.mover}) failed${at}: ${cause}`, failure.device ?? undefined);
    this.ctx.emit({ type: 'stream-failed', jobId: this.jobId, stream: s.planned.stream, device: failure.device, cause });
  }

  private outcome(): { state: JobState; message: string | null } {
    const failed = this.streams.filter((s) => s.status === 'failed');
    const why = failed.map((s) => `stream ${s.planned.stream} ${this.streamError(s)}`).join('; ');
    if (!this.streams.some((s) => s.status === 'completed')) return { state: 'failed', message: `every stream failed: ${why}` };
    if (this.request.mode === 'mirrored' && failed.length > 0) return { state: 'succeeded-degraded', message: why };
    return { state: 'succeeded', message: failed.length > 0 ? `failed over: ${why}` : null };
  }

  private streamError(s: StreamRun): string {
    return this.ctx.catalog.jobs.streams(this.jobId).find((o) => o.stream === s.planned.stream)?.error ?? 'failed';
  }

  /** Step 1170: each tape this job wrote on gets a record of everything the catalog has on it. */
  private async writeTapeCatalogs(): Promise<void> {
    const tapes = new Map<string, StreamRun>();
    for (const s of this.streams) for (const tape of s.tapes) if (this.touched.has(tape)) tapes.set(tape, s);
    for (const [tape, s] of tapes) {
      if (s.failedDevice === tape || s.failedDevice === s.planned.library) {
        this.log('warning', `no catalog record written on tape ${tape}: ${s.failedDevice} failed during the job`, tape);
        continue;
      }
      const library = s.planned.library;
      const catalog: TapeCatalog = {
        format: TAPE_CATALOG_FORMAT,
        version: 1,
        tape,
        library,
        writtenAt: this.ctx.now(),
        backups: this.ctx.catalog.backups.onTape(tape),
      };
      try {
        const record = await writeTapeCatalog(this.ctx.site, catalog, this.fillOf(tape), this.backupId!, s.planned.stream);
        this.ctx.catalog.backups.setTapeUsed(tape, library, record.end);
        this.ctx.inventory.noteTapeUsage({ id: tape, usedBytes: record.end, full: this.ctx.inventory.tapeUsage(tape).full });
      } catch (error) {
        this.log('warning', `could not write the catalog record on tape ${tape}: ${(error as Error).message}`, tape);
      }
    }
  }

  private async stopMovers(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.client?.stop()));
  }

  /** In every outcome: movers stopped, the agent's finish run, everything released, work files removed. */
  private async cleanUp(): Promise<string | null> {
    let note: string | null = null;
    await this.spawning.catch(() => {});
    await Promise.all(this.streams.map((s) => s.client?.fence()));
    if (this.prepared) {
      for (const step of agentSteps(this.ctx.site, this.target.name, 'finish')) {
        const problem = await runAgentStep(step, this.request.timeoutMs, this.ctx.site.dir);
        if (problem) {
          note = `finish failed: ${problem}`;
          this.log('warning', note);
        }
      }
    }
    this.ctx.movers.fill();
    const released = this.ctx.allocator.release(this.jobId);
    if (released.length > 0) this.log('info', `released ${released.map((r) => r.id).join(', ')}`);
    fs.rmSync(this.workDir, { recursive: true, force: true });
    return note;
  }

  private setJobState(state: JobState): void {
    this.ctx.catalog.jobs.setState(this.jobId, state, this.ctx.now());
    this.ctx.emit({ type: 'job-state', jobId: this.jobId, state, message: null });
  }

  private setStream(s: StreamRun, status: StreamStatus, error?: string): void {
    s.status = status;
    this.ctx.catalog.jobs.setStream(this.jobId, s.planned.stream, { status, ...(error !== undefined ? { error } : {}) });
  }

  /** Where the next record goes on a tape: after its data, or after its label when blank. */
  private fillOf(tape: string): number {
    return Math.max(this.ctx.inventory.tapeUsage(tape).usedBytes, LABEL_SIZE);
  }

  /** Load plus positioning time of a stream's library, added to its command timeouts. */
  private libraryDelay(s: StreamRun): number {
    const library = this.ctx.site.device(s.planned.library);
    return library?.kind === 'library' ? library.loadDelayMs + library.positionDelayMs : 0;
  }

  private log(level: 'info' | 'warning' | 'error', message: string, deviceId?: string): void {
    this.ctx.log(level, message, { jobId: this.jobId, ...(deviceId !== undefined ? { deviceId } : {}) });
  }
}

const CANCELLED = 'cancelled by the operator';

/** Thrown at the next step of a job the operator cancelled. */
class Cancelled extends Error {}

function describe(p: PlannedStream): string {
  return `stream ${p.stream}: ${p.mover}, ${p.library} tape ${p.tape}, via ${p.switches.join(', ') || 'direct links'}`;
}
