// The restore processor [404] (SPEC "Restore", steps 2000-2110) and verification. A restore
// checks the request, plans which chunk comes from which tape, reserves the libraries, tapes, a
// mover and the switches of its paths, hands the mover the plan (it reads, checks and extracts),
// reports what was restored, skipped or failed, and releases everything in every outcome. What
// an interrupted restore leaves: temporary files in the destination, removed at the next start
// (`cleanTemporaries`), never a half-written file under its final name.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  RestoreRequest,
  VerifyRequest,
  type BackupView,
  type ChunkSource,
  type CopyVerification,
  type Fault,
  type JobState,
  type LiveFault,
  type PlannedChunk,
  type RestorePlan,
  type RestoreRequestInput,
  type RestoreResult,
  type VerifyRequestInput,
  type VerifyResult,
} from '../contract';
import { AllocationError, type ReservedReader } from '../allocation';
import { writeFileAtomic } from '../durable';
import { RECORD_OVERHEAD } from '../media';
import type { CommandResult, MoverClient, ReadReport, ReadWork } from '../movers';
import type { EntryOutcome } from '../payload';
import { whileTracked, type JobContext } from './context';
import { JobRequestError } from './errors';
import { checkFaults } from './faults';
import { libraryInfo } from './libraries';
import { ProgressMeter } from './progress';
import { restorePlan, selectEntries, type RestoreSelection } from './restore-plan';
import { restoreStorage } from './target';

/** Failed entries named one by one in the job's log; the rest are counted. */
const LOGGED_FAILURES = 200;
const WORK_FILE = 'read.json';
const RESTORE_NOTE = 'restore.json';
const CANCELLED = 'cancelled by the operator';

interface CheckedRestore {
  request: RestoreRequest;
  backup: BackupView;
  selection: RestoreSelection;
  destination: string;
  faults: Fault[];
}

export class RestoreProcessor {
  constructor(private readonly ctx: JobContext) {}

  /** Checks a request against the catalog and the file system; throws (ZodError, JobRequestError) and changes nothing. */
  check(input: RestoreRequestInput): CheckedRestore {
    const request = RestoreRequest.parse(input);
    const backup = this.restorable(request.backupId);
    const selection = selectEntries(this.ctx.catalog, backup, request.paths);
    const destination = this.checkDestination(request.destination);
    const faults = [...request.faults];
    checkFaults(this.ctx.site, faults);
    return { request, backup, selection, destination, faults };
  }

  /** The plan a restore would follow now: which chunk from which tape, in which order. */
  plan(input: RestoreRequestInput): RestorePlan {
    const { backup, selection } = this.check(input);
    return restorePlan(backup, this.ctx.catalog.backups.fragments(backup.id), selection, this.ctx.inventory);
  }

  /**
   * Runs a restore to its end. Only bad input throws; every other outcome is in the result (and
   * stored as the job's report). `onJob` is told the job's id as soon as it is recorded.
   */
  async run(input: RestoreRequestInput, onJob?: (jobId: number) => void): Promise<RestoreResult> {
    const checked = this.check(input);
    this.ctx.admit();
    const job = this.ctx.catalog.jobs.create({ kind: 'restore', target: checked.backup.target, mode: null, streams: 1, createdAt: this.ctx.now() });
    onJob?.(job.id);
    return ReadRun.tracked(new RestoreRun(this.ctx, job.id, checked));
  }

  /** Reads every chunk of every copy of a backup and checks it; a report per copy. */
  async verify(input: VerifyRequestInput, onJob?: (jobId: number) => void): Promise<VerifyResult> {
    const request = VerifyRequest.parse(input);
    const backup = this.ctx.catalog.backups.get(request.backupId);
    if (!backup) throw new JobRequestError(`no backup ${request.backupId}`);
    this.ctx.admit();
    const job = this.ctx.catalog.jobs.create({ kind: 'verify', target: backup.target, mode: null, streams: 1, createdAt: this.ctx.now() });
    onJob?.(job.id);
    return ReadRun.tracked(new VerifyRun(this.ctx, job.id, backup, request.timeoutMs));
  }

