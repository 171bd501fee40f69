// Creating a site directory: an empty site, or the demo site with its sample data and the
// spec's example schedule. The config file is written last, so a site exists only once it is
// complete; a failed init removes what it created.
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog';
import { DEMO_DEFAULT_SIZE, demoSchedules, demoSiteConfig, SITE_CONFIG_FILE, type SiteConfigInput, validateSiteConfig, writeDemoData, writeSiteConfig } from './site';

export interface InitOptions {
  demo?: boolean;
  /** Bytes of sample data in the demo storage. */
  demoSize?: number;
  name?: string;
  now?: Date;
}

export class SiteExistsError extends Error {
  override name = 'SiteExistsError';
}

export async function initSite(dir: string, options: InitOptions): Promise<void> {
  const siteDir = path.resolve(dir);
  if (fs.existsSync(path.join(siteDir, SITE_CONFIG_FILE))) throw new SiteExistsError(`a site already exists in ${siteDir}`);
  if (fs.existsSync(siteDir) && fs.readdirSync(siteDir).length > 0) {
    throw new SiteExistsError(`${siteDir} is not empty; a new site needs an empty or new directory`);
  }
  const config: SiteConfigInput = options.demo
    ? { ...demoSiteConfig(), ...(options.name ? { name: options.name } : {}) }
    : { format: 'mpbackup-site', version: 1, name: options.name ?? path.basename(siteDir), devices: [], links: [] };
  const site = validateSiteConfig(config);

  const created = !fs.existsSync(siteDir);
  fs.mkdirSync(siteDir, { recursive: true });
  try {
    for (const device of site.devices) {
      if (device.kind === 'library') fs.mkdirSync(path.resolve(siteDir, device.dir), { recursive: true });
      if (device.kind === 'storage') fs.mkdirSync(path.resolve(siteDir, device.root), { recursive: true });
    }
    if (options.demo) writeDemoData(siteDir, options.demoSize ?? DEMO_DEFAULT_SIZE);
    const catalog = await Catalog.open(siteDir);
    try {
      const at = (options.now ?? new Date()).toISOString();
      if (options.demo) for (const schedule of demoSchedules(Intl.DateTimeFormat().resolvedOptions().timeZone)) catalog.schedules.create(schedule, at);
    } finally {
      catalog.close();
    }
    writeSiteConfig(siteDir, config);
  } catch (error) {
    if (created) fs.rmSync(siteDir, { recursive: true, force: true });
    else for (const entry of fs.readdirSync(siteDir)) fs.rmSync(path.join(siteDir, entry), { recursive: true, force: true });
    throw error;
  }
}
