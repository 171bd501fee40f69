// The device icons of the SAN graph, drawn inline as <symbol>s so they follow the theme's colour
// (an <img> of an SVG cannot): the stroked paths, on a 24x24 grid, of assets/icons/*.svg, which
// serve the same drawings as files (/icons/host.svg, ...). test/renderer/san/icons.test.ts keeps
// the two equal.
import type { DeviceKind } from '../../../engine/contract';

export const ICON_PATHS: Record<DeviceKind, string[]> = {
  host: ['M3 4.5h18v11H3z', 'M12 15.5V20', 'M8 20h8', 'M6.5 8h6', 'M6.5 11h4'],
  storage: ['M4 6c0-1.66 3.58-3 8-3s8 1.34 8 3-3.58 3-8 3-8-1.34-8-3z', 'M4 6v12c0 1.66 3.58 3 8 3s8-1.34 8-3V6', 'M4 12c0 1.66 3.58 3 8 3s8-1.34 8-3'],
  'backup-server': ['M3 3.5h18v7H3z', 'M3 13.5h18v7H3z', 'M6.5 7h.01', 'M6.5 17h.01', 'M11 7h6.5', 'M11 17h6.5'],
  'copy-device': ['M8 8h12.5v12.5H8z', 'M16 8V3.5H3.5V16H8', 'M11 14.25h6', 'M15 12l2.25 2.25L15 16.5'],
  library: ['M2.5 5.5h19v13h-19z', 'M5.5 12a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0-5 0', 'M13.5 12a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0-5 0', 'M8 14.5h8'],
  switch: ['M2.5 5h19v14h-19z', 'M6 10h10', 'M13.5 7.5L16 10l-2.5 2.5', 'M18 14H8', 'M10.5 11.5L8 14l2.5 2.5'],
};

/** The id of a kind's <symbol> in the SAN view. */
export function iconId(kind: DeviceKind): string {
  return `san-icon-${kind}`;
}
