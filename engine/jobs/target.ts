// Backup targets: a volume of a storage device (`X:`, the raw bytes of its image file or block
// device) or a path under a storage device's root (`/pictures`, a directory or a file). Paths
// are checked to stay inside the root, symbolic links included.
import fs from 'node:fs';
import path from 'node:path';
import type { TargetKind } from '../payload';
import type { SiteModel } from '../site';
import { JobRequestError } from './errors';

export interface ResolvedTarget {
  /** As the operator wrote it, normalised: `X:` or `/pictures/2024`. */
  name: string;
  storage: string;
  kind: TargetKind;
  /** Absolute path of the directory, file or image. */
  source: string;
}

export function resolveTarget(site: SiteModel, name: string): ResolvedTarget {
  const storages = site.devicesOfKind('storage');
  if (/^[A-Za-z]:$/.test(name)) {
    const volume = name.toUpperCase();
    for (const storage of storages) {
      const image = storage.volumes[volume];
      if (image !== undefined) return { name: volume, storage: storage.id, kind: 'volume', source: path.resolve(site.dir, image) };
    }
    throw new JobRequestError(`no volume ${volume} on this site's storage`);
  }
  if (!name.startsWith('/')) throw new JobRequestError(`a target is a volume such as "X:" or a path under the storage root such as "/pictures", not "${name}"`);
  if (name.includes('\0') || name.split('/').some((part) => part === '..')) throw new JobRequestError(`"${name}" may not contain ".." or NUL`);
  const relative = path.posix.normalize(name).replace(/^\/+|\/+$/g, '');
  for (const storage of storages) {
    const root = site.storageRoot(storage);
    const source = path.join(root, ...relative.split('/').filter(Boolean));
    let stats: fs.Stats;
    try {
      stats = fs.statSync(source);
    } catch {
      continue;
    }
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(source);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new JobRequestError(`${name} leads outside the storage root`);
    if (stats.isDirectory()) return { name: `/${relative}`, storage: storage.id, kind: 'directory', source: real };
    if (stats.isFile()) return { name: `/${relative}`, storage: storage.id, kind: 'file', source: real };
    throw new JobRequestError(`${name} is neither a directory nor a regular file`);
  }
  throw new JobRequestError(`no ${name} on this site's storage`);
}

/**
 * The storage device a backup's data goes back to when restored: the one holding the volume, or
 * the one under whose root the deepest part of the path still exists (the target itself may be
 * gone: that is why it is being restored). Null when no storage can be told: a site with several
 * storages none of which has any part of the path, or a target no storage names any more.
 */
export function restoreStorage(site: SiteModel, name: string): string | null {
  const storages = site.devicesOfKind('storage');
  if (/^[A-Za-z]:$/.test(name)) return storages.find((s) => s.volumes[name.toUpperCase()] !== undefined)?.id ?? null;
  const parts = path.posix.normalize(name).split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  let best: { storage: string; depth: number } | null = null;
  let tie = false;
  for (const storage of storages) {
    const root = site.storageRoot(storage);
    let depth = parts.length;
    while (depth > 0 && !fs.existsSync(path.join(root, ...parts.slice(0, depth)))) depth--;
    if (best === null || depth > best.depth) [best, tie] = [{ storage: storage.id, depth }, false];
    else if (depth === best.depth) tie = true;
  }
  return best && !(tie && best.depth === 0) ? best.storage : null;
}

/** Entries looked at, at most, when a directory target's size is summed. */
const SIZE_WALK_LIMIT = 200_000;

/** Bytes of a target now: its volume image, file, or the files under its directory. */
export function targetSize(site: SiteModel, name: string): number | null {
  let target: ResolvedTarget;
  try {
    target = resolveTarget(site, name);
  } catch {
    return null;
  }
  if (target.kind !== 'directory') return fs.statSync(target.source).size;
  let size = 0;
  let seen = 0;
  const dirs = [target.source];
  while (dirs.length > 0 && seen < SIZE_WALK_LIMIT) {
    const dir = dirs.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      seen++;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) dirs.push(full);
      else if (entry.isFile()) size += fs.statSync(full).size;
    }
  }
  return size;
}
