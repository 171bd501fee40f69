// The SAN graph draws its device icons inline; assets/icons/*.svg serve the same drawings as
// files. They must stay equal, and every device kind has one.
import { describe, expect, it } from 'vitest';
import { DeviceKind } from '../../../engine/contract';
import { ICON_PATHS } from '../../../renderer/src/san/icons';

const FILES = import.meta.glob<string>('../../../assets/icons/*.svg', { query: '?raw', import: 'default', eager: true });
const fileOf = (kind: string) => FILES[`../../../assets/icons/${kind}.svg`];

describe('the device icons', () => {
  it.each(DeviceKind.options)('%s: the inline drawing is the one in assets/icons', (kind) => {
    const svg = fileOf(kind)!;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor"/);
    expect(svg).toMatch(/<title>[^<]+<\/title>/);
    const paths = [...svg.matchAll(/<path\b[^>]*\sd="([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toEqual(ICON_PATHS[kind]);
  });

  it('has no icon file without a device kind', () => {
    expect(Object.keys(FILES).sort()).toEqual(DeviceKind.options.map((k) => `../../../assets/icons/${k}.svg`).sort());
  });
});
