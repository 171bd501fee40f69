// Numbers as the console shows them, the same in every language: sizes with binary units,
// rates per second, elapsed times as h:mm:ss, percentages. Dates go through vue-i18n's `d`.
import { formatSize } from '../../engine/contract';

/** `256 MiB`, `1.5 GiB`; a dash for an unknown size. */
export function formatBytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : formatSize(bytes);
}

/** `42.5 MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  if (bytesPerSecond < 1024) return `${Math.round(bytesPerSecond)} B/s`;
  const mib = bytesPerSecond / 2 ** 20;
  if (mib < 1) return `${(bytesPerSecond / 1024).toFixed(0)} KiB/s`;
  return `${mib.toFixed(mib < 100 ? 1 : 0)} MiB/s`;
}

/** An elapsed or remaining time: `0:42`, `12:05`, `1:02:05`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** `37 %` of a whole; `—` when the whole is unknown. */
export function formatPercent(part: number, whole: number | null | undefined): string {
  if (!whole) return '—';
  return `${Math.min(100, Math.floor((part / whole) * 100))} %`;
}

/** Milliseconds between two instants (the second defaults to `now`); null without a start. */
export function elapsedMs(from: string | null, to: string | null, now: number = Date.now()): number | null {
  if (!from) return null;
  const end = to ? Date.parse(to) : now;
  return Math.max(0, end - Date.parse(from));
}