  private restorable(backupId: number): BackupView {
    const backup = this.ctx.catalog.backups.get(backupId);
    if (!backup) throw new JobRequestError(`no backup ${backupId}`);
    if (backup.state !== 'complete') throw new JobRequestError(`backup ${backupId} is ${backup.state}, not complete: it cannot be restored`);
    if (!backup.copies.some((c) => c.state === 'complete')) throw new JobRequestError(`backup ${backupId} has no complete copy`);
    return backup;
  }

  /** An absolute directory (created when missing) that is writable and outside the site's libraries. */
  private checkDestination(text: string): string {
    if (!path.isAbsolute(text)) throw new JobRequestError(`the destination must be an absolute path, not "${text}"`);
    let existing = path.resolve(text);
    const missing: string[] = [];
    while (!fs.existsSync(existing)) {
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
    const stats = fs.statSync(existing);
    if (!stats.isDirectory()) throw new JobRequestError(`the destination ${text} is not a directory (${existing} is a file)`);
    try {
      fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
    } catch {
      throw new JobRequestError(`the destination ${existing} is not writable`);
    }
    const real = path.join(fs.realpathSync(existing), ...missing);
    const inside = (dir: string, parent: string) => dir === parent || dir.startsWith(parent + path.sep);
    const realOf = (dir: string) => (fs.existsSync(dir) ? fs.realpathSync(dir) : path.resolve(dir));
    // Tapes and the catalog are never written by a restore, whatever the conflict policy.
    for (const library of this.ctx.site.devicesOfKind('library')) {
      const dir = realOf(this.ctx.site.libraryDir(library));
      if (inside(real, dir) || inside(dir, real)) throw new JobRequestError(`the destination ${text} would hold or be inside the tapes of ${library.id} (${dir})`);
    }
    if (inside(realOf(this.ctx.site.dir), real)) throw new JobRequestError(`the destination ${text} would hold the site directory and its catalog`);
    return real;
  }
}

/** What a job reading a backup back has in common: reserve, run the mover, release. */
abstract class ReadRun<R = unknown> {
  protected client: MoverClient | null = null;
  /** What the job holds: its mover, libraries, tapes and switches. */
  protected reader: ReservedReader | null = null;
  /** The operator cancelled the job. */
  protected cancelled = false;
  protected readonly workDir: string;
  protected readonly tapesRead: string[] = [];
  protected chunksRead = 0;
  /** The mover reported the end of its work. */
  private done = false;

  constructor(
    protected readonly ctx: JobContext,
    protected readonly jobId: number,
    protected readonly timeoutMs: number,
  ) {
    this.workDir = path.join(ctx.site.dir, 'work', `job-${jobId}`);
  }

  /**
   * Runs a job to its end, registered with the engine meanwhile (cancel, live faults). The mover
   * pool starts the job's replacement mover only then: starting a process holds this thread for
   * milliseconds, which the job's last steps (its report, its final state) need not wait for.
   */
  static async tracked<R>(run: ReadRun<R>): Promise<R> {
    try {
      return await whileTracked(run.ctx, run.jobId, { cancel: () => run.cancel(), inject: (fault) => run.inject(fault) }, () => run.execute());
    } finally {
      run.ctx.movers.fill();
    }
  }

  abstract execute(): Promise<R>;

  /** The operator cancels: the mover is fenced at once (it never writes again); the job ends cancelled. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.log('warning', `cancel asked by the operator${this.client ? `: stopping ${this.client.id}` : ''}`);
    void this.client?.fence();
  }

  /** A live fault (demo sites) on the mover, a library or a tape the job reads: a crash of the mover kills it now. */
  inject(fault: LiveFault): number[] {
    const reader = this.reader;
    if (!reader || !this.client?.alive || ![reader.mover, ...reader.libraries, ...reader.tapes].includes(fault.device)) return [];
    if (fault.device === reader.mover && fault.kind === 'crash') void this.client.fence();
    else this.client.injectFault(fault);
    return [0];
  }

