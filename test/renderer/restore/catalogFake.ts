// A fake engine for the restore browser's tests, on the shared fake (../fakeApi.ts): two targets,
// /pictures with a failover backup (2) whose copy 0 moved from tape A00001 (chunks 0-2) to
// B00001 (chunks 3-9), a mirrored one (3) with two copies, and a failed one (1) that cannot be
// restored; directories listed a page at a time as the engine pages them (a folder of 2,500
// entries among them), a search by name, and a plan worked out from each path's chunks.
import type { BackupDetail, BackupSummary, ChunkSource, DirectoryEntry, FragmentView, PlannedChunk, RestorePlan, RestoreRequestInput } from '../../../engine/contract';
import type { Handlers } from '../fakeApi';
import { backupSummary, targetSummary } from '../fixtures';

export const KiB = 1024;
export const CHUNK = 256 * KiB;
export const BIG_FOLDER = 2500;

function entry(path: string, type: DirectoryEntry['type'], over: Partial<DirectoryEntry> = {}): DirectoryEntry {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { no: 0, name, path, type, size: type === 'file' ? 100 * KiB : 0, mtimeMs: Date.parse('2026-11-30T12:00:00Z'), mode: 0o644, linkTarget: null, status: 'ok', children: null, ...over };
}

/** Directory path -> its entries, in name order (backup 2 and 3 hold the same files). */
export function pictureTree(): Map<string, DirectoryEntry[]> {
  const big = Array.from({ length: BIG_FOLDER }, (_, i) => entry(`big/f${String(i).padStart(5, '0')}.raw`, 'file', { size: 4 * KiB }));
  return new Map([
    ['', [entry('2024', 'directory', { children: 3 }), entry('big', 'directory', { children: BIG_FOLDER }), entry('empty', 'directory', { children: 0 }), entry('notes.txt', 'file', { size: 2 * KiB, status: 'changed' })]],
    ['2024', [entry('2024/a.jpg', 'file'), entry('2024/b.jpg', 'file'), entry('2024/c.jpg', 'file')]],
    ['big', big],
    ['empty', []],
  ]);
}

/** Where each path lives in the stream, in chunks (a folder spans its contents). */
export const CHUNKS_OF: Record<string, [number, number]> = {
  '': [0, 9],
  '2024': [0, 2],
  '2024/a.jpg': [0, 0],
  '2024/b.jpg': [1, 1],
  '2024/c.jpg': [2, 2],
  big: [3, 8],
  empty: [8, 8],
  'notes.txt': [9, 9],
};

export const failoverBackupSummary = (): BackupSummary =>
  backupSummary(2, 20, { mode: 'failover', size: 10 * CHUNK, chunkSize: CHUNK, files: 2507, copies: [{ copy: 0, state: 'complete' }], completeCopies: 1, tapes: ['A00001', 'B00001'], dataTime: '2026-12-01T07:00:02.000Z' });
export const mirroredBackupSummary = (): BackupSummary =>
  backupSummary(3, 30, { mode: 'mirrored', size: 10 * CHUNK, chunkSize: CHUNK, files: 2507, tapes: ['C00001', 'A00002'], dataTime: '2026-12-02T07:00:02.000Z' });
export const failedBackupSummary = (): BackupSummary =>
  backupSummary(1, 10, { state: 'failed', outcome: 'failed', completeCopies: 0, copies: [{ copy: 0, state: 'failed' }], restorable: false, dataTime: '2026-11-30T07:00:02.000Z' });

function fragment(copy: number, tape: string, library: string, offset: number, chunks: number): FragmentView {
  return { copy, stream: copy, library, tape, position: 4096, size: chunks * CHUNK, offset: offset * CHUNK, chunks, sha256: 'f'.repeat(64) };
}

export function backupDetail(backupId: number): BackupDetail {
  if (backupId === 3) return { ...mirroredBackupSummary(), fragments: [fragment(0, 'C00001', 'library-C', 0, 10), fragment(1, 'A00002', 'library-A', 0, 10)] };
  return { ...failoverBackupSummary(), fragments: [fragment(0, 'A00001', 'library-A', 0, 3), fragment(0, 'B00001', 'library-B', 3, 7)] };
}

function sourcesOf(backupId: number, index: number): ChunkSource[] {
  return backupDetail(backupId)
    .fragments.filter((f) => index * CHUNK >= f.offset && index * CHUNK < f.offset + f.size)
    .map((f) => ({ copy: f.copy, library: f.library, tape: f.tape, position: f.position + (index * CHUNK - f.offset) }));
}

/** The plan the fake engine answers: the chunks of the paths asked for, read from their first copy. */
export function planOf(request: RestoreRequestInput): RestorePlan {
  const paths = request.paths?.length ? request.paths : [''];
  const needed = new Set<number>();
  for (const path of paths) {
    const [from, to] = CHUNKS_OF[path] ?? [0, 0];
    for (let i = from; i <= to; i++) needed.add(i);
  }
  const chunks: PlannedChunk[] = [...needed].sort((a, b) => a - b).map((index) => ({ index, offset: index * CHUNK, length: CHUNK, sources: sourcesOf(request.backupId, index) }));
  const tapes: RestorePlan['tapes'] = [];
  for (const chunk of chunks) {
    const first = chunk.sources[0]!;
    const have = tapes.find((t) => t.tape === first.tape);
    if (have) {
      have.chunks += 1;
      have.bytes += chunk.length;
    } else tapes.push({ library: first.library, tape: first.tape, copy: first.copy, chunks: 1, bytes: chunk.length });
  }
  tapes.sort((a, b) => a.library.localeCompare(b.library));
  const selections: RestorePlan['selections'] = paths.map((path) => {
    const [firstChunk, lastChunk] = CHUNKS_OF[path] ?? [0, 0];
    return { path, type: path === '' || !path.includes('.') ? 'directory' : 'file', firstChunk, lastChunk, entries: 2, bytes: 100 * KiB };
  });
  return { backupId: request.backupId, target: '/pictures', dataTime: '2026-12-01T07:00:02.000Z', entries: paths.length * 2, bytes: paths.length * 100 * KiB, chunks, tapes, unreadable: [], selections };
}

/** An engine answering every read of the restore browser. */
export function restoreHandlers(): Handlers {
  const tree = pictureTree();
  return {
    catalogTargets: () => [targetSummary('/pictures', 3), targetSummary('X:', 0)],
    catalogBackups: ({ target }) => (target === '/pictures' ? [mirroredBackupSummary(), failoverBackupSummary(), failedBackupSummary()] : []),
    catalogBackup: ({ backupId }) => backupDetail(backupId),
    catalogList: ({ backupId, path, offset = 0, limit = 1000 }) => {
      const all = tree.get(path) ?? [];
      return { backupId, path, total: all.length, offset, entries: all.slice(offset, offset + limit) };
    },
    catalogFind: (request) => {
      const needle = request.name.toLowerCase();
      const hits = [...tree.values()].flat().filter((e) => e.name.toLowerCase().includes(needle));
      const backupId = 'backupId' in request ? request.backupId : 2;
      return hits.slice(0, request.limit ?? 100).map((e) => ({ backupId, dataTime: '2026-12-01T07:00:02.000Z', path: e.path, type: e.type, size: e.size }));
    },
    planRestore: (request) => planOf(request),
  };
}
