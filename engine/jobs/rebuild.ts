// Rebuilding the catalog from the tapes (docs/catalog.md, "Rebuilding the catalog"): every volume
// of every library is read (rebuild-scan.ts); backups and their copies come from the tape catalog
// records of step 1170, merged across tapes, and their fragments are checked against the record
// headers actually on the tapes; data records that no catalog record accounts for become
// fragments of their own (their backup, when no record mentions it at all, an interrupted one);
// the file index of each restorable backup is parsed from the tar stream of one complete copy.
// The new catalog replaces the site's only when complete (catalog/rebuild.ts), under the site's
// lock. What an interrupted run leaves behind: the old catalog in place (or moved aside, with the
// new one in place), and at most a `catalog-rebuild.tmp/` directory that the next rebuild removes.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  MIN_CHUNK_SIZE,
  type BackupMode,
  type BackupState,
  type BackupView,
  type CopyState,
  type FragmentView,
  type JobState,
  type RebuildBackup,
  type RebuildDrop,
  type RebuildReport,
  type RebuildVolume,
} from '../contract';
import { lockSite, replaceCatalog, type FileIndexEntry, type RebuildRepository, type RebuiltBackup, type RebuiltFragment } from '../catalog';
import { RECORD_OVERHEAD, type StoredRecord } from '../media';
import { TarFormatError, TarParser, unsafePath, type TarEntry } from '../payload';
import type { SiteModel } from '../site';
import { catalogReserve } from './backup';
import { readCopy } from './readback';
import { scanVolumes, type ScannedTape } from './rebuild-scan';
import { resolveTarget } from './target';

export interface RebuildOptions {
  /** The clock, for tests. */
  now?: () => Date;
  /** The caller holds the site's lock already: an open engine, with its catalog closed meanwhile. */
  lockHeld?: boolean;
}

/** What stands in for what the tapes cannot say about a backup no catalog record mentions. */
export const UNKNOWN_TARGET = '(unknown)';
const UNKNOWN_TIME = new Date(0).toISOString();
const FILE_BATCH = 500;
/** Entries left out of a file index that are named in its report, at most. */
const MAX_ENTRY_PROBLEMS = 10;

/** A backup as it is being put together from the tapes. */
interface Assembly {
  id: number;
  /** As the newest catalog record mentioning it says; null when none does. */
  view: BackupView | null;
  viewWrittenAt: string;
  mode: BackupMode;
  fragments: RebuiltFragment[];
  /** Chunk offsets already held, per copy. */
  held: Map<number, Set<number>>;
  /** Data records of the backup no catalog record accounts for, in tape order. */
  loose: Array<{ tape: ScannedTape; record: StoredRecord }>;
  problems: string[];
}

interface Outcome {
  backup: RebuiltBackup;
  fragments: RebuiltFragment[];
  jobState: JobState;
  jobStreams: number;
  report: RebuildBackup;
  /** A restorable backup whose file index could not be read back from any copy. */
  indexLost: boolean;
}

/**
 * Rebuilds the site's catalog from its volumes and returns what was found. Holds the site's
 * lock throughout (SiteInUseError when a process has the site open; nothing is changed then).
 */
export async function rebuildFromVolumes(site: SiteModel, options: RebuildOptions = {}): Promise<RebuildReport> {
  const release = options.lockHeld ? () => {} : lockSite(site.dir);
  try {
    const rebuiltAt = (options.now ?? (() => new Date()))().toISOString();
    const scan = await scanVolumes(site);
    const drops = [...scan.drops];
    const assemblies = assemble(scan.tapes, drops);
    const outcomes = [...assemblies.values()].sort((a, b) => a.id - b.id).map((a) => settle(a));
    assignJobIds(outcomes);
    const full = fullTapes(site, scan.tapes, outcomes);
    const stamp = rebuiltAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const previous = await replaceCatalog(site.dir, stamp, async (repository) => {
      for (const outcome of outcomes) {
        const { backup } = outcome;
        // First, so that what reading it shows is in the job's message (file_index has no foreign key).
        if (outcome.report.restorable) outcome.report.fileIndexRows = await rebuildFileIndex(site, outcome, repository);
        repository.addJob({
          id: backup.jobId,
          target: backup.target,
          mode: backup.mode,
          streams: outcome.jobStreams,
          state: outcome.jobState,
          createdAt: backup.startedAt,
          startedAt: backup.startedAt,
          endedAt: backup.endedAt,
          message: outcome.report.problems.length > 0 ? `rebuilt from the tapes: ${outcome.report.problems.join('; ')}` : null,
        });
        repository.addBackup(backup, outcome.fragments);
      }
      for (const tape of scan.tapes) {
        repository.addTape({ id: tape.tape, library: tape.library, usedBytes: tape.endOfData, full: full.has(tape.tape), labeledAt: tape.label.labeledAt });
      }
      for (const volume of scan.volumes.filter((v) => v.status === 'unreadable' && site.tape(v.tape)?.library === v.library)) {
        repository.setUnavailable(volume.tape, rebuiltAt);
      }
      logRebuild(repository, rebuiltAt, scan.volumes, outcomes, drops);
    });
    return report(site, rebuiltAt, previous, scan.volumes, outcomes, drops);
  } finally {
    release();
  }
}

