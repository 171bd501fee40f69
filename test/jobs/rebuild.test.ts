// Rebuilding the catalog from the tapes, on real backups: mirrored, failover split over two
// libraries by a crash, failover whose first tape failed (no catalog record on it), a volume, a
// single file, streams spanning small tapes. After the catalog files are deleted, the rebuilt
// catalog has the same backups, copies, fragments, jobs, tape fills and file index (mtime to the
// precision of the tar headers), every copy reads back with the same SHA-256, and a restore gives
// the same bytes. Also: a tape whose label is damaged (reported, the rest rebuilt), a record
// damaged in the middle of a tape (the records after it still read), payload damage (the file
// index read from the other copy, or reported when no copy reads back), a backup whose job died
// before step 1170 (rebuilt from record headers, not restorable), rebuilding twice, and a site
// that is open elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Engine, rebuildCatalog, SiteConfigError, SiteInUseError } from '../../engine';
import type { BackupView, Fault, FragmentView, RebuildReport } from '../../engine/contract';
import { RebuildReport as RebuildReportSchema } from '../../engine/contract';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../../engine/catalog';
import { LABEL_SIZE } from '../../engine/media';
import { headerLength } from '../../engine/payload';
import { copyShas, makeBackupSite, type BackupSiteOptions } from '../helpers/backup-site';
import { useChildren, waitForExit } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';
import { describeTreeToSeconds as tree, writeAwkwardTree } from '../helpers/trees';

const CHUNK = 64 * 1024;

interface Snapshot {
  backups: Array<{ view: BackupView; fragments: FragmentView[]; files: unknown[] }>;
  jobs: unknown[];
  tapes: Array<{ id: string; used: number }>;
  full: string[];
  shas: Record<number, Record<number, string>>;
}

/** What the catalog of a site holds about its backups; mtimes to the precision of the tar headers. */
async function snapshot(dir: string): Promise<Snapshot> {
  const engine = await Engine.open(dir);
  try {
    const views = engine.catalog.backups.list({ limit: 1000 }).reverse();
    const shas: Snapshot['shas'] = {};
    for (const view of views.filter((b) => b.state === 'complete')) {
      shas[view.id] = Object.fromEntries(await copyShas(engine, engine.backupResult(view.jobId)));
    }
    const tapes = [...engine.site.tapes].map((t) => ({ id: t.id, used: Math.max(engine.inventory.tapeUsage(t.id).usedBytes, LABEL_SIZE) }));
    return {
      backups: views.map((view) => ({ view, fragments: engine.catalog.backups.fragments(view.id), files: headerPrecision(view, engine.catalog.browse.subtree(view.id, null)) })),
      jobs: views.map((view) => {
        const { id, kind, target, mode, streams, state } = engine.catalog.jobs.get(view.jobId)!;
        return { id, kind, target, mode, streams, state };
      }),
      tapes,
      full: tapes.filter((t) => engine.inventory.tapeUsage(t.id).full).map((t) => t.id),
      shas,
    };
  } finally {
    engine.close();
  }
}

/** File index rows with mtime as a tar header holds it: milliseconds with a pax header, else seconds. */
function headerPrecision(view: BackupView, rows: ReturnType<Engine['catalog']['browse']['subtree']>): unknown[] {
  const paths = new Map<number, string>();
  return rows.map((row) => {
    const entryPath = row.parent === null ? row.name : `${paths.get(row.parent)}/${row.name}`;
    paths.set(row.no, entryPath);
    if (view.sourceKind === 'volume') return row;
    const pax = headerLength({ path: entryPath, name: row.name, type: row.type as 'file', size: row.size, mtimeMs: row.mtimeMs, mode: row.mode, linkTarget: row.linkTarget }) > 512;
    return { ...row, mtimeMs: pax ? row.mtimeMs : Math.floor(row.mtimeMs / 1000) * 1000 };
  });
}

function deleteCatalog(dir: string): void {
  fs.rmSync(path.join(dir, SNAPSHOT_FILE));
  fs.rmSync(path.join(dir, JOURNAL_FILE), { force: true });
}

function tapeFile(dir: string, tape: string): string {
  const library = `library-${tape[0]}`;
  return path.join(dir, 'libraries', library.slice(-1).toLowerCase(), `${tape}.tape`);
}