  /** Reserves the reader: every library and tape of the sources, or the first sources only when the others cannot be had. */
  protected reserve(chunks: PlannedChunk[], storage: string | null): ReservedReader {
    const wanted = (all: boolean) => {
      const sources = chunks.flatMap((c) => (all ? c.sources : c.sources.slice(0, 1)));
      return { storage, libraries: unique(sources.map((s) => s.library)), tapes: unique(sources.map((s) => s.tape)) };
    };
    let reader: ReservedReader;
    try {
      reader = this.ctx.allocator.reserveReader(this.jobId, wanted(true));
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      reader = this.ctx.allocator.reserveReader(this.jobId, wanted(false));
      const held = new Set([...reader.libraries, ...reader.tapes]);
      for (const chunk of chunks) chunk.sources = chunk.sources.filter((s, i) => i === 0 || (held.has(s.library) && held.has(s.tape)));
      this.log('warning', `second copies are not held for this job (${error.message}); a chunk that cannot be read from its first copy is lost`);
    }
    this.log('info', `reserved ${reader.mover}, ${reader.libraries.join(', ')} (tapes ${reader.tapes.join(', ')}), via ${reader.switches.join(', ') || 'direct links'}`);
    this.reader = reader;
    return reader;
  }

  /** Writes the mover's work file and runs it; every report goes to `onReport`. */
  protected async read(reader: ReservedReader, work: Omit<ReadWork, 'mover' | 'libraries'>, onReport: (report: ReadReport) => void): Promise<CommandResult> {
    const file = path.join(this.workDir, WORK_FILE);
    const libraries = reader.libraries.map((id) => libraryInfo(this.ctx.site, id));
    fs.mkdirSync(this.workDir, { recursive: true });
    // Only this job's mover reads it; after a crash the next start removes it unread.
    writeFileAtomic(file, JSON.stringify({ ...work, mover: { id: reader.mover, kind: reader.moverKind }, libraries }), { durable: false });
    const { client, result } = await this.ctx.movers.take(reader.mover, this.timeoutMs);
    this.client = client;
    if (!result.ok) return result;
    if (this.cancelled) return { ok: false, code: 'crashed', device: null, chunk: null, message: CANCELLED };
    const extraMs = Math.max(0, ...libraries.map((l) => l.loadDelayMs + l.positionDelayMs)) * 2;
    const ended = await client.read(file, extraMs, (report) => {
      if (report.type === 'chunk-read') {
        this.chunksRead += 1;
        if (!this.tapesRead.includes(report.tape)) this.tapesRead.push(report.tape);
      } else if (report.type === 'read-failed') {
        const next = report.retry ? '; trying another copy' : '';
        this.log('warning', `chunk ${report.chunk} from ${report.library} tape ${report.tape} (copy ${report.copy}): ${report.message}${next}`, report.device ?? report.tape);
      }
      onReport(report);
    });
    this.done = ended.ok;
    return ended;
  }

  /**
   * In every outcome: the mover stopped, everything released, work files removed. A mover that
   * has done its work (its drives unloaded, its last file written) exits in its own time; any
   * other is fenced before anything is released, so it can never write again.
   */
  protected async cleanUp(): Promise<void> {
    if (this.client) {
      if (this.done && this.client.alive) this.ctx.movers.retire(this.client);
      else await this.client.fence();
    }
    const released = this.ctx.allocator.release(this.jobId);
    if (released.length > 0) this.log('info', `released ${released.map((r) => r.id).join(', ')}`);
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  protected setJobState(state: JobState, message: string | null = null): void {
    this.ctx.catalog.jobs.setState(this.jobId, state, this.ctx.now(), message);
    this.ctx.emit({ type: 'job-state', jobId: this.jobId, state, message });
  }

  protected finish(state: JobState, message: string | null, what: string): void {
    this.ctx.catalog.jobs.setState(this.jobId, state, this.ctx.now(), message);
    const level = state === 'succeeded' ? 'info' : state === 'succeeded-degraded' || state === 'cancelled' ? 'warning' : 'error';
    this.log(level, `${what} ${state}${message ? `: ${message}` : ''}`);
    this.ctx.emit({ type: 'job-finished', jobId: this.jobId, state, backupId: null, message });
  }

  protected log(level: 'info' | 'warning' | 'error', message: string, deviceId?: string): void {
    this.ctx.log(level, message, { jobId: this.jobId, ...(deviceId !== undefined ? { deviceId } : {}) });
  }
}

class RestoreRun extends ReadRun<RestoreResult> {
  private plan: RestorePlan | null = null;
  private readonly outcomes = new Map<number, EntryOutcome>();
  private readonly tag: string;

