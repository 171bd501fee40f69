// The theme variables every part of the console (the SAN graph too) draws with: each defined in
// the light palette and in the dark one, and the dark palette the same whether the operator
// chose it or the system prefers it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CSS = fs.readFileSync(path.resolve(import.meta.dirname, '../../renderer/src/style.css'), 'utf8');
const NAMES = ['--bg', '--bg-raised', '--fg', '--fg-muted', '--border', '--accent', '--focus', '--ok', '--warn', '--err', ...Array.from({ length: 6 }, (_, i) => `--stream-${i}`)];

function block(selector: string): Map<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const body = CSS.slice(start + selector.length + 2, CSS.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

describe('theme variables', () => {
  const light = block(':root');
  const dark = block(':root[data-theme="dark"]');
  const systemDark = block(':root:not([data-theme="light"])');

  it('define every shared name in both palettes', () => {
    for (const name of NAMES) {
      expect(light.get(name), `${name} (light)`).toMatch(/^#[0-9a-f]{6}$/i);
      expect(dark.get(name), `${name} (dark)`).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('give six different stream colours in each palette', () => {
    for (const palette of [light, dark]) expect(new Set(Array.from({ length: 6 }, (_, i) => palette.get(`--stream-${i}`))).size).toBe(6);
  });

  it('use one dark palette, chosen or from the system', () => {
    expect(systemDark).toEqual(dark);
    // Every colour of the light palette has its dark one (sizes and fonts are the same in both).
    const layout = new Set(['--radius', '--font', '--mono']);
    expect([...dark.keys()].sort()).toEqual([...light.keys()].filter((k) => !layout.has(k)).sort());
  });
});
