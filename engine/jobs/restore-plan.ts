// Planning a restore (SPEC "Restore", steps 2010-2030): from a selection of paths in a backup,
// the entries to extract, the byte ranges of the backup stream they need, the chunks holding
// those ranges and, per chunk, where to read it: only complete copies, only available libraries
// and tapes; one copy when that needs fewer tape loads, several copies on different libraries
// read in parallel when there is enough to read; the other copies as second tries.
import type { BackupView, ChunkSource, FragmentView, PlannedChunk, PlannedTape, RestorePlan } from '../contract';
import { NotFoundError, type Catalog, type IndexedEntry } from '../catalog';
import { RECORD_OVERHEAD } from '../media';
import { headerLength, unsafePath, type ExtractEntry } from '../payload';
import type { Inventory } from '../site';
import { JobRequestError } from './errors';

/** Below this many chunks a restore reads one copy (fewer loads); above, copies share the work. */
const PARALLEL_FROM_CHUNKS = 8;
/** Copies sharing a restore take turns in runs of this many chunks, so each library reads mostly straight on. */
const STRIPE_CHUNKS = 4;

export interface RestoreSelection {
  entries: ExtractEntry[];
  bytes: number;
  /** Each path asked for ('' for the whole backup) and the stream bytes its entries cover. */
  parts: SelectionPart[];
}

interface SelectionPart {
  path: string;
  type: ExtractEntry['type'];
  from: number;
  to: number;
  entries: number;
  bytes: number;
}

/** Normalises a path inside a backup: '/'-separated, relative; '' is the whole backup. */
export function backupPath(text: string): string {
  const trimmed = text.replace(/^(?:\.?\/)+|\/+$/g, '');
  if (trimmed === '') return '';
  const problem = unsafePath(trimmed);
  if (problem) throw new JobRequestError(`"${text}" is not a path inside a backup (${problem})`);
  return trimmed;
}

/** The entries a selection of paths stands for (a directory brings its whole subtree), in stream order. */
export function selectEntries(catalog: Catalog, backup: BackupView, paths: readonly string[]): RestoreSelection {
  const wanted = paths.map(backupPath);
  let rows: IndexedEntry[];
  const asked: Array<{ path: string; type: ExtractEntry['type']; rows: IndexedEntry[] }> = [];
  if (wanted.length === 0 || wanted.includes('')) {
    rows = catalog.browse.subtree(backup.id, null);
    asked.push({ path: '', type: 'directory', rows });
  } else {
    const picked = new Map<number, IndexedEntry>();
    const missing: string[] = [];
    for (const p of wanted) {
      let entry: IndexedEntry | null;
      try {
        entry = catalog.browse.resolve(backup.id, p);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        missing.push(p);
        continue;
      }
      const own = entry!.type === 'directory' ? catalog.browse.subtree(backup.id, entry!.no) : [entry!];
      asked.push({ path: p, type: entry!.type, rows: own });
      for (const e of own) picked.set(e.no, e);
    }
    if (missing.length > 0) throw new JobRequestError(`not in backup ${backup.id}: ${missing.map((p) => `"${p}"`).join(', ')}`);
    rows = [...picked.values()].sort((a, b) => a.no - b.no);
  }
  const entries = rows.map((row): ExtractEntry => {
    const entry: ExtractEntry = {
      no: row.no,
      path: row.path,
      name: row.name,
      type: row.type,
      size: row.size,
      mtimeMs: row.mtimeMs,
      mode: row.mode,
      offset: row.offset,
      dataOffset: row.offset,
      ...(row.linkTarget === undefined ? {} : { linkTarget: row.linkTarget }),
    };
    if (backup.sourceKind !== 'volume') entry.dataOffset = row.offset + headerLength(entry);
    return entry;
  });
  const byNo = new Map(entries.map((e) => [e.no, e]));
  const parts = asked.map(({ path, type, rows: own }): SelectionPart => {
    const mine = own.map((r) => byNo.get(r.no)!);
    const ranges = mine.map(rangeOf);
    return {
      path,
      type,
      from: ranges.length === 0 ? 0 : ranges.reduce((lo, r) => Math.min(lo, r.from), Infinity),
      to: ranges.reduce((hi, r) => Math.max(hi, r.to), 0),
      entries: mine.length,
      bytes: mine.reduce((sum, e) => sum + (e.type === 'file' ? e.size : 0), 0),
    };
  });
  return { entries, bytes: entries.reduce((sum, e) => sum + (e.type === 'file' ? e.size : 0), 0), parts };
}

/** A chunk and where each complete copy holds it. */
function sourcesOf(backup: BackupView, fragments: readonly FragmentView[], index: number): ChunkSource[] {
  const offset = index * backup.chunkSize;
  const complete = new Set(backup.copies.filter((c) => c.state === 'complete').map((c) => c.copy));
  const sources: ChunkSource[] = [];
  for (const f of fragments) {
    if (!complete.has(f.copy) || offset < f.offset || offset >= f.offset + f.size) continue;
    // Every record of a fragment but the stream's last holds a whole chunk.
    const records = (offset - f.offset) / backup.chunkSize;
    sources.push({ copy: f.copy, library: f.library, tape: f.tape, position: f.position + records * (RECORD_OVERHEAD + backup.chunkSize) });
  }
  return sources.sort((a, b) => a.copy - b.copy);
}