/** Backups from the catalog records, fragments checked against the headers, loose records gathered. */
function assemble(tapes: readonly ScannedTape[], drops: RebuildDrop[]): Map<number, Assembly> {
  const assemblies = new Map<number, Assembly>();
  const get = (id: number): Assembly => {
    let a = assemblies.get(id);
    if (!a) {
      a = { id, view: null, viewWrittenAt: '', mode: 'failover', fragments: [], held: new Map(), loose: [], problems: [] };
      assemblies.set(id, a);
    }
    return a;
  };
  const held = (a: Assembly, copy: number): Set<number> => {
    let set = a.held.get(copy);
    if (!set) a.held.set(copy, (set = new Set()));
    return set;
  };

  // The newest record mentioning a backup says what it is.
  for (const tape of tapes) {
    for (const { backup } of tape.catalog?.record.backups ?? []) {
      const a = get(backup.id);
      const writtenAt = tape.catalog!.record.writtenAt;
      if (a.view && (a.view.jobId !== backup.jobId || a.view.target !== backup.target || a.view.size !== backup.size)) {
        a.problems.push(`the catalog records on the tapes disagree about it (job ${a.view.jobId} of ${a.view.target} or job ${backup.jobId} of ${backup.target}); the newest is used`);
      }
      if (!a.view || writtenAt > a.viewWrittenAt) {
        a.view = backup;
        a.viewWrittenAt = writtenAt;
        a.mode = backup.mode;
      }
    }
  }

  // Fragments the records list, each checked record by record against the headers on its tape.
  const claimed = new Map<ScannedTape, Set<number>>();
  for (const tape of tapes) {
    const positions = new Set<number>();
    claimed.set(tape, positions);
    for (const { backup, fragments } of tape.catalog?.record.backups ?? []) {
      const a = get(backup.id);
      for (const f of fragments) {
        const what = `fragment of copy ${f.copy} of backup ${backup.id} (bytes ${f.offset} to ${f.offset + f.size})`;
        const checked = f.tape === tape.tape ? checkFragment(tape, backup.id, f) : `the tape's catalog record places it on tape ${f.tape}`;
        if (typeof checked === 'string') {
          drops.push({ library: tape.library, tape: tape.tape, position: f.position, backupId: backup.id, what, reason: checked });
          // Its records that are still there go with it (they are not records the catalog never counted).
          for (const r of tape.data) {
            if (r.backupId === backup.id && r.stream === f.stream && r.position >= f.position && r.offset >= f.offset && r.offset < f.offset + f.size) positions.add(r.position);
          }
          continue;
        }
        const offsets = held(a, f.copy);
        if (checked.offsets.some((o) => offsets.has(o))) {
          drops.push({ library: tape.library, tape: tape.tape, position: f.position, backupId: backup.id, what, reason: 'another fragment already holds these bytes of the copy' });
          continue;
        }
        for (const o of checked.offsets) offsets.add(o);
        for (const p of checked.positions) positions.add(p);
        a.fragments.push(checked.fragment);
      }
    }
  }

  // Data records no catalog record on their tape accounts for.
  for (const tape of tapes) {
    const covered = new Set((tape.catalog?.record.backups ?? []).map((b) => b.backup.id));
    const uncommitted = new Map<number, { count: number; position: number }>();
    for (const record of tape.data) {
      if (claimed.get(tape)!.has(record.position)) continue;
      if (covered.has(record.backupId)) {
        // The tape's record lists every chunk of this backup the catalog counted as stored.
        const seen = uncommitted.get(record.backupId) ?? { count: 0, position: record.position };
        seen.count++;
        uncommitted.set(record.backupId, seen);
      } else {
        get(record.backupId).loose.push({ tape, record });
      }
    }
    for (const [backupId, { count, position }] of uncommitted) {
      drops.push({ library: tape.library, tape: tape.tape, position, backupId, what: `${count} data record${count === 1 ? '' : 's'} of backup ${backupId}`, reason: "the tape's catalog record does not list them: the catalog never counted them as stored" });
    }
  }

  // Loose records become fragments: runs of consecutive records of one stream on one tape.
  for (const a of assemblies.values()) {
    if (a.loose.length === 0) continue;
    if (!a.view) a.mode = guessMode(a.loose.map((l) => l.record));
    const copies = a.view ? new Set(a.view.copies.map((c) => c.copy)) : null;
    const refused = new Map<string, { tape: ScannedTape; position: number; count: number }>();
    const refuse = (tape: ScannedTape, position: number, reason: string) => {
      const key = `${tape.tape}\n${reason}`;
      const seen = refused.get(key) ?? { tape, position, count: 0 };
      seen.count++;
      refused.set(key, seen);
    };
    const runs: Array<{ tape: ScannedTape; copy: number; records: StoredRecord[] }> = [];
    for (const { tape, record } of a.loose) {
      const copy = a.mode === 'mirrored' ? record.stream : 0;
      if (copies && !copies.has(copy)) {
        refuse(tape, record.position, `stream ${record.stream} made no copy of the backup`);
        continue;
      }
      const offsets = held(a, copy);
      if (offsets.has(record.offset)) {
        refuse(tape, record.position, `another record already holds these bytes of copy ${copy}`);
        continue;
      }
      offsets.add(record.offset);
      const run = runs.at(-1);
      const last = run?.records.at(-1);
      if (run && last && run.tape === tape && run.copy === copy && last.end === record.position && last.stream === record.stream && last.offset + last.length === record.offset) {
        run.records.push(record);
      } else {
        runs.push({ tape, copy, records: [record] });
      }
    }
    for (const run of runs) a.fragments.push(fragmentOf(run.tape, run.copy, run.records));
    for (const [key, { tape, position, count }] of refused) {
      drops.push({ library: tape.library, tape: tape.tape, position, backupId: a.id, what: `${count} data record${count === 1 ? '' : 's'} of backup ${a.id}`, reason: key.split('\n')[1]! });
    }
  }
  return assemblies;
}

