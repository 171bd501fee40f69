import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSchedules, demoSiteConfig, listTargets, SiteModel, validateSiteConfig, writeDemoData } from '../../engine/site';

describe('the demo site', () => {
  const site = new SiteModel(validateSiteConfig(demoSiteConfig()), '/demo');

  it('has the devices the spec names', () => {
    const count = (kind: Parameters<SiteModel['devicesOfKind']>[0]) => site.devicesOfKind(kind).map((d) => d.id);
    expect(count('backup-server')).toEqual(['server-A', 'server-B', 'server-C']);
    expect(count('copy-device')).toEqual(['copy-A', 'copy-B', 'copy-C']);
    expect(count('library')).toEqual(['library-A', 'library-B', 'library-C']);
    expect(count('host')).toHaveLength(1);
    expect(count('storage')).toHaveLength(1);
    for (const library of count('library')) {
      const tapes = site.tapesOf(library);
      expect(tapes).toHaveLength(8);
      expect(tapes.every((t) => t.capacity === 256 * 2 ** 20)).toBe(true);
    }
  });

  it('wires every mover and library to its own switch and to the shared spare', () => {
    for (const id of ['server-A', 'copy-A', 'library-A']) {
      expect(site.neighbors(id).map((n) => n.device)).toEqual(['switch-1', 'switch-4']);
    }
    expect(site.neighbors('storage-1').map((n) => n.device)).toEqual(['switch-1', 'switch-2', 'switch-3', 'switch-4']);
  });

  it('carries the spec example schedule', () => {
    const schedules = demoSchedules('Europe/Berlin');
    expect(schedules.map((s) => [s.when, s.target, s.windowEnd])).toEqual([
      [{ kind: 'daily', time: '22:00' }, 'X:', '00:00+1'],
      [{ kind: 'daily', time: '22:30' }, '/pictures', '00:30+1'],
      [{ kind: 'daily', time: '23:00' }, '/movies', '01:00+1'],
    ]);
    expect(schedules.every((s) => s.timeZone === 'Europe/Berlin')).toBe(true);
  });

  describe('sample data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-demo-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is as large as asked, deterministic, and offered as targets', () => {
      const size = 4 * 2 ** 20;
      writeDemoData(dir, size);
      const total = (d: string): number =>
        fs.readdirSync(d, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? total(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
      const bytes = total(dir);
      expect(bytes).toBeGreaterThanOrEqual(size);
      expect(bytes).toBeLessThan(size + 64 * 1024);
      expect(fs.statSync(path.join(dir, 'volumes/X.img')).size).toBe(size / 4);
      expect(fs.existsSync(path.join(dir, 'storage/pictures/trips/Ōsaka 大阪/castle at dusk.jpg'))).toBe(true);

      const again = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-demo-'));
      try {
        writeDemoData(again, size);
        const movie = 'storage/movies/movie-2.mp4';
        expect(fs.readFileSync(path.join(again, movie)).equals(fs.readFileSync(path.join(dir, movie)))).toBe(true);
      } finally {
        fs.rmSync(again, { recursive: true, force: true });
      }

      const targets = listTargets(new SiteModel(validateSiteConfig(demoSiteConfig()), dir));
      expect(targets.map((t) => `${t.name} ${t.kind}`)).toEqual(['X: volume', '/movies directory', '/pictures directory']);
    });
  });
});
