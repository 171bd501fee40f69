// Numbers as the console shows them.
import { describe, expect, it } from 'vitest';
import { elapsedMs, formatBytes, formatDuration, formatPercent, formatRate } from '../../renderer/src/format';

describe('formatting', () => {
  it('sizes, rates, durations and percentages', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(3 * 2 ** 20)).toBe('3 MiB');
    expect(formatRate(512)).toBe('512 B/s');
    expect(formatRate(300 * 1024)).toBe('300 KiB/s');
    expect(formatRate(42.54 * 2 ** 20)).toBe('42.5 MiB/s');
    expect(formatRate(250 * 2 ** 20)).toBe('250 MiB/s');
    expect(formatDuration(42_000)).toBe('0:42');
    expect(formatDuration(725_000)).toBe('12:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatPercent(1, 3)).toBe('33 %');
    expect(formatPercent(5, 0)).toBe('—');
    expect(formatPercent(7, 5)).toBe('100 %');
    expect(elapsedMs('2026-12-01T00:00:00Z', '2026-12-01T00:01:00Z')).toBe(60_000);
    expect(elapsedMs('2026-12-01T00:00:00Z', null, Date.parse('2026-12-01T00:00:05Z'))).toBe(5000);
    expect(elapsedMs(null, null)).toBeNull();
  });
});