/** Checks a listed fragment record by record; the rebuilt fragment, or why it does not hold. */
function checkFragment(tape: ScannedTape, backupId: number, f: FragmentView): { fragment: RebuiltFragment; positions: number[]; offsets: number[] } | string {
  const records: StoredRecord[] = [];
  let position = f.position;
  let offset = f.offset;
  for (let i = 0; i < f.chunks; i++) {
    const r = tape.byPosition.get(position);
    const which = f.chunks === 1 ? 'its record' : `its record ${i + 1} of ${f.chunks}`;
    if (!r) return `${which} is not on the tape (no committed data record at byte ${position})`;
    if (r.backupId !== backupId || r.offset !== offset || r.stream !== f.stream) {
      return `${which} at byte ${position} holds bytes ${r.offset} of backup ${r.backupId} from stream ${r.stream}, not bytes ${offset} of backup ${backupId} from stream ${f.stream}`;
    }
    records.push(r);
    offset += r.length;
    position = r.end;
  }
  const fragment = fragmentOf(tape, f.copy, records);
  if (fragment.size !== f.size) return `its records hold ${fragment.size} bytes, not ${f.size}`;
  if (fragment.sha256 !== f.sha256) return "its records' checksums do not give the fragment's";
  return { fragment, positions: records.map((r) => r.position), offsets: records.map((r) => r.offset) };
}

/** The fragment of consecutive records: its checksum is the SHA-256 of their digests, in order. */
function fragmentOf(tape: ScannedTape, copy: number, records: readonly StoredRecord[]): RebuiltFragment {
  const digests = createHash('sha256');
  for (const r of records) digests.update(Buffer.from(r.sha256, 'hex'));
  const first = records[0]!;
  return {
    copy,
    stream: first.stream,
    chunkIndex: first.chunkIndex,
    offset: first.offset,
    size: records.reduce((sum, r) => sum + r.length, 0),
    chunks: records.length,
    library: tape.library,
    tape: tape.tape,
    position: first.position,
    endPosition: records.at(-1)!.end,
    sha256: digests.digest('hex'),
  };
}