interface ReadPlan {
  chunks: PlannedChunk[];
  /** Why chunks have no source left (sources on unavailable devices). */
  unavailable: Map<number, string>;
}

/**
 * The chunks covering the byte ranges `ranges` (sorted or not), each with its sources in the
 * order to try them. `usable` says whether a library or tape can be read now.
 */
export function planChunks(backup: BackupView, fragments: readonly FragmentView[], ranges: ReadonlyArray<{ from: number; to: number }>, usable: (id: string) => string | null): ReadPlan {
  const needed = new Set<number>();
  for (const { from, to } of ranges) {
    const last = Math.floor((Math.max(to, from + 1) - 1) / backup.chunkSize);
    for (let i = Math.floor(from / backup.chunkSize); i <= last && i * backup.chunkSize < backup.size; i++) needed.add(i);
  }
  const indices = [...needed].sort((a, b) => a - b);
  const unavailable = new Map<number, string>();
  const chunks = indices.map((index): PlannedChunk => {
    const offset = index * backup.chunkSize;
    const all = sourcesOf(backup, fragments, index);
    const sources = all.filter((s) => usable(s.library) === null && usable(s.tape) === null);
    if (sources.length === 0) {
      const why = all.map((s) => usable(s.library) ?? usable(s.tape)).filter(Boolean);
      unavailable.set(index, all.length === 0 ? 'no complete copy holds it' : [...new Set(why)].join('; '));
    }
    return { index, offset, length: Math.min(backup.chunkSize, backup.size - offset), sources };
  });
  chooseFirstSources(chunks);
  return { chunks, unavailable };
}

/**
 * Orders each chunk's sources: a small read takes the copy needing the fewest tapes; a large one
 * deals runs of chunks to the copies in turn, so their libraries read side by side all along the
 * stream (the extraction, which goes in stream order, then never waits on one library alone).
 */
function chooseFirstSources(chunks: PlannedChunk[]): void {
  const copies = [...new Set(chunks.flatMap((c) => c.sources.map((s) => s.copy)))].sort((a, b) => a - b);
  if (copies.length <= 1) return;
  const tapesOf = (copy: number) => new Set(chunks.flatMap((c) => c.sources.filter((s) => s.copy === copy).map((s) => s.tape))).size;
  const coverage = (copy: number) => chunks.filter((c) => c.sources.some((s) => s.copy === copy)).length;
  const ranked = [...copies].sort((a, b) => coverage(b) - coverage(a) || tapesOf(a) - tapesOf(b) || a - b);
  const parallel = chunks.length >= PARALLEL_FROM_CHUNKS;
  chunks.forEach((chunk, i) => {
    const part = parallel ? Math.floor(i / STRIPE_CHUNKS) % ranked.length : 0;
    const preferred = ranked.slice(part).concat(ranked.slice(0, part));
    chunk.sources.sort((a, b) => preferred.indexOf(a.copy) - preferred.indexOf(b.copy));
  });
}

/** Per library, the tapes read first-hand, in the order they are first needed. */
export function plannedTapes(chunks: readonly PlannedChunk[]): PlannedTape[] {
  const tapes = new Map<string, PlannedTape>();
  for (const chunk of chunks) {
    const first = chunk.sources[0];
    if (!first) continue;
    const key = `${first.library}/${first.tape}`;
    const tape = tapes.get(key) ?? { library: first.library, tape: first.tape, copy: first.copy, chunks: 0, bytes: 0 };
    tape.chunks += 1;
    tape.bytes += chunk.length;
    tapes.set(key, tape);
  }
  return [...tapes.values()].sort((a, b) => a.library.localeCompare(b.library));
}

/** The whole restore plan, for the operator to see before it runs. */
export function restorePlan(backup: BackupView, fragments: readonly FragmentView[], selection: RestoreSelection, inventory: Inventory): RestorePlan {
  const usable = (id: string) => {
    const { state, holder } = inventory.status(id);
    return state === 'available' ? null : state === 'in-use' && holder ? `${id} is in use by job ${holder.jobId}` : `${id} is ${state}`;
  };
  const read = planChunks(backup, fragments, selection.entries.map(rangeOf), usable);
  const unreadable: RestorePlan['unreadable'] = [];
  for (const entry of selection.entries) {
    const { from, to } = rangeOf(entry);
    const lost = read.chunks.find((c) => c.sources.length === 0 && c.offset < to && c.offset + c.length > from);
    if (lost) unreadable.push({ path: entry.path, reason: `chunk ${lost.index} cannot be read: ${read.unavailable.get(lost.index)}` });
  }
  return {
    backupId: backup.id,
    target: backup.target,
    dataTime: backup.dataTime,
    entries: selection.entries.length,
    bytes: selection.bytes,
    chunks: read.chunks,
    tapes: plannedTapes(read.chunks),
    unreadable,
    selections: selection.parts.map(({ from, to, ...part }) => ({
      ...part,
      firstChunk: Math.floor(from / backup.chunkSize),
      lastChunk: Math.floor((Math.max(to, from + 1) - 1) / backup.chunkSize),
    })),
  };
}

/** Stream bytes an entry needs: its headers and its data. */
export function rangeOf(entry: ExtractEntry): { from: number; to: number } {
  return { from: entry.offset, to: entry.dataOffset + entry.size };
}
