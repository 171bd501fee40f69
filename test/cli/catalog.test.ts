// `mpbackup catalog list|show|ls|find` on real backups of an awkward tree (spaces, non-ASCII
// names, deep paths, an empty directory, symlinks): the JSON scripts rely on, the text an
// operator reads, paging, and bad input (exit 2, one line on stderr, nothing opened twice).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { CatalogRequestError, Engine, NotFoundError } from '../../engine';
import { cli } from '../helpers/cli';
import { makeBackupSite } from '../helpers/backup-site';
import { writeAwkwardTree } from '../helpers/trees';

const CHUNK = 64 * 1024;

describe('mpbackup catalog', () => {
  let site: string;
  const run = (...args: string[]) => cli('catalog', ...args, '--site', site);
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out);
  };

  beforeAll(async () => {
    // One site for every test: the commands only read. Backup 1 mirrored, 2 failover, of /awkward.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-cli-catalog-'));
    site = await makeBackupSite(path.join(work, 'site'));
    writeAwkwardTree(path.join(site, 'storage', 'awkward'), CHUNK);
    for (const mode of ['mirrored', 'failover']) {
      const made = await cli('backup', '/awkward', '--mode', mode, '--chunk-size', '64KiB', '--site', site, '--json');
      expect(made.code, made.err).toBe(0);
    }
    return () => fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists the targets, then the backups of one newest first', async () => {
    const { targets } = await json('list');
    expect(targets).toEqual([{ target: '/awkward', backups: 2, completeBackups: 2, newestDataTime: expect.any(String) }]);
    const { target, backups } = await json('list', '--target', '/awkward');
    expect(target).toBe('/awkward');
    expect(backups.map((b: { id: number }) => b.id)).toEqual([2, 1]);
    expect(targets[0].newestDataTime).toBe(backups[0].dataTime);
    expect(backups[0]).toMatchObject({ mode: 'failover', state: 'complete', outcome: 'succeeded', completeCopies: 1, restorable: true });
    expect(backups[1]).toMatchObject({ mode: 'mirrored', outcome: 'succeeded', completeCopies: 2, restorable: true });
    expect(backups[1].tapes).toHaveLength(2);
    expect((await json('list', '--target', '/awkward', '--limit', '1', '--before', '2')).backups.map((b: { id: number }) => b.id)).toEqual([1]);
    expect((await json('list', '--target', '/nothing')).backups).toEqual([]);

    const text = await run('list', '--target', '/awkward');
    expect(text.code).toBe(0);
    const [header, first] = text.out.split('\n');
    expect(header).toMatch(/^BACKUP\s+DATA TIME\s+MODE\s+STATE\s+OUTCOME\s+SIZE\s+COPIES\s+TAPES\s+RESTORABLE$/);
    expect(first).toMatch(/^2\s+\S+\s+failover\s+complete\s+succeeded\s+[\d.]+ KiB\s+1\/1\s+/);
    expect((await run('list')).out).toMatch(/^\/awkward\s+2\s+2\s+\S+$/m);
  });

  it('shows a backup with its fragments per copy', async () => {
    const shown = await json('show', '1');
    expect(shown).toMatchObject({ id: 1, target: '/awkward', mode: 'mirrored', restorable: true });
    expect(shown.fragments.length).toBeGreaterThanOrEqual(2);
    for (const f of shown.fragments) {
      expect(f).toMatchObject({ copy: expect.any(Number), library: expect.any(String), tape: expect.any(String), position: expect.any(Number), offset: expect.any(Number), size: expect.any(Number) });
    }
    const text = await run('show', '1');
    expect(text.out).toMatch(/^backup 1 of \/awkward \(mirrored, directory\): complete, job 1 succeeded$/m);
    expect(text.out).toMatch(/^copy 0: complete, 1 fragment$/m);
    expect(text.out).toMatch(/^copy 1: complete, 1 fragment$/m);
    expect(text.out).toMatch(new RegExp(`^${shown.fragments[0].library}\\s+${shown.fragments[0].tape}\\s+${shown.fragments[0].position}\\s+0\\s+${shown.fragments[0].size}\\b`, 'm'));
  });

  it('lists one directory of a backup, a page at a time', async () => {
    const root = await json('ls', '1');
    expect(root).toMatchObject({ backupId: 1, path: '', offset: 0 });
    const names = root.entries.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['a', 'absolute link', 'big', 'empty dir', 'empty.txt', 'scripts', '名前']));
    expect(root.total).toBe(names.length);
    expect([...names].sort((a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(names);
    expect(root.entries.find((e: { name: string }) => e.name === 'absolute link')).toMatchObject({ type: 'symlink', linkTarget: '/etc/hostname' });
    expect(root.entries.find((e: { name: string }) => e.name === 'empty dir')).toMatchObject({ type: 'directory', children: 0 });

    expect((await json('ls', '1', '名前')).entries).toEqual([
      expect.objectContaining({ name: 'ünïcødé file.txt', path: '名前/ünïcødé file.txt', type: 'file', size: Buffer.byteLength('こんにちは\n'), status: 'ok' }),
    ]);
    expect(await json('ls', '2', 'empty dir')).toMatchObject({ path: 'empty dir', total: 0, entries: [] });
    expect((await json('ls', '1', 'a/b/c/d/e/f/g')).entries.map((e: { path: string }) => e.path)).toEqual(['a/b/c/d/e/f/g/deep.txt']);

    const page = await json('ls', '1', '/', '--offset', '1', '--limit', '2');
    expect(page).toMatchObject({ total: root.total, offset: 1 });
    expect(page.entries.map((e: { name: string }) => e.name)).toEqual(names.slice(1, 3));

    const text = await run('ls', '1', '--limit', '2');
    expect(text.out.split('\n')[0]).toBe(`backup 1: /  (entries 1-2 of ${root.total})`);
    expect(text.out).toMatch(/^MODE\s+SIZE\s+MODIFIED\s+STATUS\s+NAME$/m);
    expect(text.out).toMatch(/^drwxr-xr-x\s+1 entry\s+\S+Z\s+a\/$/m);
    expect(text.out).toMatch(/^more: --offset 2$/m);
    expect((await run('ls', '1', 'scripts')).out).toMatch(/^lrwxrwxrwx\s+0 B\s+\S+\s+link to empty -> \.\.\/empty\.txt$/m);
    expect((await run('ls', '1', 'empty dir')).out).toBe('backup 1: /empty dir is empty');
  });

  it('finds entries by name in a backup or across a target', async () => {
    const { hits } = await json('find', '1', 'ÜNÏCØDÉ');
    expect(hits).toEqual([{ backupId: 1, dataTime: expect.any(String), path: '名前/ünïcødé file.txt', type: 'file', size: 16 }]);
    const across = await json('find', '--target', '/awkward', 'DEEP');
    expect(across.hits.map((h: { backupId: number; path: string }) => [h.backupId, h.path])).toEqual([
      [2, 'a/b/c/d/e/f/g/deep.txt'],
      [1, 'a/b/c/d/e/f/g/deep.txt'],
    ]);
    expect((await json('find', '--target', '/awkward', '.', '--limit', '3')).hits).toHaveLength(3);
    const text = await run('find', '1', 'chunk');
    expect(text.out).toMatch(/^1\s+\S+\s+file\s+[\d.]+ KiB\s+big\/exactly a chunk\.bin$/m);
    expect((await run('find', '1', 'no such thing')).out).toBe('no entry named like "no such thing"');
  });

  it('the engine checks what hosts pass it (the IPC host has no command line in front)', async () => {
    const engine = await Engine.open(site);
    try {
      for (const id of [0, -1, 1.5, Number.NaN, '1' as unknown as number]) {
        expect(() => engine.catalogBackup(id)).toThrow(CatalogRequestError);
        expect(() => engine.catalogList(id, '')).toThrow(/a backup id is a positive whole number/);
        expect(() => engine.catalogFind({ backupId: id, name: 'x' })).toThrow(CatalogRequestError);
      }
      expect(() => engine.catalogBackup(3)).toThrow(NotFoundError);
      expect(() => engine.catalogList(1, 7 as unknown as string)).toThrow(CatalogRequestError);
      expect(() => engine.catalogList(1, '', { limit: 0 })).toThrow(ZodError);
      expect(() => engine.catalogList(1, '', { offset: 0.5 })).toThrow(ZodError);
      expect(() => engine.catalogBackups('')).toThrow(CatalogRequestError);
      expect(() => engine.catalogBackups('/awkward', { limit: 100_000 })).toThrow(ZodError);
      expect(() => engine.catalogFind({ backupId: 1, name: '' })).toThrow(ZodError);
      expect(() => engine.catalogFind({ target: '', name: 'x' })).toThrow(ZodError);
      expect(() => engine.catalogFind({ backupId: 1, name: 'x', extra: 1 } as never)).toThrow(ZodError);
      expect(engine.catalogFind({ target: '/awkward', name: 'run.sh' }).map((h) => h.backupId)).toEqual([2, 1]);
      expect(engine.catalogBackup(2).fragments.every((f) => f.copy === 0)).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('bad input exits 2 with one line on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['show', '9'], /no backup 9 in the catalog/],
      [['ls', '9'], /no backup 9 in the catalog/],
      [['ls', '1', 'big/nope.bin'], /"big\/nope\.bin" is not in backup 1: "big" has no entry "nope\.bin"/],
      [['ls', '1', 'empty.txt'], /"empty\.txt" in backup 1 is a file, not a directory/],
      [['ls', '1', 'a/../big'], /is not a path inside a backup: "\.\." is not allowed/],
      [['ls', 'one'], /BACKUP: a backup id .* not "one"/],
      [['ls', '0'], /BACKUP: a backup id/],
      [['ls', '1', '--limit', 'x'], /--limit: a whole number of at least 1, not "x"/],
      [['ls', '1', '--offset', '-1'], /--offset/],
      [['ls'], /usage: mpbackup catalog ls BACKUP \[PATH\]/],
      [['ls', '1', 'a', 'b'], /usage: mpbackup catalog ls/],
      [['find', 'deep'], /usage: mpbackup catalog find/],
      [['find', '--target', '/awkward', '1', 'deep'], /usage: mpbackup catalog find/],
      [['find', '7', 'deep'], /no backup 7 in the catalog/],
      [['show'], /usage: mpbackup catalog show BACKUP/],
      [['list', '--limit', '5'], /--limit and --before go with --target/],
      [['list', '--target', '/awkward', '--before', '9'], /no backup 9 of target "\/awkward"/],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.out, args.join(' ')).toBe('');
      expect(result.err.split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.err, args.join(' ')).toMatch(message);
    }
    // Commands with an exact count still refuse one more or one fewer.
    expect((await cli('jobs', 'show', '1', '2', '--site', site)).code).toBe(2);
    expect((await cli('jobs', 'show', '--site', site)).code).toBe(2);
    expect((await cli('jobs', 'show', '1', '--site', site)).code).toBe(0);
  });
});
