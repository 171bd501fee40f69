// One process per site: a second one is told who has it; a dead owner's lock is taken over.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog, LOCK_FILE, SiteInUseError } from '../../engine/catalog';
import { useChildren, waitForExit, waitForLine } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

describe('site lock', () => {
  const tempDir = useTempDirs('mpb-lock-');
  const start = useChildren();

  it('a second process gets "site in use by process N"', async () => {
    const dir = tempDir();
    const child = start('test/helpers/hold-catalog.ts', [dir]);
    await waitForLine(child, /open/);
    const error = await Catalog.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SiteInUseError);
    expect((error as SiteInUseError).pid).toBe(child.pid);
    expect((error as Error).message).toMatch(new RegExp(`^site in use by process ${child.pid}`));
    child.kill('SIGKILL');
    await waitForExit(child);
    // Its owner is dead now: the lock is stale and taken over.
    const catalog = await Catalog.open(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    catalog.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock left by an exited process, or an empty one, is taken over', async () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    for (const content of [`${gone.stdout}\n`, '']) {
      fs.writeFileSync(path.join(dir, LOCK_FILE), content);
      const catalog = await Catalog.open(dir);
      catalog.close();
    }
  });

  it('the same process cannot open a site twice', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir);
    try {
      await expect(Catalog.open(dir)).rejects.toThrow(`site in use by process ${process.pid}`);
    } finally {
      catalog.close();
    }
  });
});
