// What a new config of the open site would take away from the backups already on its tapes: a
// tape that holds restorable backups no longer in its library (removed, renamed, moved to
// another), its library gone, the library's folder moved away from the tape files, or a tape's
// capacity below what is written on it. Each is a problem at the config's path, as the file's own
// checks are, so a site edited from the console cannot quietly make backups unrestorable.
import path from 'node:path';
import type { Catalog } from './catalog';
import type { ConfigProblem, Inventory, LibraryConfig, SiteConfig, SiteModel } from './site';

function listed(ids: readonly (number | string)[]): string {
  return ids.join(', ');
}

export function mediaProblems(site: SiteModel, catalog: Catalog, inventory: Inventory, next: SiteConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // Asked once per check (the console checks its draft a moment after every change).
  const restorable = catalog.backups.restorableByTape();
  for (const library of site.devicesOfKind('library')) {
    const held = new Map<string, number[]>();
    for (const tape of site.tapesOf(library.id)) {
      const backups = restorable.get(tape.id);
      if (backups) held.set(tape.id, backups);
    }
    const index = next.devices.findIndex((d) => d.kind === 'library' && d.id === library.id);
    const successor = index >= 0 ? (next.devices[index] as LibraryConfig) : null;
    if (!successor) {
      if (held.size > 0) {
        const backups = [...new Set([...held.values()].flat())].sort((a, b) => a - b);
        problems.push({ path: 'devices', message: `library ${library.id} was removed, but its tapes ${listed([...held.keys()])} hold backups ${listed(backups)}: they could no longer be restored from them` });
      }
      continue;
    }
    const at = `devices[${index}]`;
    if (held.size > 0 && path.resolve(site.dir, successor.dir) !== site.libraryDir(library)) {
      problems.push({ path: `${at}.dir`, message: `the tapes of ${library.id} are in ${library.dir}, and ${listed([...held.keys()])} hold backups: its folder cannot move away from them` });
    }
    for (const [tape, backups] of held) {
      if (!successor.tapes.some((t) => t.id === tape)) {
        problems.push({ path: `${at}.tapes`, message: `tape ${tape} is no longer in ${library.id}, but it holds backups ${listed(backups)}: they could no longer be restored from it` });
      }
    }
    successor.tapes.forEach((tape, j) => {
      if (!site.tape(tape.id) || site.tape(tape.id)!.library !== library.id) return;
      const used = inventory.tapeUsage(tape.id).usedBytes;
      const capacity = tape.capacity ?? successor.tapeCapacity;
      if (used > capacity) {
        problems.push({ path: tape.capacity !== undefined ? `${at}.tapes[${j}].capacity` : `${at}.tapeCapacity`, message: `tape ${tape.id} already holds ${used} bytes, more than a capacity of ${capacity}` });
      }
    });
  }
  return problems;
}
