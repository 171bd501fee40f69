// The main window with Electron's security checklist applied: context isolation, sandbox, no
// Node in the page, a Content-Security-Policy on every response, no navigation, no new windows.
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../engine/contract';
import { DEFAULT_WINDOW, MIN_WINDOW, type WindowState } from './window-state';

/** The page may load only its own scripts, styles and images; nothing from the network. */
export { CONTENT_SECURITY_POLICY };

export function windowOptions(preload: string, state: WindowState = DEFAULT_WINDOW): BrowserWindowConstructorOptions {
  return {
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'Multipath Backup Manager',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Adds the CSP header to every response of the window's session. */
export function applyContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** The window stays on the app's page: links never navigate it and never open new windows. */
export function lockNavigation(window: BrowserWindowType, appUrl: string): void {
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
}
