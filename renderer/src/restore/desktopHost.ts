// What only the desktop app offers the page (window.desktopHost, set by the Electron preload):
// the system's folder chooser and the path of a folder dropped from the file manager. A page of
// the browser host has none, and shows a plain path field.
import type { DesktopHost } from '../../../engine/contract';

export function desktopHost(): DesktopHost | null {
  return (window as Window & { desktopHost?: DesktopHost }).desktopHost ?? null;
}
