// Rebuilding a site's catalog from its tapes (`mpbackup catalog rebuild`): the site is loaded
// from its config, no engine may have it open, and the catalog is replaced only once the new one
// is complete (engine/jobs/rebuild.ts does the work; docs/catalog.md says what is recovered).
import type { RebuildReport } from './contract';
import { rebuildFromVolumes, type RebuildOptions } from './jobs';
import { loadSite } from './site';

/**
 * Scans every volume of every library of the site in `dir` and rebuilds its catalog from them.
 * Throws SiteConfigError when `dir` is not a site and SiteInUseError when a process has it open
 * (nothing is changed then); everything else found is in the report.
 */
export async function rebuildCatalog(dir: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  return rebuildFromVolumes(loadSite(dir), options);
}
