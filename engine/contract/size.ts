// Byte sizes as operators write them: a whole number of bytes, or a number with a binary or
// decimal unit (`512KiB`, `8MiB`, `1.5GiB`, `64MB`).

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/;

/** Parses a size; returns null when the text is not one (so callers can word their own error). */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  const unit = m[2] === '' ? 'B' : m[2]!.toUpperCase();
  const factor = UNITS[unit];
  if (factor === undefined) return null;
  const bytes = Number(m[1]) * factor;
  if (!Number.isSafeInteger(Math.round(bytes))) return null;
  if (factor === 1 && !Number.isInteger(bytes)) return null;
  return Math.round(bytes);
}

/** Formats bytes with a binary unit for people: `256 MiB`, `1.5 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const digits = i === 0 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${units[i]}`;
}
