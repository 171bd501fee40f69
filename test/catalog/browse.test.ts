// Browsing the catalog: targets and backups newest first with outcome, copies and tapes; one
// directory at a time (names with spaces and non-ASCII characters, deep trees, empty
// directories, paging); paths that are malformed or not there; search by name; and subtrees as
// contiguous runs of entry numbers, checked as a property over random trees.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Catalog, CatalogRequestError, NotFoundError, type FileIndexEntry, type SqlValue } from '../../engine/catalog';
import type { BackupMode, JobState } from '../../engine/contract';
import { useTempDirs } from '../helpers/temp';

/** A tree as nested objects: a string is a file's content size, an object a directory, { link } a symlink. */
type Tree = { [name: string]: number | Tree | { link: string } };

function isLink(node: Tree[string]): node is { link: string } {
  return typeof node === 'object' && typeof (node as { link?: unknown }).link === 'string' && Object.keys(node).length === 1;
}

/** The file index of a tree as a backup lists it: depth first, names by their UTF-8 bytes, each directory before its contents. */
function indexOf(tree: Tree): Array<FileIndexEntry & { path: string }> {
  const out: Array<FileIndexEntry & { path: string }> = [];
  let offset = 0;
  const walk = (node: Tree, parent: number | null, prefix: string) => {
    const names = Object.keys(node).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const child = node[name]!;
      const no = out.length;
      const base = { no, parent, name, path: prefix + name, mtimeMs: 1_700_000_000_000 + no, offset: (offset += 512) };
      if (typeof child === 'number') out.push({ ...base, type: 'file', size: child, mode: 0o644 });
      else if (isLink(child)) out.push({ ...base, type: 'symlink', size: 0, mode: 0o777, linkTarget: child.link });
      else {
        out.push({ ...base, type: 'directory', size: 0, mode: 0o755 });
        walk(child, no, `${prefix}${name}/`);
      }
    }
  };
  walk(tree, null, '');
  return out;
}

interface Made {
  id: number;
  entries: Array<FileIndexEntry & { path: string }>;
}

/** Records a backup the way the backup processor does: job, backup, copies, file index, chunks, end. */
function addBackup(
  catalog: Catalog,
  options: {
    target: string;
    dataTime: string;
    tree?: Tree;
    mode?: BackupMode;
    /** Per copy: its tapes in stream order and its end state. */
    copies?: Array<{ tapes: string[]; state: 'complete' | 'failed' }>;
    state?: 'complete' | 'failed' | 'interrupted';
    outcome?: JobState;
  },
): Made {
  const mode = options.mode ?? 'mirrored';
  const copies = options.copies ?? [
    { tapes: ['A00001'], state: 'complete' },
    { tapes: ['B00001'], state: 'complete' },
  ];
  const entries = indexOf(options.tree ?? { 'file.txt': 10 });
  const job = catalog.jobs.create({ kind: 'backup', target: options.target, mode, streams: 2, createdAt: options.dataTime });
  const chunk = 65536;
  const id = catalog.backups.create({
    jobId: job.id,
    target: options.target,
    mode,
    sourceKind: 'directory',
    dataTime: options.dataTime,
    startedAt: options.dataTime,
    size: chunk * 4,
    chunkSize: chunk,
    files: entries.length,
    copies: copies.map((_, i) => i),
  });
  catalog.backups.addFiles(id, entries);
  copies.forEach((copy, c) => {
    copy.tapes.forEach((tape, t) => {
      catalog.backups.commitChunk({
        backupId: id,
        jobId: job.id,
        copy: c,
        stream: c + t,
        chunkIndex: t,
        offset: t * chunk,
        size: chunk,
        library: `library-${tape[0]}`,
        tape,
        position: 4096,
        end: 4096 + chunk + 100,
        run: { position: 4096, sha256: 'ab'.repeat(32) },
      });
    });
    catalog.backups.setCopy(id, c, copy.state);
  });
  catalog.backups.finish(id, options.state ?? 'complete', options.dataTime);
  catalog.jobs.setState(job.id, options.outcome ?? 'succeeded', options.dataTime);
  return { id, entries };
}

const TREE: Tree = {
  'read me.txt': 5,
  'Photos 2024': {
    'IMG_0001.JPG': 1000,
    'img_0002.jpg': 2000,
    'Ürlaub am Meer': { 'strand & sonne.png': 300 },
    'empty album': {},
  },
  名前: { 'ünïcødé file.txt': 17, 'link to readme': { link: '../read me.txt' } },
  a: { b: { c: { d: { e: { f: { g: { 'deep.txt': 42 } } } } } } },
  '100% done_.txt': 1,
  '100x done-.txt': 2,
  'star*?[.txt': 3,
};

