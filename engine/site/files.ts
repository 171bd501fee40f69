// Reading and writing a site directory's config file. Writes are atomic, so an interrupted
// write leaves the previous config intact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../durable';
import { parseSiteConfig, SITE_CONFIG_FILE, SiteConfigError, type SiteConfig, type SiteConfigInput, validateSiteConfig } from './config';
import { InventoryError } from './inventory';
import { SiteModel, type TapeInfo } from './model';

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
 * Adds a new tape to a library of an open site: written into `site.json` first (checked like the
 * file, atomically; a bad request writes nothing), then to the site model. Without an id it gets
 * the next of the library's own numbering (A00008 -> A00009).
 */
export function addTape(site: SiteModel, request: { library: string; tape?: string; capacity?: number }): TapeInfo {
  const library = site.device(request.library);
  if (library?.kind !== 'library') throw new InventoryError(`no library "${request.library}" in this site`);
  const id = request.tape ?? nextTapeId(library.id, library.tapes.map((t) => t.id), (candidate) => site.has(candidate));
  if (site.has(id)) throw new InventoryError(`"${id}" is already a device or tape of this site`);
  const file = path.join(site.dir, SITE_CONFIG_FILE);
  const input = JSON.parse(fs.readFileSync(file, 'utf8')) as SiteConfigInput;
  const entry = input.devices.find((d) => d.id === library.id);
  if (entry?.kind !== 'library') throw new InventoryError(`${file} no longer lists library "${library.id}"; reopen the site`);
  entry.tapes.push(request.capacity === undefined ? { id } : { id, capacity: request.capacity });
  writeSiteConfig(site.dir, input);
  return site.addTape(library.id, request.capacity === undefined ? { id } : { id, capacity: request.capacity });
}

/** The next free id after a library's last numbered tape, keeping its prefix and width. */
function nextTapeId(libraryId: string, ids: readonly string[], taken: (id: string) => boolean): string {
  const last = [...ids].reverse().map((id) => /^(.*?)(\d+)$/.exec(id)).find((m) => m !== null);
  const prefix = last ? last[1]! : `${libraryId}-`;
  const width = last ? last[2]!.length : 5;
  let n = last ? Number(last[2]) + 1 : 1;
  while (taken(`${prefix}${String(n).padStart(width, '0')}`)) n++;
  return `${prefix}${String(n).padStart(width, '0')}`;
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
