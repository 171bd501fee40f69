// `mpbackup restore`, `restore --plan` and `verify` on a failover backup a crash split over two
// libraries: the JSON the issue names, exit 0 when every selected entry came back, 1 when some
// did not (a tape fault with no other copy), 2 with a one-line error and nothing written for bad
// requests (unknown backup, a path not in the backup, a destination that is a file or is not
// writable, bad options). As root, which may write anywhere, the unwritable destination's
// permission check is made to answer as for an unprivileged account.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../engine';
import type { BackupResult } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { cli } from '../helpers/cli';
import { describeTree, writeAwkwardTree } from '../helpers/trees';

const CHUNK = 64 * 1024;

describe('mpbackup restore and verify', () => {
  let work: string;
  let dir: string;
  let source: string;
  let backup: BackupResult;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-cli-restore-'));
    dir = await makeBackupSite(path.join(work, 'site'));
    source = path.join(dir, 'storage', 'awkward');
    writeAwkwardTree(source, CHUNK);
    const engine = await Engine.open(dir);
    try {
      const first = engine.plan({ streams: 2, mover: 'copy-device' }).streams[0]!.mover;
      backup = await engine.backup({ target: '/awkward', mode: 'failover', chunkSize: CHUNK, faults: [{ device: first, kind: 'crash', at: { chunk: 2 } }] });
    } finally {
      engine.close();
    }
    expect(backup.job.state).toBe('succeeded');
    expect(new Set(backup.fragments.map((f) => f.tape)).size).toBe(2);
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const id = () => String(backup.backup!.id);

  it('restores the whole backup from both tapes, prints the JSON result and exits 0; verify passes', async () => {
    const to = path.join(work, 'all');
    const result = await cli('restore', id(), '--to', to, '--site', dir, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as Record<string, unknown>;
    expect(json).toMatchObject({ restore: { id: expect.any(Number), status: 'succeeded' }, files: { restored: expect.any(Number), skipped: 0, failed: 0 }, errors: [] });
    expect(new Set(json.tapes as string[])).toEqual(new Set(backup.fragments.map((f) => f.tape)));
    expect(describeTree(to)).toEqual(describeTree(source));

    const verified = await cli('verify', id(), '--site', dir);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/^verify job \d+ of backup 1: succeeded/);
  });

  it('plans and restores a single file alone', async () => {
    const to = path.join(work, 'one');
    const plan = await cli('restore', id(), '--to', to, '--path', 'a/b/c/d/e/f/g/deep.txt', '--plan', '--site', dir, '--json');
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.out) as { entries: number; chunks: unknown[]; tapes: unknown[] };
    expect(planned.entries).toBe(1);
    expect(planned.chunks.length).toBeLessThanOrEqual(2);
    expect(fs.existsSync(to)).toBe(false);

    const result = await cli('restore', id(), '--to', to, '--path', 'a/b/c/d/e/f/g/deep.txt', '--site', dir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^restore job \d+ succeeded: 1 restored, 0 skipped, 0 failed/m);
    expect(fs.readFileSync(path.join(to, 'a/b/c/d/e/f/g/deep.txt')).equals(fs.readFileSync(path.join(source, 'a/b/c/d/e/f/g/deep.txt')))).toBe(true);
  });

  it('exits 1 and names the files lost to a tape fault with no other copy, restoring the rest', async () => {
    const to = path.join(work, 'faulted');
    const tape = backup.fragments[0]!.tape;
    const result = await cli('restore', id(), '--to', to, '--inject', `${tape}:media-error@chunk=0`, '--site', dir, '--json');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out) as { restore: { status: string }; files: { restored: number; failed: number }; errors: Array<{ path: string; reason: string }> };
    expect(json.restore.status).toBe('succeeded-degraded');
    expect(json.files.failed).toBeGreaterThan(0);
    expect(json.files.restored).toBeGreaterThan(0);
    expect(json.errors.length).toBe(json.files.failed);
    expect(json.errors[0]!.reason).toMatch(/media error/);
    for (const e of json.errors) expect(fs.existsSync(path.join(to, e.path)) && fs.lstatSync(path.join(to, e.path)).isFile()).toBe(false);
    expect(fs.readdirSync(to, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses bad requests with exit 2, one line, and writes nothing', async () => {
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, 'x');
    const to = path.join(work, 'never');
    const cases: Array<[string[], RegExp]> = [
      [['restore', '99', '--to', to], /no backup 99/],
      [['restore', id(), '--to', to, '--path', 'nope/missing.txt'], /not in backup/],
      [['restore', id(), '--to', file], /is not a directory/],
      [['restore', id(), '--to', to, '--on-conflict', 'merge'], /--on-conflict: rename, skip or overwrite/],
      [['restore', 'one', '--to', to], /BACKUP: a backup id/],
      [['restore', id()], /--to DIR/],
      [['verify', '99'], /no backup 99/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args, '--site', dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(message);
    }
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a destination it cannot write to, exit 2, nothing written', async () => {
    const locked = path.join(work, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555);
    // Root may write anywhere, so there the permission check answers as it would for an operator's account.
    const access = fs.accessSync;
    const spy = vi.spyOn(fs, 'accessSync').mockImplementation((file, mode) => {
      if (process.getuid?.() === 0 && path.resolve(String(file)) === locked && mode !== undefined && (mode & fs.constants.W_OK) !== 0) {
        throw Object.assign(new Error(`EACCES: permission denied, access '${String(file)}'`), { code: 'EACCES' });
      }
      return access(file, mode);
    });
    try {
      const result = await cli('restore', id(), '--to', path.join(locked, 'sub'), '--site', dir);
      expect(result.err).toMatch(/^mpbackup: the destination .*locked is not writable$/);
      expect(result.code).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(locked)).toEqual([]);
  });
});