  constructor(
    ctx: JobContext,
    jobId: number,
    private readonly checked: CheckedRestore,
  ) {
    super(ctx, jobId, checked.request.timeoutMs);
    this.tag = `${jobId}-${randomBytes(3).toString('hex')}`;
  }

  async execute(): Promise<RestoreResult> {
    const { backup, selection, destination } = this.checked;
    let outcome: { state: JobState; message: string | null };
    try {
      outcome = await this.steps();
    } catch (error) {
      outcome = { state: 'failed', message: `the restore stopped on an unexpected error: ${(error as Error).message}` };
    } finally {
      await this.cleanUp();
      await cleanTemporaries(destination, this.tag);
    }
    const errors: RestoreResult['errors'] = [];
    const renamed: RestoreResult['renamed'] = [];
    const files = { restored: 0, skipped: 0, failed: 0 };
    const stopped = this.cancelled ? CANCELLED : outcome.state === 'failed' ? (outcome.message ?? 'the restore failed') : 'the restore ended before this entry';
    for (const entry of selection.entries) {
      const result = this.outcomes.get(entry.no) ?? { no: entry.no, path: entry.path, outcome: 'failed' as const, renamedTo: null, reason: stopped };
      files[result.outcome] += 1;
      if (result.outcome !== 'restored') errors.push({ path: entry.path, reason: result.reason ?? result.outcome });
      if (result.renamedTo !== null) renamed.push({ path: entry.path, to: result.renamedTo });
    }
    errors.filter((e) => e.reason !== 'exists').slice(0, LOGGED_FAILURES).forEach((e) => this.log('error', `not restored: ${e.path}: ${e.reason}`));
    if (files.failed > LOGGED_FAILURES) this.log('error', `and ${files.failed - LOGGED_FAILURES} more entries not restored`);
    const summary = `${files.restored} restored, ${files.skipped} skipped, ${files.failed} failed of ${selection.entries.length} entries from backup ${backup.id} into ${destination}`;
    if (this.cancelled) {
      outcome = { state: 'cancelled', message: `${CANCELLED}: ${summary}` };
    } else if (outcome.state !== 'failed' || files.restored > 0) {
      outcome = files.failed === 0 ? { state: 'succeeded', message: summary } : { state: files.restored > 0 ? 'succeeded-degraded' : 'failed', message: summary };
    }
    const report = { plan: this.plan, destination, files, errors, tapes: this.tapesRead, chunksRead: this.chunksRead, renamed };
    this.ctx.catalog.jobs.saveReport(this.jobId, 'restore', report);
    this.finish(outcome.state, outcome.message, `restore of backup ${backup.id}`);
    return { job: this.ctx.catalog.jobs.get(this.jobId)!, ...report };
  }

