// One process at a time per site: `catalog.lock` holds the owner's pid. A lock whose process is
// gone (killed, crashed) is stale and taken over; a live owner means "site in use by process N".
import fs from 'node:fs';
import path from 'node:path';
import { SiteInUseError } from './errors';

export const LOCK_FILE = 'catalog.lock';

function ownerOf(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the site's lock; returns the function that releases it. */
export function acquireLock(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${process.pid}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      let held = true;
      return () => {
        if (held && ownerOf(file) === process.pid) fs.rmSync(file, { force: true });
        held = false;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      // Our own pid means another Catalog of this process holds the site: in use as well.
      if (owner !== null && isAlive(owner)) throw new SiteInUseError(owner, dir);
      fs.rmSync(file, { force: true });
    }
  }
  throw new SiteInUseError(ownerOf(file) ?? 0, dir);
}
