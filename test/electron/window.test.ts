import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, applyContentSecurityPolicy, lockNavigation, windowOptions } from '../../electron/main/window';
import { FakeBrowserWindow } from './fake-electron';

const APP_URL = 'file:///opt/app/out/renderer/index.html';

describe('main window', () => {
  it('uses the secure web preferences of the checklist', () => {
    const prefs = windowOptions('/opt/app/out/preload/index.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/opt/app/out/preload/index.cjs',
    });
  });

  it('never navigates away and never opens windows', () => {
    const window = new FakeBrowserWindow({});
    lockNavigation(window as never, APP_URL);
    expect(window.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(window.webContents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(window.webContents.fire('will-navigate', APP_URL)).toBe(false);
    expect(window.webContents.fire('will-redirect', APP_URL)).toBe(true);
    expect(window.webContents.fire('will-attach-webview')).toBe(true);
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('sends a strict Content-Security-Policy with every response', () => {
    const window = new FakeBrowserWindow({});
    applyContentSecurityPolicy(window.webContents.session as never);
    let headers: Record<string, string[]> = {};
    window.webContents.session.webRequest.headerListener!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => {
      headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders;
    });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
