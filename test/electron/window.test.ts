import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, applyContentSecurityPolicy, lockNavigation, windowOptions } from '../../electron/main/window';
import { DEFAULT_WINDOW, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../electron/main/window-state';
import { useTempDirs } from '../helpers/temp';
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

  describe('remembered size and place', () => {
    const tempDir = useTempDirs('mpb-window-');

    it('saves the normal bounds and the maximised state, and opens with them', () => {
      const dir = tempDir();
      expect(loadWindowState(dir)).toEqual(DEFAULT_WINDOW);
      const window = new FakeBrowserWindow({});
      window.bounds = { x: 40, y: 30, width: 1500, height: 950 };
      window.maximize();
      saveWindowState(dir, window);
      expect(loadWindowState(dir)).toEqual({ x: 40, y: 30, width: 1500, height: 950, maximized: true });
      expect(windowOptions('/p.cjs', loadWindowState(dir))).toMatchObject({ x: 40, y: 30, width: 1500, height: 950, minWidth: 900, minHeight: 600 });
    });

    it('a missing, unreadable or out-of-bounds file gives the default window', () => {
      const dir = tempDir();
      for (const text of ['not json', '[]', '{"width": 300, "height": 900}', '{"width": 1200.5, "height": 900}', '{"width": 99999, "height": 900}']) {
        fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
        expect(loadWindowState(dir), text).toEqual(DEFAULT_WINDOW);
      }
      fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{"width": 1000, "height": 700, "x": "left"}');
      expect(loadWindowState(dir)).toEqual({ width: 1000, height: 700, maximized: false });
    });
  });
});
