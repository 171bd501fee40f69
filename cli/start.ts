// `npm start` (bin/start.js): builds the app (electron-vite build), then runs the desktop app when
// Electron's binary is installed and there is a display to show its window on (on Linux, DISPLAY
// or WAYLAND_DISPLAY; macOS and Windows always have one); otherwise it says why in one line and
// starts the browser host, `mpbackup serve`, which prints the address to open. The choice is
// `chooseHost`, a pure function; nothing here downloads Electron (its own index.js would).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { run } from './main';

const ROOT = path.resolve(import.meta.dirname, '..');

export type HostChoice = { host: 'electron' } | { host: 'serve'; reason: string };

export interface HostFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Whether Electron's binary is on this machine. */
  electronInstalled: boolean;
}

export function chooseHost({ platform, env, electronInstalled }: HostFacts): HostChoice {
  if (!electronInstalled) {
    return { host: 'serve', reason: 'Electron is not installed here (its binary could not be downloaded); starting the browser host instead' };
  }
  const alwaysHasDisplay = platform === 'darwin' || platform === 'win32';
  if (!alwaysHasDisplay && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { host: 'serve', reason: 'there is no display to show a window on (neither DISPLAY nor WAYLAND_DISPLAY is set); starting the browser host instead' };
  }
  return { host: 'electron' };
}

/**
 * Where the electron package says its binary is (as its index.js works it out, without its
 * download fallback), or null when the package or its path.txt is missing.
 */
export function electronBinary(root: string = ROOT, env: NodeJS.ProcessEnv = process.env): string | null {
  let dir: string;
  try {
    dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(dir, 'path.txt');
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  return executable ? path.join(dir, 'dist', executable) : null;
}

/** Runs a child with the terminal, passing on Ctrl+C and SIGTERM; resolves with its exit code. */
function runChild(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code: number) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`npm start: could not run ${command}: ${error.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** `npm start [-- ARGS]`: ARGS go to the desktop app, or to `mpbackup serve` (`--port N --site DIR`). */
export async function start(args: string[]): Promise<number> {
  const electronVite = path.join(path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  const built = await runChild(process.execPath, [electronVite, 'build', '--logLevel', 'warn']);
  if (built !== 0) {
    process.stderr.write('npm start: the build failed (see above)\n');
    return built;
  }
  const binary = electronBinary();
  const choice = chooseHost({ platform: process.platform, env: process.env, electronInstalled: binary !== null && fs.existsSync(binary) });
  if (choice.host === 'electron') return runChild(binary!, ['.', ...args]);
  process.stdout.write(`${choice.reason}\n`);
  return run(['serve', ...args], {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
