// `npm start` picks its host: the desktop app when Electron's binary is installed and a display
// exists (DISPLAY or WAYLAND_DISPLAY on Linux; always on macOS and Windows), else the browser host
// with one line saying why. And it finds Electron's binary without ever downloading it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseHost, electronBinary } from '../../cli/start';
import { useTempDirs } from '../helpers/temp';

describe('npm start', () => {
  const tempDir = useTempDirs('mpb-start-');

  it('runs Electron when its binary is installed and there is a display', () => {
    expect(chooseHost({ platform: 'linux', env: { DISPLAY: ':0' }, electronInstalled: true })).toEqual({ host: 'electron' });
    expect(chooseHost({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, electronInstalled: true })).toEqual({ host: 'electron' });
    expect(chooseHost({ platform: 'darwin', env: {}, electronInstalled: true })).toEqual({ host: 'electron' });
    expect(chooseHost({ platform: 'win32', env: {}, electronInstalled: true })).toEqual({ host: 'electron' });
  });

  it('starts the browser host, saying why, when Electron is missing or there is no display', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const choice = chooseHost({ platform, env: { DISPLAY: ':0' }, electronInstalled: false });
      expect(choice).toEqual({ host: 'serve', reason: 'Electron is not installed here (its binary could not be downloaded); starting the browser host instead' });
    }
    for (const env of [{}, { DISPLAY: '' }, { WAYLAND_DISPLAY: '' }]) {
      const choice = chooseHost({ platform: 'linux', env, electronInstalled: true });
      expect(choice.host).toBe('serve');
      expect(choice.host === 'serve' && choice.reason).toMatch(/^there is no display .*DISPLAY.*WAYLAND_DISPLAY.*; starting the browser host instead$/);
    }
    expect(chooseHost({ platform: 'freebsd', env: {}, electronInstalled: true }).host).toBe('serve');
  });

  it('finds the binary the electron package names in path.txt, and null without it (no download)', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}');
    expect(electronBinary(root, {})).toBeNull();
    const pkg = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
    fs.writeFileSync(path.join(pkg, 'index.js'), 'throw new Error("must not be run: it downloads");');
    expect(electronBinary(root, {})).toBeNull();
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(electronBinary(root, {})).toBe(path.join(fs.realpathSync(pkg), 'dist', 'electron'));
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' })).toBe('/opt/electron/electron');
  });
});
