// A backup never runs with fewer than two independent streams: the job fails at once, nothing
// stays reserved, no backup is recorded, and the reason is in the job and its log.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import type { JobEvent } from '../../engine/contract';
import { makeBackupSite } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';

describe('fewer than two streams', () => {
  const tempDir = useTempDirs('mpb-few-');

  it.each(['mirrored', 'failover'] as const)('%s: the job fails at once and holds nothing', async (mode) => {
    const dir = await makeBackupSite(`${tempDir()}/site`);
    const engine = await Engine.open(dir);
    try {
      engine.setState('library-B', 'unavailable');
      engine.setState('library-C', 'unavailable');
      const events: JobEvent[] = [];
      engine.onJobEvent((e) => events.push(e));
      const result = await engine.backup({ target: '/pictures', mode });

      expect(result.job.state).toBe('failed');
      expect(result.job.message).toMatch(/not started: only 1 independent stream/);
      expect(result.job.message).toMatch(/library-B is unavailable/);
      expect(result.backup).toBeNull();
      expect(result.streams).toEqual([]);
      expect(engine.describe().devices.filter((d) => d.state === 'in-use')).toEqual([]);
      expect(engine.describe().zones).toEqual([]);
      expect(engine.jobLog(result.job.id).some((e) => e.level === 'error' && /not started/.test(e.message))).toBe(true);
      expect(events.map((e) => e.type)).toEqual(['job-state', 'job-finished']);
    } finally {
      engine.close();
    }
  });
});
