// Restores on real bytes: round trips of awkward trees (mirrored, failover split over two
// libraries, spanning tapes), single files read from their chunks only, a damaged chunk read from
// the other copy or reported by file, conflict policies, verification, and bad requests that
// change nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, JobRequestError } from '../../engine';
import type { BackupMode, BackupResult, JobEvent } from '../../engine/contract';
import { makeBackupSite, type BackupSiteOptions } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';
import { describeTree, writeAwkwardTree } from '../helpers/trees';

const CHUNK = 64 * 1024;

describe('restore', () => {
  const tempDir = useTempDirs('mpb-restore-');

  async function openWithTree(options: BackupSiteOptions = {}): Promise<{ engine: Engine; source: string }> {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'), options);
    const source = path.join(dir, 'storage', 'awkward');
    writeAwkwardTree(source, CHUNK);
    return { engine: await Engine.open(dir), source };
  }

  async function backUp(engine: Engine, mode: BackupMode, inject: string[] = []): Promise<BackupResult> {
    const mover = mode === 'mirrored' ? 'backup-server' : 'copy-device';
    const first = engine.plan({ streams: 2, mover }).streams[0]!.mover;
    const faults = inject.map((kind) => ({ device: first, kind: kind as 'crash', at: { chunk: 2 } }));
    const result = await engine.backup({ target: '/awkward', mode, chunkSize: CHUNK, faults });
    expect(['succeeded', 'succeeded-degraded']).toContain(result.job.state);
    return result;
  }

  function inUse(engine: Engine): string[] {
    return engine.describe().devices.flatMap((d) => [d, ...(d.tapes ?? [])].filter((x) => x.state === 'in-use').map((x) => x.id));
  }

  for (const [mode, inject] of [
    ['mirrored', []],
    ['failover', ['crash']],
  ] as const) {
    it(`a ${mode} backup${inject.length ? ' with a crash' : ''} comes back byte for byte, with modes, times and links, after its target is gone`, async () => {
      const { engine, source: original } = await openWithTree();
      try {
        const backup = await backUp(engine, mode, [...inject]);
        if (mode === 'failover') expect(new Set(backup.fragments.map((f) => f.library)).size).toBe(2);
        // The target is lost from storage (what restores are for); the lost tree is kept aside to compare.
        const source = path.join(tempDir(), 'lost');
        fs.renameSync(original, source);
        const events: JobEvent[] = [];
        engine.onJobEvent((e) => events.push(e));
        const to = path.join(tempDir(), 'restored');
        const result = await engine.restore({ backupId: backup.backup!.id, destination: to });
        expect(result.job.state).toBe('succeeded');
        expect(result.files.failed).toBe(0);
        expect(describeTree(to)).toEqual(describeTree(source));
        expect(result.tapes.length).toBeGreaterThanOrEqual(mode === 'failover' ? 2 : 1);
        expect(events.some((e) => e.type === 'progress')).toBe(true);
        expect(events.at(-1)).toMatchObject({ type: 'job-finished', state: 'succeeded' });
        expect(inUse(engine)).toEqual([]);
      } finally {
        engine.close();
      }
    });
  }

  it('a backup spanning tapes restores whole', async () => {
    const { engine, source } = await openWithTree({ tapeCapacity: 200 * 1024 });
    try {
      const backup = await backUp(engine, 'mirrored');
      expect(new Set(backup.fragments.filter((f) => f.copy === 0).map((f) => f.tape)).size).toBeGreaterThan(1);
      const to = path.join(tempDir(), 'restored');
      const result = await engine.restore({ backupId: backup.backup!.id, destination: to });
      expect(result.files.failed).toBe(0);
      expect(describeTree(to)).toEqual(describeTree(source));
    } finally {
      engine.close();
    }
  });

  it('a single file reads only the chunks that hold it, and parents are created', async () => {
    const { engine, source } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const to = path.join(tempDir(), 'one');
      const plan = engine.restorePlan({ backupId: backup.backup!.id, destination: to, paths: ['a/b/c/d/e/f/g/deep.txt'] });
      expect(plan.entries).toBe(1);
      expect(plan.chunks.length).toBeLessThanOrEqual(2);
      const result = await engine.restore({ backupId: backup.backup!.id, destination: to, paths: ['/a/b/c/d/e/f/g/deep.txt'] });
      expect(result.files).toEqual({ restored: 1, skipped: 0, failed: 0 });
      expect(result.chunksRead).toBe(plan.chunks.length);
      expect(fs.readFileSync(path.join(to, 'a/b/c/d/e/f/g/deep.txt')).equals(fs.readFileSync(path.join(source, 'a/b/c/d/e/f/g/deep.txt')))).toBe(true);
      expect(fs.readdirSync(to)).toEqual(['a']);
    } finally {
      engine.close();
    }
  });

  it('conflicts: rename keeps both, skip keeps the old one, overwrite replaces it', async () => {
    const { engine, source } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const id = backup.backup!.id;
      const to = path.join(tempDir(), 'conflicts');
      fs.mkdirSync(path.join(to, 'scripts'), { recursive: true });
      fs.writeFileSync(path.join(to, 'scripts/run.sh'), 'mine');
      const renamed = await engine.restore({ backupId: id, destination: to, paths: ['scripts/run.sh'] });
      expect(renamed.renamed).toEqual([{ path: 'scripts/run.sh', to: 'scripts/run (restored).sh' }]);
      expect(fs.readFileSync(path.join(to, 'scripts/run.sh'), 'utf8')).toBe('mine');
      expect(fs.readFileSync(path.join(to, 'scripts/run (restored).sh')).equals(fs.readFileSync(path.join(source, 'scripts/run.sh')))).toBe(true);
      const skipped = await engine.restore({ backupId: id, destination: to, paths: ['scripts/run.sh'], onConflict: 'skip' });
      expect(skipped.files).toEqual({ restored: 0, skipped: 1, failed: 0 });
      expect(fs.readFileSync(path.join(to, 'scripts/run.sh'), 'utf8')).toBe('mine');
      const overwritten = await engine.restore({ backupId: id, destination: to, paths: ['scripts/run.sh'], onConflict: 'overwrite' });
      expect(overwritten.files.restored).toBe(1);
      expect(fs.readFileSync(path.join(to, 'scripts/run.sh')).equals(fs.readFileSync(path.join(source, 'scripts/run.sh')))).toBe(true);
      expect(fs.readdirSync(path.join(to, 'scripts')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('a damaged chunk is read from the other copy; with no other copy only the files in it fail', async () => {
    const { engine, source } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const id = backup.backup!.id;
      const big = 'big/larger than a chunk.bin';
      const plan = engine.restorePlan({ backupId: id, destination: path.join(tempDir(), 'x'), paths: [big] });
      const first = plan.chunks[1]!.sources[0]!;
      corrupt(engine, first.library, first.tape, first.position + 200);
      const to = path.join(tempDir(), 'healed');
      const healed = await engine.restore({ backupId: id, destination: to, paths: [big] });
      expect(healed.files).toEqual({ restored: 1, skipped: 0, failed: 0 });
      expect(fs.readFileSync(path.join(to, big)).equals(fs.readFileSync(path.join(source, big)))).toBe(true);
      expect(engine.jobLog(healed.job.id).some((e) => e.level === 'warning' && e.message.includes('trying another copy'))).toBe(true);

      // Now damage the same chunk on the other copy too.
      const other = plan.chunks[1]!.sources[1]!;
      corrupt(engine, other.library, other.tape, other.position + 200);
      const to2 = path.join(tempDir(), 'partial');
      const partial = await engine.restore({ backupId: id, destination: to2 });
      expect(partial.job.state).toBe('succeeded-degraded');
      expect(partial.errors.map((e) => e.path)).toEqual([big]);
      expect(partial.files.failed).toBe(1);
      expect(fs.existsSync(path.join(to2, big))).toBe(false);
      expect([...describeTree(to2).keys()].filter((k) => k.includes('.mpb-'))).toEqual([]);
      expect(fs.readFileSync(path.join(to2, 'scripts/run.sh')).equals(fs.readFileSync(path.join(source, 'scripts/run.sh')))).toBe(true);

      const verified = await engine.verify({ backupId: id });
      expect(verified.copies.map((c) => c.status)).toEqual(['damaged', 'damaged']);
    } finally {
      engine.close();
    }
  });

  it('a mover crashing half way leaves complete files only, no temporary files, nothing reserved', async () => {
    const { engine, source } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const to = path.join(tempDir(), 'crashed');
      const plan = engine.restorePlan({ backupId: backup.backup!.id, destination: to });
      // Whichever backup server the restore gets crashes as it is about to read the third chunk.
      const servers = engine.describe().devices.filter((d) => d.kind === 'backup-server').map((d) => d.id);
      const faults = servers.map((device) => ({ device, kind: 'crash' as const, at: { chunk: plan.chunks[2]!.index } }));
      const result = await engine.restore({ backupId: backup.backup!.id, destination: to, faults });
      expect(result.job.state).toBe('failed');
      expect(result.job.message).toContain('killed');
      expect(result.files.failed).toBeGreaterThan(0);
      const restored = describeTree(to);
      const original = describeTree(source);
      for (const [rel, entry] of restored) {
        expect(rel).not.toMatch(/\.mpb-/);
        if (entry.type === 'file') expect(entry.content).toBe(original.get(rel)!.content);
      }
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('verify reads every chunk of every copy', async () => {
    const { engine } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const result = await engine.verify({ backupId: backup.backup!.id });
      expect(result.job.message).toBe('copy 0 ok, copy 1 ok');
      expect(result.job.state).toBe('succeeded');
      expect(result.copies).toEqual([0, 1].map((copy) => ({ copy, status: 'ok', chunks: Math.ceil(backup.backup!.size / CHUNK), bytes: backup.backup!.size, problems: [] })));
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('bad requests are refused and change nothing', async () => {
    const { engine } = await openWithTree();
    try {
      const backup = await backUp(engine, 'mirrored');
      const id = backup.backup!.id;
      const jobs = engine.jobs().length;
      const file = path.join(tempDir(), 'a-file');
      fs.writeFileSync(file, 'x');
      await expect(engine.restore({ backupId: 999, destination: tempDir() })).rejects.toThrow('no backup 999');
      await expect(engine.restore({ backupId: id, destination: tempDir(), paths: ['nope/missing.txt'] })).rejects.toThrow('not in backup');
      await expect(engine.restore({ backupId: id, destination: tempDir(), paths: ['../etc'] })).rejects.toThrow(JobRequestError);
      await expect(engine.restore({ backupId: id, destination: file })).rejects.toThrow('is not a directory');
      await expect(engine.restore({ backupId: id, destination: 'relative/dir' })).rejects.toThrow('absolute');
      await expect(engine.restore({ backupId: id, destination: path.join(engine.site.dir, 'libraries/a/new') })).rejects.toThrow('tapes of library-A');
      await expect(engine.restore({ backupId: id, destination: path.join(engine.site.dir, 'libraries') })).rejects.toThrow('tapes of library-A');
      await expect(engine.restore({ backupId: id, destination: path.dirname(engine.site.dir) })).rejects.toThrow(/tapes of library-A|site directory/);
      expect(engine.jobs().length).toBe(jobs);
    } finally {
      engine.close();
    }
  });
});

/** Flips a byte of a tape file, as a bad spot on the medium would. */
function corrupt(engine: Engine, library: string, tape: string, at: number): void {
  const device = engine.site.device(library)!;
  const file = path.join(engine.site.libraryDir(device as never), `${tape}.tape`);
  const fd = fs.openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, at);
  byte[0] = byte[0]! ^ 0xff;
  fs.writeSync(fd, byte, 0, 1, at);
  fs.closeSync(fd);
}
