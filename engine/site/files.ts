// Reading and writing a site directory's config file. Writes are atomic, so an interrupted
// write leaves the previous config intact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../durable';
import { parseSiteConfig, SITE_CONFIG_FILE, SiteConfigError, type SiteConfig, type SiteConfigInput, validateSiteConfig } from './config';
import { SiteModel } from './model';

export const PRODUCT_NAME = 'Multipath Backup Manager';

/** Loads and validates `DIR/site.json`. */
export function loadSite(dir: string): SiteModel {
  const file = path.join(dir, SITE_CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no site here (create one with "mpbackup site init")' : (error as Error).message;
    throw new SiteConfigError(file, [{ path: '', message: why }]);
  }
  return new SiteModel(parseSiteConfig(text, file), path.resolve(dir));
}

/** Validates and writes a site config atomically; an invalid config writes nothing. */
export function writeSiteConfig(dir: string, input: SiteConfigInput): SiteConfig {
  const file = path.join(dir, SITE_CONFIG_FILE);
  const config = validateSiteConfig(input, file);
  writeFileAtomic(file, JSON.stringify(input, null, 2) + '\n');
  return config;
}

/**
 * The desktop app's user-data directory, as Electron's `app.getPath('userData')` names it, so
 * the command line and the app find the same site by default.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** The site used when no `--site` is given: `site/` in the user-data directory. */
export function defaultSiteDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MPBACKUP_SITE ?? path.join(userDataDir(env), 'site');
}
