// The libraries of a site as the job processors drive them: the file-backed virtual library of
// each library device, with its tapes, capacities and delays from the site config.
import type { LibraryInfo } from '../movers';
import { FileTapeLibrary } from '../media';
import type { SiteModel } from '../site';

export function libraryInfo(site: SiteModel, libraryId: string): LibraryInfo {
  const library = site.device(libraryId);
  if (library?.kind !== 'library') throw new Error(`no library "${libraryId}" in this site`);
  return {
    id: library.id,
    dir: site.libraryDir(library),
    tapes: site.tapesOf(library.id).map((t) => ({ id: t.id, capacity: t.capacity })),
    loadDelayMs: library.loadDelayMs,
    positionDelayMs: library.positionDelayMs,
  };
}

/** The library's driver; without `delays`, loading and positioning take no simulated time. */
export function libraryDriver(site: SiteModel, libraryId: string, { delays = true } = {}): FileTapeLibrary {
  const info = libraryInfo(site, libraryId);
  return new FileTapeLibrary(delays ? info : { ...info, loadDelayMs: 0, positionDelayMs: 0 });
}