  private async steps(): Promise<{ state: JobState; message: string | null }> {
    const { backup, selection, destination, request, faults } = this.checked;
    this.setJobState('reserving');
    const plan = restorePlan(backup, this.ctx.catalog.backups.fragments(backup.id), selection, this.ctx.inventory);
    this.plan = plan;
    for (const lost of plan.unreadable.slice(0, LOGGED_FAILURES)) this.log('error', `cannot be restored: ${lost.path}: ${lost.reason}`);
    const readable = plan.chunks.filter((c) => c.sources.length > 0);
    let reader: ReservedReader | null = null;
    if (readable.length > 0) {
      try {
        reader = this.reserve(plan.chunks, restoreStorage(this.ctx.site, backup.target));
      } catch (error) {
        if (!(error instanceof AllocationError) && !(error instanceof JobRequestError)) throw error;
        return { state: 'failed', message: `not started: ${error.message}` };
      }
    }
    this.setJobState('running');
    this.log('info', `restoring ${selection.entries.length} entries (${selection.bytes} bytes of files) of backup ${backup.id} (${backup.target}, data time ${backup.dataTime}) into ${destination}: ${plan.chunks.length} chunks from ${plan.tapes.map((t) => `${t.library}:${t.tape}`).join(', ') || 'no tape'}`);
    fs.mkdirSync(destination, { recursive: true });
    fs.mkdirSync(this.workDir, { recursive: true });
    writeFileAtomic(path.join(this.workDir, RESTORE_NOTE), JSON.stringify({ destination, tag: this.tag }));
    const meter = new ProgressMeter(this.jobId, plan.chunks.reduce((sum, c) => sum + c.length, 0), [0], (event) => this.ctx.emit(event));
    const result = reader
      ? await this.read(
          reader,
          {
            backupId: backup.id,
            sourceKind: backup.sourceKind,
            chunks: plan.chunks,
            faults,
            task: { kind: 'restore', destination, onConflict: request.onConflict, tag: this.tag, entries: selection.entries },
          },
          (report) => {
            if (report.type === 'chunk-read') meter.add(0, report.length);
            if (report.type === 'entries') for (const o of report.outcomes) this.outcomes.set(o.no, o);
          },
        )
      : await this.extractWithoutTapes();
    meter.flush();
    if (!result.ok) {
      this.log('error', `${result.device ?? 'the mover'} ${result.code}: ${result.message}`, result.device ?? undefined);
      return { state: 'failed', message: `the restore stopped: ${result.message}` };
    }
    return { state: 'succeeded', message: null };
  }

  /** Nothing readable: every entry fails for the reason the plan gives. */
  private async extractWithoutTapes(): Promise<CommandResult> {
    const reasons = new Map(this.plan!.unreadable.map((u) => [u.path, u.reason]));
    for (const entry of this.checked.selection.entries) {
      this.outcomes.set(entry.no, { no: entry.no, path: entry.path, outcome: 'failed', renamedTo: null, reason: reasons.get(entry.path) ?? 'no copy can be read' });
    }
    return { ok: true };
  }
}

class VerifyRun extends ReadRun<VerifyResult> {
  private readonly copies = new Map<number, CopyVerification>();

  constructor(
    ctx: JobContext,
    jobId: number,
    private readonly backup: BackupView,
    timeoutMs: number,
  ) {
    super(ctx, jobId, timeoutMs);
  }

  async execute(): Promise<VerifyResult> {
    let outcome: { state: JobState; message: string | null };
    try {
      outcome = await this.steps();
    } catch (error) {
      outcome = { state: 'failed', message: `the verification stopped on an unexpected error: ${(error as Error).message}` };
    } finally {
      await this.cleanUp();
    }
    const copies = [...this.copies.values()].sort((a, b) => a.copy - b.copy);
    if (this.cancelled) outcome = { state: 'cancelled', message: CANCELLED };
    if (outcome.state === 'failed' || outcome.state === 'cancelled') {
      for (const copy of copies.filter((c) => c.status === 'ok')) copy.status = 'unreadable';
      for (const copy of copies) copy.problems.push(`not verified to the end: ${outcome.message}`);
    } else {
      const bad = copies.filter((c) => c.status !== 'ok');
      const summary = copies.map((c) => `copy ${c.copy} ${c.status}`).join(', ');
      outcome = { state: bad.length === 0 ? 'succeeded' : bad.length < copies.length ? 'succeeded-degraded' : 'failed', message: summary };
    }
    this.ctx.catalog.jobs.saveReport(this.jobId, 'verify', { backupId: this.backup.id, copies });
    this.finish(outcome.state, outcome.message, `verification of backup ${this.backup.id}`);
    return { job: this.ctx.catalog.jobs.get(this.jobId)!, backupId: this.backup.id, copies };
  }

