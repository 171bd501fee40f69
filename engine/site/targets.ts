// Backup targets of a site's storage: the volumes its config names (`X:`) and the top-level
// directories and files of its root (`/pictures`). Any path under the root can be backed up;
// these are the ones offered to the operator.
import fs from 'node:fs';
import type { TargetView } from '../contract';
import { compareIds, type SiteModel } from './model';

export function listTargets(site: SiteModel): TargetView[] {
  const targets: TargetView[] = [];
  for (const storage of site.devicesOfKind('storage')) {
    for (const name of Object.keys(storage.volumes).sort()) targets.push({ name, kind: 'volume', storage: storage.id });
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(site.storageRoot(storage), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    entries
      .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isFile()))
      .sort((a, b) => compareIds(a.name, b.name))
      .forEach((e) => targets.push({ name: `/${e.name}`, kind: e.isDirectory() ? 'directory' : 'file', storage: storage.id }));
  }
  return targets;
}
