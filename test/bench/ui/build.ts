// The built renderer the benchmark opens: out/renderer, built again (electron-vite build) when
// it is missing or older than any source it is built from.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['renderer', 'engine/contract', 'assets', 'electron.vite.config.ts', 'package.json'];

function newest(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newest(path.join(file, name))));
}

/** The renderer's build directory, up to date with its sources. */
export function builtRenderer(root: string): string {
  const out = path.join(root, 'out/renderer');
  const index = path.join(out, 'index.html');
  const stale = !fs.existsSync(index) || Math.max(...SOURCES.map((s) => newest(path.join(root, s)))) > fs.statSync(index).mtimeMs;
  if (stale) {
    process.stderr.write('ui bench: building the renderer (npx electron-vite build)\n');
    const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error('ui bench: electron-vite build failed');
  }
  return out;
}
