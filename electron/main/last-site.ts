// The site the desktop app opens: the one the operator last opened or created from the console
// (remembered in the user-data directory, `last-site.json`, written atomically on every change of
// site), else the site in the user-data directory, made as the demo site the first time. A
// remembered site that is gone or cannot be opened is passed over for the user-data one, and why
// is logged in it, so the operator's schedules are never silently left on a site not open.
import fs from 'node:fs';
import path from 'node:path';
import { initSite, SiteSession, WARM_MOVERS, writeFileAtomic } from '../../engine';

export const LAST_SITE_FILE = 'last-site.json';

/** The site directory in the user-data directory (the demo site of the first run). */
export function userSiteDir(userData: string): string {
  return path.join(userData, 'site');
}

/** The directory remembered, if any (an unreadable file remembers none). */
export function rememberedSite(userData: string): string | null {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(userData, LAST_SITE_FILE), 'utf8')) as { dir?: unknown };
    return typeof raw.dir === 'string' && path.isAbsolute(raw.dir) ? raw.dir : null;
  } catch {
    return null;
  }
}

export function rememberSite(userData: string, dir: string): void {
  writeFileAtomic(path.join(userData, LAST_SITE_FILE), `${JSON.stringify({ dir }, null, 2)}\n`);
}

/**
 * Opens the site to work on in a session, its scheduler running (due schedules start their jobs;
 * runs missed while the app was closed are recorded as missed), and remembers each site opened
 * or created from the console after.
 */
export async function openUserSite(userData: string): Promise<SiteSession> {
  const options = { warmMovers: WARM_MOVERS, scheduler: true };
  const remembered = rememberedSite(userData);
  let session: SiteSession | null = null;
  let passedOver: string | null = null;
  if (remembered && remembered !== userSiteDir(userData)) {
    try {
      session = await SiteSession.open(remembered, options);
    } catch (error) {
      passedOver = `the site last opened, in ${remembered}, could not be opened (${(error as Error).message}); this one was opened instead`;
    }
  }
  if (!session) {
    const dir = userSiteDir(userData);
    if (!fs.existsSync(path.join(dir, 'site.json'))) await initSite(dir, { demo: true });
    session = await SiteSession.open(dir, options);
    if (passedOver) session.engine.log('warning', passedOver);
  }
  session.onSiteChange((change) => {
    if (change.reason !== 'config-saved') rememberSite(userData, change.dir);
  });
  return session;
}