  private async steps(): Promise<{ state: JobState; message: string | null }> {
    const backup = this.backup;
    this.setJobState('reserving');
    const fragments = this.ctx.catalog.backups.fragments(backup.id);
    const chunks: PlannedChunk[] = [];
    for (const { copy, state } of backup.copies) {
      const own = fragments.filter((f) => f.copy === copy).sort((a, b) => a.offset - b.offset);
      const report: CopyVerification = { copy, status: 'ok', chunks: 0, bytes: 0, problems: state === 'complete' ? [] : [`the copy is ${state}`] };
      this.copies.set(copy, report);
      let covered = 0;
      for (const f of own) {
        if (f.offset !== covered) report.problems.push(`bytes ${covered} to ${f.offset} of the backup stream are on no tape`);
        const blocked = [f.library, f.tape].map((id) => this.ctx.inventory.status(id)).find((s) => s.state !== 'available');
        if (blocked) {
          report.status = 'unreadable';
          report.problems.push(`${f.library} tape ${f.tape} is ${blocked.state}`);
        }
        for (let i = 0; i < f.chunks; i++) {
          const offset = f.offset + i * backup.chunkSize;
          const source: ChunkSource = { copy, library: f.library, tape: f.tape, position: f.position + i * (RECORD_OVERHEAD + backup.chunkSize) };
          chunks.push({ index: Math.floor(offset / backup.chunkSize), offset, length: Math.min(backup.chunkSize, f.offset + f.size - offset), sources: blocked ? [] : [source] });
        }
        covered = f.offset + f.size;
      }
      if (covered < backup.size) report.problems.push(`bytes ${covered} to ${backup.size} of the backup stream are on no tape`);
    }
    const readable = chunks.filter((c) => c.sources.length > 0);
    if (readable.length > 0) {
      let reader: ReservedReader;
      try {
        reader = this.reserve(readable, null);
      } catch (error) {
        if (!(error instanceof AllocationError)) throw error;
        return { state: 'failed', message: `not started: ${error.message}` };
      }
      this.setJobState('running');
      const result = await this.read(
        reader,
        { backupId: backup.id, sourceKind: backup.sourceKind, chunks: readable, faults: [], task: { kind: 'verify', fragments: fragments.map((f) => ({ copy: f.copy, tape: f.tape, position: f.position, offset: f.offset, size: f.size, sha256: f.sha256 })) } },
        (report) => {
          const copy = this.copies.get(report.type === 'entries' ? -1 : report.copy);
          if (!copy) return;
          if (report.type === 'chunk-read') {
            copy.chunks += 1;
            copy.bytes += report.length;
          } else if (report.type === 'read-failed' || report.type === 'fragment-bad') {
            copy.problems.push(report.type === 'read-failed' ? `chunk ${report.chunk} on ${report.tape}: ${report.message}` : report.message);
          }
        },
      );
      if (!result.ok) return { state: 'failed', message: `the verification stopped: ${result.message}` };
    }
    for (const copy of this.copies.values()) if (copy.status === 'ok' && copy.problems.length > 0) copy.status = 'damaged';
    return { state: 'succeeded', message: null };
  }
}

/** Removes the temporary files a restore tagged `tag` left in a destination (not following symlinks). */
export async function cleanTemporaries(destination: string, tag: string): Promise<void> {
  const pattern = new RegExp(`^\\..*\\.mpb-${tag}-\\d+\\.tmp$`);
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(at);
      else if (pattern.test(entry.name)) await fs.promises.rm(at, { force: true });
    }
  };
  await walk(destination);
}

/** At start-up: the temporary files of a restore the manager did not see to its end. */
export async function cleanInterruptedRestore(workDir: string): Promise<void> {
  try {
    const note = JSON.parse(fs.readFileSync(path.join(workDir, RESTORE_NOTE), 'utf8')) as { destination?: unknown; tag?: unknown };
    if (typeof note.destination === 'string' && typeof note.tag === 'string' && /^[A-Za-z0-9-]+$/.test(note.tag)) await cleanTemporaries(note.destination, note.tag);
  } catch {
    // No note (not a restore, or it had not started writing): nothing to clean.
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