describe('browsing the catalog', () => {
  const tempDir = useTempDirs('mpb-browse-');
  let catalog: Catalog;

  beforeEach(async () => {
    catalog = await Catalog.open(tempDir());
  });
  afterEach(() => catalog.close());

  it('lists targets, then the backups of a target newest first with outcome, copies, tapes and restorability', () => {
    const first = addBackup(catalog, { target: '/pictures', dataTime: '2026-01-01T22:00:00.000Z' });
    const failover = addBackup(catalog, {
      target: '/pictures',
      dataTime: '2026-01-02T22:00:00.000Z',
      mode: 'failover',
      copies: [{ tapes: ['A00002', 'B00007', 'A00002'], state: 'complete' }],
    });
    const degraded = addBackup(catalog, {
      target: '/pictures',
      dataTime: '2026-01-02T22:00:00.000Z',
      copies: [
        { tapes: ['A00003'], state: 'failed' },
        { tapes: ['C00001', 'C00002'], state: 'complete' },
      ],
      outcome: 'succeeded-degraded',
    });
    const failed = addBackup(catalog, {
      target: '/pictures',
      dataTime: '2026-01-03T22:00:00.000Z',
      copies: [
        { tapes: ['A00004'], state: 'failed' },
        { tapes: [], state: 'failed' },
      ],
      state: 'failed',
      outcome: 'failed',
    });
    addBackup(catalog, { target: 'X:', dataTime: '2026-01-01T23:00:00.000Z', state: 'interrupted', outcome: 'interrupted' });

    expect(catalog.browse.targets()).toEqual([
      { target: '/pictures', backups: 4, completeBackups: 3, newestDataTime: '2026-01-02T22:00:00.000Z' },
      { target: 'X:', backups: 1, completeBackups: 0, newestDataTime: null },
    ]);

    const list = catalog.browse.backups('/pictures');
    // Same data time: the higher id first.
    expect(list.map((b) => b.id)).toEqual([failed.id, degraded.id, failover.id, first.id]);
    expect(list[0]).toMatchObject({ state: 'failed', outcome: 'failed', completeCopies: 0, restorable: false, tapes: ['A00004'] });
    expect(list[1]).toMatchObject({ outcome: 'succeeded-degraded', completeCopies: 1, restorable: true, tapes: ['A00003', 'C00001', 'C00002'] });
    expect(list[1]!.copies).toEqual([
      { copy: 0, state: 'failed' },
      { copy: 1, state: 'complete' },
    ]);
    expect(list[2]).toMatchObject({ mode: 'failover', outcome: 'succeeded', completeCopies: 1, restorable: true, tapes: ['A00002', 'B00007'] });
    expect(list[3]).toMatchObject({ mode: 'mirrored', completeCopies: 2, tapes: ['A00001', 'B00001'], files: 1, chunkSize: 65536, sourceKind: 'directory' });
    // A summary holds every field of the backup's view.
    const view = catalog.backups.get(first.id)!;
    expect(list[3]).toMatchObject(view);
    expect(catalog.browse.backup(degraded.id)).toEqual(list[1]);

    expect(catalog.browse.backups('/pictures', { limit: 2 }).map((b) => b.id)).toEqual([failed.id, degraded.id]);
    expect(catalog.browse.backups('/pictures', { limit: 2, before: degraded.id }).map((b) => b.id)).toEqual([failover.id, first.id]);
    expect(catalog.browse.backups('/pictures', { before: first.id })).toEqual([]);
    expect(catalog.browse.backups('/nothing')).toEqual([]);
    expect(() => catalog.browse.backups('X:', { before: first.id })).toThrow(NotFoundError);
    expect(() => catalog.browse.backups('X:', { limit: 0 })).toThrow();
    expect(() => catalog.browse.backup(99)).toThrow(/no backup 99 in the catalog/);
  });

  it('lists one directory at a time by name, with paths, types, links, statuses and child counts', () => {
    const { id, entries } = addBackup(catalog, { target: '/pictures', dataTime: 't', tree: TREE });
    const ueber = entries.find((e) => e.name === 'strand & sonne.png')!;
    catalog.backups.markFiles(id, [{ no: ueber.no, status: 'changed' }]);

    const root = catalog.browse.list(id, '');
    expect(root).toMatchObject({ backupId: id, path: '', total: 7, offset: 0 });
    expect(root.entries.map((e) => e.name)).toEqual(['100% done_.txt', '100x done-.txt', 'Photos 2024', 'a', 'read me.txt', 'star*?[.txt', '名前']);
    expect(catalog.browse.list(id, '/')).toEqual(root);
    const photos = root.entries.find((e) => e.name === 'Photos 2024')!;
    expect(photos).toEqual({
      no: entries.find((e) => e.path === 'Photos 2024')!.no,
      name: 'Photos 2024',
      path: 'Photos 2024',
      type: 'directory',
      size: 0,
      mtimeMs: expect.any(Number),
      mode: 0o755,
      linkTarget: null,
      status: 'ok',
      children: 4,
    });
    expect(root.entries.find((e) => e.name === 'read me.txt')).toMatchObject({ type: 'file', size: 5, children: null, mode: 0o644 });

    const album = catalog.browse.list(id, 'Photos 2024');
    expect(album.entries.map((e) => e.path)).toEqual(['Photos 2024/IMG_0001.JPG', 'Photos 2024/empty album', 'Photos 2024/img_0002.jpg', 'Photos 2024/Ürlaub am Meer']);
    expect(album.entries.find((e) => e.name === 'empty album')).toMatchObject({ children: 0 });
    expect(catalog.browse.list(id, 'Photos 2024/empty album/')).toMatchObject({ path: 'Photos 2024/empty album', total: 0, entries: [] });
    expect(catalog.browse.list(id, 'Photos 2024/Ürlaub am Meer').entries).toEqual([
      expect.objectContaining({ name: 'strand & sonne.png', path: 'Photos 2024/Ürlaub am Meer/strand & sonne.png', status: 'changed', size: 300 }),
    ]);
    expect(catalog.browse.list(id, '名前').entries).toEqual([
      expect.objectContaining({ name: 'link to readme', type: 'symlink', linkTarget: '../read me.txt', children: null }),
      expect.objectContaining({ name: 'ünïcødé file.txt', path: '名前/ünïcødé file.txt', linkTarget: null }),
    ]);
    expect(catalog.browse.list(id, 'a/b/c/d/e/f/g').entries.map((e) => e.path)).toEqual(['a/b/c/d/e/f/g/deep.txt']);

    // Pages: total stays the directory's, the page starts at offset.
    const page = catalog.browse.list(id, '', { offset: 2, limit: 3 });
    expect(page).toMatchObject({ total: 7, offset: 2 });
    expect(page.entries.map((e) => e.name)).toEqual(['Photos 2024', 'a', 'read me.txt']);
    expect(catalog.browse.list(id, '', { offset: 7 }).entries).toEqual([]);
    expect(() => catalog.browse.list(id, '', { limit: 0 })).toThrow();
    expect(() => catalog.browse.list(id, '', { offset: -1 })).toThrow();
  });

  it('resolves paths, and names what is missing or malformed', () => {
    const { id } = addBackup(catalog, { target: '/pictures', dataTime: 't', tree: TREE });
    expect(catalog.browse.resolve(id, '')).toBeNull();
    expect(catalog.browse.resolve(id, '/')).toBeNull();
    const deep = catalog.browse.resolve(id, 'a/b/c/d/e/f/g/deep.txt')!;
    expect(deep).toMatchObject({ name: 'deep.txt', type: 'file', size: 42, path: 'a/b/c/d/e/f/g/deep.txt', status: 'ok' });
    expect(deep.offset).toBeGreaterThan(0);
    expect(catalog.browse.resolve(id, '/名前/ünïcødé file.txt')).toMatchObject({ size: 17, path: '名前/ünïcødé file.txt' });
    expect(catalog.browse.resolve(id, '名前/link to readme')).toMatchObject({ type: 'symlink', linkTarget: '../read me.txt' });
    expect(catalog.browse.resolve(id, 'Photos 2024/')).toMatchObject({ type: 'directory', path: 'Photos 2024' });

    expect(() => catalog.browse.resolve(id, 'Photos 2024/missing.jpg')).toThrow('"Photos 2024/missing.jpg" is not in backup 1: "Photos 2024" has no entry "missing.jpg"');
    expect(() => catalog.browse.resolve(id, 'nope/x')).toThrow('its root has no entry "nope"');
    expect(() => catalog.browse.resolve(id, 'read me.txt/x')).toThrow('"read me.txt" is a file, not a directory');
    expect(() => catalog.browse.resolve(id, 'photos 2024')).toThrow(NotFoundError);
    expect(() => catalog.browse.list(id, 'read me.txt')).toThrow('"read me.txt" in backup 1 is a file, not a directory');
    for (const bad of ['a/../a', './a', 'a/.', 'a//b', '//', 'a\0b', '..']) {
      const attempt = () => catalog.browse.resolve(id, bad);
      expect(attempt, bad).toThrow(CatalogRequestError);
      expect(attempt, bad).not.toThrow(NotFoundError);
      expect(attempt, bad).toThrow(/is not a path inside a backup/);
    }
    expect(() => catalog.browse.resolve(42, '')).toThrow('no backup 42 in the catalog');
    expect(() => catalog.browse.list(42, 'a')).toThrow(NotFoundError);
  });

  it('finds entries by a part of their name in any case, wildcards taken literally', () => {
    const { id } = addBackup(catalog, { target: '/pictures', dataTime: '2026-01-01T00:00:00.000Z', tree: TREE });
    const names = (hits: Array<{ path: string }>) => hits.map((h) => h.path);
    expect(names(catalog.browse.find({ backupId: id }, 'img_000'))).toEqual(['Photos 2024/IMG_0001.JPG', 'Photos 2024/img_0002.jpg']);
    expect(names(catalog.browse.find({ backupId: id }, 'ÜRLAUB'))).toEqual(['Photos 2024/Ürlaub am Meer']);
    expect(names(catalog.browse.find({ backupId: id }, 'ÜNÏCØDÉ'))).toEqual(['名前/ünïcødé file.txt']);
    expect(names(catalog.browse.find({ backupId: id }, '100%'))).toEqual(['100% done_.txt']);
    expect(names(catalog.browse.find({ backupId: id }, 'done_'))).toEqual(['100% done_.txt']);
    expect(names(catalog.browse.find({ backupId: id }, '*?['))).toEqual(['star*?[.txt']);
    expect(names(catalog.browse.find({ backupId: id }, 'deep'))).toEqual(['a/b/c/d/e/f/g/deep.txt']);
    expect(catalog.browse.find({ backupId: id }, 'sonne')).toEqual([
      { backupId: id, dataTime: '2026-01-01T00:00:00.000Z', path: 'Photos 2024/Ürlaub am Meer/strand & sonne.png', type: 'file', size: 300 },
    ]);
    expect(catalog.browse.find({ backupId: id }, 'no such name')).toEqual([]);
    expect(catalog.browse.find({ backupId: id }, '.', { limit: 2 })).toHaveLength(2);
    expect(() => catalog.browse.find({ backupId: 9 }, 'x')).toThrow(NotFoundError);
    const odd = addBackup(catalog, { target: '/odd', dataTime: 't', tree: { 'back\\slash.txt': 1, 'backslash.txt': 1, 'STRASSE.txt': 1, 'straße.txt': 1, 'ÉTÉ.txt': 1, 'eté.txt': 1 } });
    expect(names(catalog.browse.find({ backupId: odd.id }, '\\s'))).toEqual(['back\\slash.txt']);
    expect(names(catalog.browse.find({ backupId: odd.id }, 'ß'))).toEqual(['straße.txt']);
    expect(names(catalog.browse.find({ backupId: odd.id }, 'été'))).toEqual(['ÉTÉ.txt']);
    expect(names(catalog.browse.find({ backupId: odd.id }, 'Et'))).toEqual(['eté.txt']);

    // Across a target: complete backups only, newest first.
    const newer = addBackup(catalog, { target: '/pictures', dataTime: '2026-02-01T00:00:00.000Z', tree: { 'IMG_0001.JPG': 5 } });
    addBackup(catalog, { target: '/pictures', dataTime: '2026-03-01T00:00:00.000Z', tree: { 'IMG_0001.JPG': 5 }, state: 'failed', outcome: 'failed' });
    addBackup(catalog, { target: '/other', dataTime: '2026-03-01T00:00:00.000Z', tree: { 'IMG_0001.JPG': 5 } });
    expect(catalog.browse.find({ target: '/pictures' }, 'img_0001').map((h) => [h.backupId, h.path])).toEqual([
      [newer.id, 'IMG_0001.JPG'],
      [id, 'Photos 2024/IMG_0001.JPG'],
    ]);
    expect(catalog.browse.find({ target: '/nothing' }, 'img')).toEqual([]);
  });

  it('a subtree is the directory and everything under it, in stream order', () => {
    const { id, entries } = addBackup(catalog, { target: '/pictures', dataTime: 't', tree: TREE });
    const photos = catalog.browse.resolve(id, 'Photos 2024')!;
    expect(catalog.browse.subtree(id, photos.no).map((e) => e.path)).toEqual([
      'Photos 2024',
      'Photos 2024/IMG_0001.JPG',
      'Photos 2024/empty album',
      'Photos 2024/img_0002.jpg',
      'Photos 2024/Ürlaub am Meer',
      'Photos 2024/Ürlaub am Meer/strand & sonne.png',
    ]);
    const file = catalog.browse.resolve(id, 'a/b/c/d/e/f/g/deep.txt')!;
    expect(catalog.browse.subtree(id, file.no)).toEqual([file]);
    const last = catalog.browse.resolve(id, '名前')!;
    expect(catalog.browse.subtree(id, last.no).map((e) => e.path)).toEqual(['名前', '名前/link to readme', '名前/ünïcødé file.txt']);
    const whole = catalog.browse.subtree(id, null);
    expect(whole.map((e) => [e.no, e.path])).toEqual(entries.map((e) => [e.no, e.path]));
    expect(whole.find((e) => e.type === 'symlink')).toMatchObject({ linkTarget: '../read me.txt' });
    expect(() => catalog.browse.subtree(id, 999)).toThrow('backup 1 has no entry number 999');
  });

  it('property: every subtree is exactly the entries under its directory, and listings partition the tree', () => {
    const name = fc.constantFrom('a', 'B', 'b c', 'é', 'Ü', '名', 'z', 'a.txt', '%');
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree; node: Tree[string] }>((tie) => ({
      tree: fc.dictionary(name, tie('node'), { maxKeys: 4 }),
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.nat(100), fc.record({ link: fc.constant('x') }), tie('tree')),
    })).tree;
    fc.assert(
      fc.property(tree, (t) => {
        const { id, entries } = addBackup(catalog, { target: '/random', dataTime: 't', tree: t });
        for (const dir of [null, ...entries.filter((e) => e.type === 'directory')]) {
          const expected = dir === null ? entries : entries.filter((e) => e.no === dir.no || e.path.startsWith(`${dir.path}/`));
          const got = catalog.browse.subtree(id, dir?.no ?? null);
          expect(got.map((e) => [e.no, e.path, e.type])).toEqual(expected.map((e) => [e.no, e.path, e.type]));
          const listing = catalog.browse.list(id, dir?.path ?? '');
          const children = entries.filter((e) => e.parent === (dir?.no ?? null));
          expect(listing.total).toBe(children.length);
          expect(listing.entries.map((e) => e.no).sort((a, b) => a - b)).toEqual(children.map((e) => e.no));
          for (const child of listing.entries) {
            expect(catalog.browse.resolve(id, child.path)!.no).toBe(child.no);
            expect(child.children).toBe(child.type === 'directory' ? entries.filter((e) => e.parent === child.no).length : null);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a page of a directory and its count are ranges of the index file_index(backup_id, parent_no, name), for the root too', () => {
    const { id } = addBackup(catalog, { target: '/pictures', dataTime: 't', tree: TREE });
    const seen: Array<[string, SqlValue[]]> = [];
    const all = catalog.db.all.bind(catalog.db);
    const spy = vi.spyOn(catalog.db, 'all').mockImplementation(((sql: string, params: SqlValue[] = []) => {
      seen.push([sql, params]);
      return all(sql, params);
    }) as typeof catalog.db.all);
    catalog.browse.list(id, '');
    catalog.browse.list(id, 'Photos 2024');
    spy.mockRestore();
    const queries = seen.filter(([sql]) => sql.includes('file_index'));
    expect(queries).toHaveLength(7); // per directory: its count, the page's keys, the page's rows; and resolving 'Photos 2024'
    for (const [sql, params] of queries) {
      const plan = catalog.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params).map((r) => r.detail).join('; ');
      if (sql.includes('json_each')) expect(plan).toMatch(/SEARCH f USING PRIMARY KEY \(backup_id=\? AND file_no=\?\)/);
      else expect(plan).toMatch(/INDEX file_index_dir \(backup_id=\? AND parent_no=\?/);
      if (sql.includes("'directory'")) expect(plan).toMatch(/SEARCH c USING COVERING INDEX file_index_dir \(backup_id=\? AND parent_no=\?\)/);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN (f|c|file_index)\b/);
    }
  });
});
