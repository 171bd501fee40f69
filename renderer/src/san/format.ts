// Numbers as the SAN view shows them, in the UI's locale: sizes and rates in decimal units
// (MB/s, as drives and switches are rated), percentages.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

function scaled(bytes: number): { value: number; unit: (typeof UNITS)[number] } {
  let value = Math.max(0, bytes);
  let u = 0;
  while (value >= 1000 && u < UNITS.length - 1) {
    value /= 1000;
    u++;
  }
  return { value, unit: UNITS[u]! };
}

function number(value: number, locale: string, digits: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** `1.5 GB`, `820 kB`, `0 B`. */
export function formatBytes(bytes: number, locale: string): string {
  const { value, unit } = scaled(bytes);
  return `${number(value, locale, value < 10 && unit !== 'B' ? 1 : 0)} ${unit}`;
}

/** `85.2 MB/s`. */
export function formatRate(bytesPerSecond: number, locale: string): string {
  const { value, unit } = scaled(bytesPerSecond);
  return `${number(value, locale, value < 100 ? 1 : 0)} ${unit}/s`;
}

/** `42 %` as the locale writes it, of a part in a whole (0 when the whole is 0). */
export function formatPercent(part: number, whole: number, locale: string): string {
  const share = whole > 0 ? Math.min(1, part / whole) : 0;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** A share as a CSS length, `42.5%`, whatever the UI's locale. */
export function cssPercent(part: number, whole: number): string {
  return `${whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)).toFixed(1) : 0}%`;
}