/** Without a catalog record: mirrored if two streams hold the same chunk, else failover. */
function guessMode(records: readonly StoredRecord[]): BackupMode {
  const streamOf = new Map<number, number>();
  for (const r of records) {
    const other = streamOf.get(r.offset);
    if (other !== undefined && other !== r.stream) return 'mirrored';
    streamOf.set(r.offset, r.stream);
  }
  return 'failover';
}

/** Copies complete only where their fragments cover the whole stream; the backup's state and job. */
function settle(a: Assembly): Outcome {
  const view = a.view;
  const size = view ? view.size : Math.max(0, ...a.fragments.map((f) => f.offset + f.size));
  const chunkSize = view ? view.chunkSize : Math.max(MIN_CHUNK_SIZE, ...a.loose.map((l) => l.record.length));
  const streams = [...new Set(a.fragments.map((f) => f.stream))].sort((x, y) => x - y);
  const copyStates: Array<{ copy: number; state: CopyState }> = view
    ? view.copies.map((c) => ({ copy: c.copy, state: c.state }))
    : (a.mode === 'mirrored' ? streams : [0]).map((copy) => ({ copy, state: 'failed' as const }));
  const problems = [...a.problems];
  const named = new Set(copyStates.map((c) => c.copy));
  const unnamed = [...new Set(a.fragments.filter((f) => !named.has(f.copy)).map((f) => f.copy))];
  if (unnamed.length > 0) problems.push(`fragments of copy ${unnamed.join(', ')}, which its catalog record does not name, are left out`);
  a.fragments = a.fragments.filter((f) => named.has(f.copy)).sort((x, y) => x.copy - y.copy || x.offset - y.offset);
  if (!view) problems.push('no catalog record on any tape mentions it (its job stopped before writing them): its target, mode and times are unknown, and it is not offered for restore');
  const copies = copyStates.map(({ copy, state }) => {
    const fragments = a.fragments.filter((f) => f.copy === copy);
    let covered = 0;
    let gap: [number, number] | null = null;
    for (const f of fragments) {
      if (f.offset > covered) gap ??= [covered, f.offset];
      covered = Math.max(covered, f.offset + f.size);
    }
    if (covered < size) gap ??= [covered, size];
    let rebuilt: CopyState = state === 'complete' ? 'complete' : 'failed';
    if (rebuilt === 'complete' && gap) {
      rebuilt = 'failed';
      problems.push(`copy ${copy} was complete, but bytes ${gap[0]} to ${gap[1]} of it are on no readable tape`);
    }
    return { copy, state: rebuilt, size: fragments.reduce((sum, f) => sum + f.size, 0), fragments: fragments.length };
  });
  let state: BackupState = view ? (view.state === 'running' ? 'interrupted' : view.state) : 'interrupted';
  if (state === 'complete' && !copies.some((c) => c.state === 'complete')) {
    state = 'failed';
    problems.push('no complete copy is left: it is not offered for restore');
  }
  const mode = a.mode;
  const jobState: JobState =
    state === 'complete'
      ? mode === 'mirrored' && copies.some((c) => c.state !== 'complete')
        ? 'succeeded-degraded'
        : 'succeeded'
      : state === 'failed'
        ? 'failed'
        : 'interrupted';
  const backup: RebuiltBackup = {
    id: a.id,
    jobId: view?.jobId ?? 0,
    target: view?.target ?? UNKNOWN_TARGET,
    mode,
    state,
    sourceKind: view?.sourceKind ?? 'directory',
    dataTime: view?.dataTime ?? UNKNOWN_TIME,
    startedAt: view?.startedAt ?? UNKNOWN_TIME,
    endedAt: view ? view.endedAt : null,
    size,
    chunkSize,
    files: view?.files ?? 0,
    copies: copies.map(({ copy, state, size }) => ({ copy, state, size })),
  };
  return {
    backup,
    fragments: a.fragments,
    jobState,
    jobStreams: mode === 'mirrored' ? Math.max(copies.length, 2) : Math.max(2, (streams.at(-1) ?? 0) + 1),
    report: {
      id: a.id,
      jobId: backup.jobId,
      target: backup.target,
      mode,
      state,
      sourceKind: backup.sourceKind,
      size,
      source: view ? 'tape-catalog' : 'record-headers',
      restorable: state === 'complete' && copies.some((c) => c.state === 'complete'),
      copies: copies.map(({ copy, state, size, fragments }) => ({ copy, state, fragments, bytes: size })),
      fileIndexRows: 0,
      problems,
    },
    indexLost: false,
  };
}

