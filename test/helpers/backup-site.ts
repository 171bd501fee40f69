// Demo sites for backup tests: the demo topology with small sample data, no library delays and,
// when asked, small tapes (to make streams span several tapes); and the checksums that show a
// stored copy equals its source.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { initSite, readCopy, type Engine } from '../../engine';
import type { BackupResult } from '../../engine/contract';
import { resolveTarget } from '../../engine/jobs/target';
import { StreamReader, takeListing } from '../../engine/payload';
import { SITE_CONFIG_FILE, writeSiteConfig, type SiteConfigInput } from '../../engine/site';

export interface BackupSiteOptions {
  /** Bytes of demo sample data (default 2 MiB). */
  size?: number;
  /** Capacity of every tape. */
  tapeCapacity?: number;
  /** Faults in the site config (drills). */
  faults?: string[];
  /** Changes to the config before it is written. */
  edit?: (config: SiteConfigInput) => void;
}

export async function makeBackupSite(dir: string, options: BackupSiteOptions = {}): Promise<string> {
  await initSite(dir, { demo: true, demoSize: options.size ?? 2 * 2 ** 20 });
  const config = JSON.parse(fs.readFileSync(path.join(dir, SITE_CONFIG_FILE), 'utf8')) as SiteConfigInput;
  for (const device of config.devices) {
    if (device.kind !== 'library') continue;
    device.loadDelayMs = 0;
    device.positionDelayMs = 0;
    if (options.tapeCapacity !== undefined) device.tapeCapacity = options.tapeCapacity;
  }
  if (options.faults) config.faults = options.faults;
  options.edit?.(config);
  writeSiteConfig(dir, config);
  return dir;
}

/** SHA-256 of a target's backup stream as its source is now. */
export async function sourceStreamSha(engine: Engine, target: string): Promise<string> {
  const { kind, source } = resolveTarget(engine.site, target);
  const listing = await takeListing(source, kind);
  const reader = new StreamReader(listing);
  const hash = createHash('sha256');
  try {
    for (let offset = 0; offset < listing.size; offset += 4 * 2 ** 20) {
      hash.update((await reader.read(offset, Math.min(4 * 2 ** 20, listing.size - offset))).bytes);
    }
  } finally {
    await reader.close();
  }
  return hash.digest('hex');
}

/** The SHA-256 of every complete copy of a backup, read back from its tapes. */
export async function copyShas(engine: Engine, result: BackupResult): Promise<Map<number, string>> {
  const shas = new Map<number, string>();
  if (!result.backup) return shas;
  for (const copy of result.backup.copies.filter((c) => c.state === 'complete')) {
    shas.set(copy.copy, await readCopy(engine.site, result.backup.id, result.fragments, copy.copy));
  }
  return shas;
}
