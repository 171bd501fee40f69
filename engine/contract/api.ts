// `window.backupApi`: what the preload script exposes to the renderer, one function per channel.
import type { SiteView } from './site';

export interface BackupApi {
  describeSite(): Promise<SiteView>;
}