/** Job ids as the tapes say; a backup without one (or with one another backup has) gets a new one. */
function assignJobIds(outcomes: Outcome[]): void {
  const used = new Set<number>();
  const lacking: Outcome[] = [];
  for (const o of outcomes) {
    if (o.backup.jobId > 0 && !used.has(o.backup.jobId)) used.add(o.backup.jobId);
    else {
      if (o.backup.jobId > 0) o.report.problems.push(`job ${o.backup.jobId} is also the job of another backup; this one is given a new job id`);
      lacking.push(o);
    }
  }
  let next = Math.max(0, ...used) + 1;
  for (const o of lacking) {
    o.backup.jobId = next;
    o.report.jobId = next++;
  }
}

/**
 * Tapes that are full: a stream went on to another tape of the same library after it (spanning),
 * or not even the smallest chunk fits after its data any more.
 */
function fullTapes(site: SiteModel, tapes: readonly ScannedTape[], outcomes: readonly Outcome[]): Set<string> {
  const full = new Set<string>();
  for (const { fragments } of outcomes) {
    for (let i = 1; i < fragments.length; i++) {
      const [before, after] = [fragments[i - 1]!, fragments[i]!];
      if (before.copy === after.copy && before.stream === after.stream && before.library === after.library && before.tape !== after.tape && before.offset + before.size === after.offset) {
        full.add(before.tape);
      }
    }
  }
  for (const tape of tapes) {
    const reserve = catalogReserve(site.tapesOf(tape.library));
    if (tape.endOfData + RECORD_OVERHEAD + MIN_CHUNK_SIZE + reserve > tape.label.capacity) full.add(tape.tape);
  }
  return full;
}

/** The file index of a restorable backup, from the tar stream of its first readable complete copy. */
async function rebuildFileIndex(site: SiteModel, outcome: Outcome, repository: RebuildRepository): Promise<number> {
  const { backup, report } = outcome;
  if (backup.sourceKind === 'volume') {
    const entry = volumeEntry(site, backup, report.problems);
    repository.addFiles(backup.id, [entry]);
    return 1;
  }
  const views: FragmentView[] = outcome.fragments.map((f) => ({ copy: f.copy, stream: f.stream, library: f.library, tape: f.tape, position: f.position, size: f.size, offset: f.offset, chunks: f.chunks, sha256: f.sha256 }));
  const failures: string[] = [];
  for (const { copy } of backup.copies.filter((c) => c.state === 'complete')) {
    const index = new FileIndexBuilder(backup.id, repository);
    try {
      await readCopy(site, backup.id, views, copy, (bytes) => index.feed(bytes));
      const rows = index.end(backup.size);
      if (rows !== backup.files) report.problems.push(`its stream holds ${rows} entries, the catalog record said ${backup.files}`);
      report.problems.push(...index.problems);
      return rows;
    } catch (error) {
      repository.clearFiles(backup.id);
      failures.push(`copy ${copy}: ${(error as Error).message}`);
      if (error instanceof TarFormatError) break;
    }
  }
  report.problems.push(`its file index could not be rebuilt (${failures.join('; ')}): nothing of it can be selected for restore`);
  outcome.indexLost = true;
  return 0;
}

/** Turns the entries parsed from a stream into file index rows, written in batches. */
class FileIndexBuilder {
  private readonly parser = new TarParser();
  private readonly directories = new Map<string, number>();
  private batch: FileIndexEntry[] = [];
  private count = 0;
  readonly problems: string[] = [];

  constructor(
    private readonly backupId: number,
    private readonly repository: RebuildRepository,
  ) {}

  feed(bytes: Buffer): void {
    for (const entry of this.parser.feed(bytes)) this.add(entry);
  }

  /** The number of rows; throws TarFormatError when the stream did not end as a tar stream does. */
  end(size: number): number {
    this.parser.end();
    if (this.parser.archiveEnd !== size) this.problems.push(`its tar stream ends at byte ${this.parser.archiveEnd}, the backup holds ${size}`);
    this.flush();
    return this.count;
  }