describe('catalog rebuild', () => {
  const tempDir = useTempDirs('mpb-rebuild-');
  const start = useChildren();

  async function site(options: BackupSiteOptions = {}): Promise<{ dir: string; engine: Engine }> {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'), options);
    writeAwkwardTree(path.join(dir, 'storage', 'awkward'), CHUNK);
    return { dir, engine: await Engine.open(dir) };
  }

  function first(engine: Engine, mover: 'copy-device' | 'backup-server') {
    return engine.plan({ streams: 2, mover }).streams;
  }

  it('gives back the same catalog and the same bytes after the catalog files are deleted', async () => {
    const { dir, engine } = await site();
    let faultedTape: string;
    try {
      const results = [];
      results.push(await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK }));
      const [copy0] = first(engine, 'copy-device');
      results.push(await engine.backup({ target: '/awkward', mode: 'failover', chunkSize: CHUNK, faults: [{ device: copy0!.mover, kind: 'crash', at: { chunk: 2 } }] }));
      results.push(await engine.backup({ target: 'X:', mode: 'mirrored', chunkSize: CHUNK }));
      // Stream 0's tape fails at chunk 3: no catalog record is written on it (its chunks are found by their headers).
      const [stream0] = first(engine, 'copy-device');
      faultedTape = stream0!.tape;
      results.push(await engine.backup({ target: '/movies/movie-1.mp4', mode: 'failover', chunkSize: CHUNK, faults: [{ device: faultedTape, kind: 'media-error', at: { chunk: 3 } }] }));
      // A mirrored backup one of whose streams dies: succeeded-degraded.
      const servers = first(engine, 'backup-server');
      results.push(await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: CHUNK, faults: [{ device: servers[1]!.mover, kind: 'io-error', at: { chunk: 1 } }] }));
      expect(results.map((r) => r.job.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded-degraded']);
      expect(new Set(results[1]!.fragments.map((f) => f.library)).size).toBe(2);
      expect(new Set(results[3]!.fragments.map((f) => f.tape))).toContain(faultedTape);
    } finally {
      engine.close();
    }
    const before = await snapshot(dir);
    expect(Object.keys(before.shas)).toHaveLength(5);

    deleteCatalog(dir);
    const started = performance.now();
    const report = await rebuildCatalog(dir);
    const ms = performance.now() - started;
    expect(RebuildReportSchema.parse(report)).toEqual(report);
    expect(report.ok).toBe(true);
    expect(report.previousCatalog).toBeNull();
    expect(report.summary).toMatchObject({ volumesUnreadable: 0, backupsComplete: 5, backupsIncomplete: 0, dropped: 0 });
    expect(report.summary.volumesBlank).toBe(report.summary.volumes - report.summary.volumesRead);
    expect(report.summary.fragments).toBe(before.backups.reduce((n, b) => n + b.fragments.length, 0));
    expect(report.summary.fileIndexRows).toBe(before.backups.reduce((n, b) => n + b.files.length, 0));
    expect(report.backups.map((b) => [b.id, b.source, b.restorable, b.problems])).toEqual(before.backups.map((b) => [b.view.id, 'tape-catalog', true, []]));
    // The failed tape's newest catalog record (if any) is older than the backup whose chunks it holds.
    const faulted = report.volumes.find((v) => v.tape === faultedTape!)!;
    expect(faulted.status).toBe('read');
    expect(faulted.catalogRecord?.backups ?? 0).toBeLessThan(4);

    const after = await snapshot(dir);
    expect(after.backups).toEqual(before.backups);
    expect(after.jobs).toEqual(before.jobs);
    expect(after.tapes).toEqual(before.tapes);
    expect(after.full).toEqual(before.full);
    expect(after.shas).toEqual(before.shas);
    console.log(`rebuild of ${report.summary.volumesRead} volumes, ${report.summary.fileIndexRows} file index rows: ${ms.toFixed(0)} ms`);

    // A restore from the rebuilt catalog gives the source back.
    const engine2 = await Engine.open(dir);
    try {
      for (const backup of [before.backups[0]!.view, before.backups[3]!.view]) {
        const to = path.join(tempDir(), `restored-${backup.id}`);
        const result = await engine2.restore({ backupId: backup.id, destination: to });
        expect(result.job.state).toBe('succeeded');
        const source = backup.target === '/awkward' ? path.join(dir, 'storage', 'awkward') : path.join(dir, 'storage', 'movies');
        if (backup.target === '/awkward') expect(tree(to)).toEqual(tree(source));
        else expect(fs.readFileSync(path.join(to, 'movie-1.mp4')).equals(fs.readFileSync(path.join(source, 'movie-1.mp4')))).toBe(true);
      }
      // New work goes on after what the tapes hold.
      const next = await engine2.backup({ target: '/awkward', mode: 'failover', chunkSize: CHUNK });
      expect(next.job.state).toBe('succeeded');
      expect(next.job.id).toBeGreaterThan(before.backups.at(-1)!.view.jobId);
      expect(next.backup!.id).toBe(before.backups.length + 1);
      expect((await copyShas(engine2, next)).size).toBe(1);
    } finally {
      engine2.close();
    }
  });

  it('rebuilds streams spanning small tapes, and twice gives the same', async () => {
    const { dir, engine } = await site({ size: 8 * 2 ** 20, tapeCapacity: 1024 * 1024 });
    try {
      const mirrored = await engine.backup({ target: '/movies', mode: 'mirrored', chunkSize: CHUNK });
      const failover = await engine.backup({ target: '/movies', mode: 'failover', chunkSize: CHUNK, faults: [{ device: first(engine, 'copy-device')[0]!.mover, kind: 'crash', at: { chunk: 30 } }] });
      expect([mirrored.job.state, failover.job.state]).toEqual(['succeeded', 'succeeded']);
      for (const s of mirrored.streams) expect(s.tapes.length).toBeGreaterThan(2);
    } finally {
      engine.close();
    }
    const before = await snapshot(dir);
    expect(before.full.length).toBeGreaterThan(4);

    deleteCatalog(dir);
    const first1 = await rebuildCatalog(dir);
    expect(first1.ok).toBe(true);
    const once = await snapshot(dir);
    expect(once).toEqual(before);

    // The second rebuild moves the first one's catalog aside and gives the same catalog.
    const second = await rebuildCatalog(dir, { now: () => new Date('2030-01-02T03:04:05.678Z') });
    expect(second.previousCatalog).toBe(path.join(dir, 'catalog-before-rebuild-20300102T030405Z'));
    expect(fs.readdirSync(second.previousCatalog!)).toContain(SNAPSHOT_FILE);
    expect(await snapshot(dir)).toEqual(before);
    expect({ ...second, rebuiltAt: '', previousCatalog: null }).toEqual({ ...first1, rebuiltAt: '', previousCatalog: null });
    expect(fs.existsSync(path.join(dir, 'catalog-rebuild.tmp'))).toBe(false);
  });

  it('reports a tape whose label is damaged as unreadable and rebuilds the rest', async () => {
    const { dir, engine } = await site();
    let damaged: string;
    try {
      const result = await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      damaged = result.fragments.find((f) => f.copy === 0)!.tape;
    } finally {
      engine.close();
    }
    const before = await snapshot(dir);
    const file = tapeFile(dir, damaged!);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from('garbage'), 0, 7, 40);
    fs.closeSync(fd);

    const report = await rebuildCatalog(dir);
    expect(report.ok).toBe(false);
    expect(report.summary.volumesUnreadable).toBe(1);
    expect(report.volumes.find((v) => v.tape === damaged)).toMatchObject({ status: 'unreadable', reason: expect.stringMatching(/bad volume label: CRC-32 mismatch/) });
    expect(report.backups).toEqual([
      expect.objectContaining({ restorable: true, copies: [expect.objectContaining({ copy: 0, state: 'failed', fragments: 0 }), expect.objectContaining({ copy: 1, state: 'complete' })] }),
    ]);
    expect(report.backups[0]!.problems).toEqual([expect.stringMatching(/^copy 0 was complete, but bytes 0 to \d+ of it are on no readable tape$/)]);
    expect(report.previousCatalog).toMatch(/catalog-before-rebuild-/);

    const engine2 = await Engine.open(dir);
    try {
      expect(engine2.inventory.status(damaged!).state).toBe('unavailable');
      const result = engine2.backupResult(before.backups[0]!.view.jobId);
      expect(result.backup!.copies).toEqual([{ copy: 0, state: 'failed' }, { copy: 1, state: 'complete' }]);
      expect(Object.fromEntries(await copyShas(engine2, result))).toEqual({ 1: before.shas[result.backup!.id]![1] });
      expect(headerPrecision(result.backup!, engine2.catalog.browse.subtree(result.backup!.id, null))).toEqual(before.backups[0]!.files);
      expect(engine2.jobLog(result.job.id).map((e) => e.message)).toEqual([expect.stringMatching(/catalog rebuild: backup 1: copy 0 was complete/)]);
    } finally {
      engine2.close();
    }
  });

  it('reads on past a record damaged in the middle of a tape', async () => {
    const { dir, engine } = await site();
    let target: FragmentView;
    try {
      await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      const second = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: CHUNK });
      target = second.fragments.find((f) => f.copy === 0)!;
    } finally {
      engine.close();
    }
    const before = await snapshot(dir);
    // The first record of the second backup on copy 0's tape: its header CRC no longer matches.
    const fd = fs.openSync(tapeFile(dir, target!.tape), 'r+');
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, target!.position + 30);
    fs.closeSync(fd);

    const report = await rebuildCatalog(dir);
    const volume = report.volumes.find((v) => v.tape === target!.tape)!;
    expect(volume.damaged).toHaveLength(1);
    expect(volume.damaged[0]!.from).toBe(target!.position);
    expect(volume.catalogRecord).not.toBeNull(); // written after the damage, still read
    expect(report.ok).toBe(true);
    expect(report.dropped.map((d) => [d.tape, d.what])).toEqual([
      [target!.tape, `bytes ${target!.position} to ${volume.damaged[0]!.to}`],
      [target!.tape, expect.stringMatching(/^fragment of copy 0 of backup 2/)],
    ]);
    expect(report.backups.map((b) => [b.id, b.restorable, b.copies.map((c) => c.state)])).toEqual([
      [1, true, ['complete', 'complete']],
      [2, true, ['failed', 'complete']],
    ]);
    const after = await snapshot(dir);
    expect(after.backups[0]).toEqual(before.backups[0]);
    expect(after.backups[1]!.files).toEqual(before.backups[1]!.files);
    expect(after.shas[2]).toEqual({ 1: before.shas[2]![1] });
  });

  it('reads the file index from another copy when one is damaged, and says so when none reads back', async () => {
    const { dir, engine } = await site();
    let fragments: FragmentView[];
    try {
      fragments = (await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK })).fragments;
    } finally {
      engine.close();
    }
    const before = await snapshot(dir);
    const damage = (f: FragmentView) => {
      const fd = fs.openSync(tapeFile(dir, f.tape), 'r+');
      fs.writeSync(fd, Buffer.from('XX'), 0, 2, f.position + 128 + 1000); // payload bytes: only a read notices
      fs.closeSync(fd);
    };
    damage(fragments![0]!);
    const one = await rebuildCatalog(dir);
    expect(one.ok).toBe(true);
    expect(one.backups[0]).toMatchObject({ restorable: true, fileIndexRows: before.backups[0]!.files.length, problems: [] });
    const engine2 = await Engine.open(dir);
    try {
      const view = engine2.catalog.backups.get(1)!;
      expect(headerPrecision(view, engine2.catalog.browse.subtree(1, null))).toEqual(before.backups[0]!.files);
    } finally {
      engine2.close();
    }

    damage(fragments![1]!);
    const none = await rebuildCatalog(dir);
    expect(none.ok).toBe(false);
    expect(none.summary.volumesUnreadable).toBe(0);
    expect(none.backups[0]!.fileIndexRows).toBe(0);
    expect(none.backups[0]!.problems).toEqual([expect.stringMatching(/^its file index could not be rebuilt \(copy 0: .*payload SHA-256 mismatch.*; copy 1: .*\): nothing of it can be selected for restore$/)]);
  });

  it('rebuilds a backup whose job died before writing catalog records from the record headers, as interrupted', async () => {
    const { dir, engine } = await site();
    let servers: string[];
    try {
      const done = await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      expect(done.job.state).toBe('succeeded');
      servers = first(engine, 'backup-server').map((s) => s.mover);
    } finally {
      engine.close();
    }
    // The manager is killed while both streams write slowly.
    const slow = servers!.map((s) => `${s}:slow@chunk=0,rate=192KiB`);
    const child = start('test/helpers/run-backup.ts', [dir, '/pictures', 'mirrored', String(CHUNK), ...slow]);
    const written = () =>
      fs
        .readdirSync(path.join(dir, 'libraries'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.tape'))
        .map((f) => fs.statSync(path.join(dir, 'libraries', f)).size);
    const sizesBefore = written().reduce((a, b) => a + b, 0);
    while (written().reduce((a, b) => a + b, 0) < sizesBefore + 6 * CHUNK && child.exitCode === null) await sleep(20);
    child.kill('SIGKILL');
    await waitForExit(child);
    await sleep(300);
    const before = await snapshot(dir);
    expect(before.backups.map((b) => b.view.state)).toEqual(['complete', 'interrupted']);

    deleteCatalog(dir);
    const report = await rebuildCatalog(dir);
    expect(report.ok).toBe(true);
    const [complete, interrupted] = report.backups as [RebuildReport['backups'][number], RebuildReport['backups'][number]];
    expect(complete).toMatchObject({ id: 1, restorable: true, source: 'tape-catalog' });
    expect(interrupted).toMatchObject({ id: 2, restorable: false, source: 'record-headers', state: 'interrupted', target: '(unknown)', mode: 'mirrored', fileIndexRows: 0 });
    expect(interrupted.jobId).toBe(complete.jobId + 1);
    expect(interrupted.copies.map((c) => c.state)).toEqual(['failed', 'failed']);
    expect(interrupted.copies.every((c) => c.fragments === 1 && c.bytes > 0)).toBe(true);
    expect(interrupted.problems).toEqual([expect.stringMatching(/no catalog record on any tape mentions it/)]);

    const after = await snapshot(dir);
    expect(after.backups[0]).toEqual(before.backups[0]);
    const rebuilt = after.backups[1]!;
    expect(rebuilt.view).toMatchObject({ id: 2, state: 'interrupted', target: '(unknown)', mode: 'mirrored', chunkSize: CHUNK });
    // Its fragments are what the old catalog had committed, or more (a chunk stored just before the kill).
    for (const f of before.backups[1]!.fragments) {
      const same = rebuilt.fragments.find((r) => r.copy === f.copy)!;
      expect(same).toMatchObject({ tape: f.tape, position: f.position, offset: 0 });
      expect(same.chunks).toBeGreaterThanOrEqual(f.chunks);
    }
    expect(after.tapes).toEqual(before.tapes.map((t) => ({ ...t, used: expect.any(Number) })));
    for (const [i, t] of after.tapes.entries()) expect(t.used).toBeGreaterThanOrEqual(before.tapes[i]!.used);
    // The next backup gets a new id and goes after the interrupted one's records.
    const engine2 = await Engine.open(dir);
    try {
      const next = await engine2.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK });
      expect(next.backup!.id).toBe(3);
      expect((await copyShas(engine2, next)).size).toBe(2);
    } finally {
      engine2.close();
    }
  });

  it('refuses a site that is open elsewhere, or no site, and changes nothing', async () => {
    const { dir, engine } = await site();
    try {
      await expect(rebuildCatalog(dir)).rejects.toThrow(SiteInUseError);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('catalog-'))).toEqual([]);
    } finally {
      engine.close();
    }
    await expect(rebuildCatalog(tempDir())).rejects.toThrow(SiteConfigError);
  });

  it('a tape with nothing usable on it is reported, and faults of every kind keep the report valid', async () => {
    const { dir, engine } = await site();
    const faults: Fault[] = [];
    try {
      const streams = first(engine, 'backup-server');
      // Both tapes fail: the job fails and no catalog record is written anywhere.
      for (const [i, s] of streams.entries()) faults.push({ device: s.tape, kind: 'media-error', at: { chunk: 2 + i } });
      const result = await engine.backup({ target: '/awkward', mode: 'mirrored', chunkSize: CHUNK, faults });
      expect(result.job.state).toBe('failed');
    } finally {
      engine.close();
    }
    // A stray tape file the site config does not name.
    fs.writeFileSync(path.join(dir, 'libraries', 'a', 'Z99999.tape'), 'not a tape');
    const report = await rebuildCatalog(dir);
    expect(report.ok).toBe(false);
    expect(report.volumes.filter((v) => v.status === 'unreadable')).toEqual([expect.objectContaining({ tape: 'Z99999', reason: expect.stringMatching(/is not a tape of library-A in the site config/) })]);
    expect(report.backups).toEqual([expect.objectContaining({ id: 1, source: 'record-headers', state: 'interrupted', mode: 'mirrored', restorable: false })]);
    expect(report.backups[0]!.copies.map((c) => [c.copy, c.state, c.fragments])).toEqual([
      [0, 'failed', 1],
      [1, 'failed', 1],
    ]);
  });
});