  /**
   * An entry becomes a row unless its name could lead outside a restore's destination or its
   * directory is not an earlier entry (a stream we did not write): such entries are left out of
   * the index, so they cannot be selected, and reported by name.
   */
  private add(entry: TarEntry): void {
    const slash = entry.path.lastIndexOf('/');
    const name = entry.path.slice(slash + 1);
    const parent = slash >= 0 ? (this.directories.get(entry.path.slice(0, slash)) ?? null) : null;
    const problem = unsafePath(entry.path) ?? (slash >= 0 && parent === null ? 'its directory is not an earlier entry of the stream' : null);
    if (problem !== null) {
      if (this.problems.length < MAX_ENTRY_PROBLEMS) this.problems.push(`${JSON.stringify(entry.path)} at offset ${entry.offset} is left out of the file index: ${problem}`);
      return;
    }
    const no = this.count++;
    if (entry.type === 'directory') this.directories.set(entry.path, no);
    this.batch.push({
      no,
      parent,
      name,
      type: entry.type,
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      mode: entry.mode,
      offset: entry.offset,
      ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
    });
    if (this.batch.length >= FILE_BATCH) this.flush();
  }

  private flush(): void {
    this.repository.addFiles(this.backupId, this.batch);
    this.batch = [];
  }
}

/**
 * The one entry of a volume backup: the image's base name from the site config. Its mode and
 * time are the image's when it has not changed since the data time, else 0644 and the data time.
 */
function volumeEntry(site: SiteModel, backup: RebuiltBackup, problems: string[]): FileIndexEntry {
  const dataTime = Date.parse(backup.dataTime);
  let name = `${backup.target.replace(/:$/, '')}.img`;
  let mode = 0o644;
  let mtimeMs = dataTime;
  try {
    const target = resolveTarget(site, backup.target);
    name = path.basename(target.source);
    const stats = fs.statSync(target.source);
    if (stats.ctimeMs <= dataTime + 1 && stats.mtimeMs <= dataTime + 1) {
      mode = stats.mode & 0o7777;
      mtimeMs = stats.mtimeMs;
    }
  } catch (error) {
    problems.push(`the site config no longer names volume ${backup.target} (${(error as Error).message}); its image is called ${name}`);
  }
  return { no: 0, parent: null, name, type: 'file', size: backup.size, mtimeMs, mode, offset: 0 };
}

function logRebuild(repository: RebuildRepository, at: string, volumes: readonly RebuildVolume[], outcomes: readonly Outcome[], drops: readonly RebuildDrop[]): void {
  const read = volumes.filter((v) => v.status === 'read').length;
  const bad = volumes.filter((v) => v.status === 'unreadable');
  const restorable = outcomes.filter((o) => o.report.restorable).length;
  repository.addEvent({
    at,
    level: bad.length > 0 ? 'warning' : 'info',
    jobId: null,
    deviceId: null,
    message: `catalog rebuilt from the tapes: ${read} volumes read, ${bad.length} unreadable; ${outcomes.length} backups (${restorable} restorable); ${drops.length} things left out`,
  });
  for (const v of bad) repository.addEvent({ at, level: 'warning', jobId: null, deviceId: v.tape, message: `catalog rebuild: tape ${v.tape} of ${v.library} is unreadable: ${v.reason}` });
  for (const o of outcomes.filter((x) => x.report.problems.length > 0)) {
    repository.addEvent({ at, level: 'warning', jobId: o.backup.jobId, deviceId: null, message: `catalog rebuild: backup ${o.backup.id}: ${o.report.problems.join('; ')}` });
  }
}

function report(site: SiteModel, rebuiltAt: string, previous: string | null, volumes: RebuildVolume[], outcomes: readonly Outcome[], dropped: RebuildDrop[]): RebuildReport {
  const backups = outcomes.map((o) => o.report);
  const unreadable = volumes.filter((v) => v.status === 'unreadable').length;
  const indexLost = outcomes.some((o) => o.indexLost);
  return {
    site: site.dir,
    rebuiltAt,
    previousCatalog: previous,
    summary: {
      volumes: volumes.length,
      volumesRead: volumes.filter((v) => v.status === 'read').length,
      volumesBlank: volumes.filter((v) => v.status === 'blank').length,
      volumesUnreadable: unreadable,
      backupsComplete: backups.filter((b) => b.restorable).length,
      backupsIncomplete: backups.filter((b) => !b.restorable).length,
      fragments: outcomes.reduce((sum, o) => sum + o.fragments.length, 0),
      fileIndexRows: backups.reduce((sum, b) => sum + b.fileIndexRows, 0),
      dropped: dropped.length,
    },
    volumes,
    backups,
    dropped,
    ok: unreadable === 0 && !indexLost,
  };
}
