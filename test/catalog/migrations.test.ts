// Migration 4 carries a version 3 catalog's schedules over to the new shape: daily, weekly and
// one-time rows keep their times, window minutes become a window end (the next day when the
// window runs past midnight), rows without a zone take the machine's; jobs get a null schedule.
import fs from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { Catalog, MIGRATIONS, SCHEMA_VERSION, SNAPSHOT_FILE } from '../../engine/catalog';
import { useTempDirs } from '../helpers/temp';

async function version3Catalog(dir: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) for (const sql of migration.sql) db.run(sql);
  db.run('PRAGMA user_version = 3');
  const insert = 'INSERT INTO schedule (target, mode, streams, start_at, recurrence, window_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)';
  db.run(insert, ['X:', 'mirrored', 2, '2026-11-25T22:00', '{"every":"day","interval":1}', 120, 1]);
  db.run(insert, ['/pictures', 'failover', 3, '2026-11-25T01:05', '{"every":"week","days":[1,3,6]}', 90, 0]);
  db.run(insert, ['/movies', 'mirrored', 2, '2026-12-01T23:30', '{"every":"once"}', null, 1]);
  db.run(insert, ['/movies', 'mirrored', 2, '2026-12-01T04:15', '{"every":"day","interval":3}', null, 1]);
  db.run(`INSERT INTO job (kind, target, mode, streams, state, created_at) VALUES ('backup', 'X:', 'mirrored', 2, 'succeeded', 't')`);
  fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), db.export());
  db.close();
}

describe('catalog migrations', () => {
  const tempDir = useTempDirs('mpb-migrate-');

  it('migration 4 converts version 3 schedules and adds runs and the schedule of a job', async () => {
    const dir = tempDir();
    await version3Catalog(dir);
    const catalog = await Catalog.open(dir);
    try {
      expect(catalog.db.version).toBe(SCHEMA_VERSION);
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const schedules = catalog.schedules.list();
      expect(schedules.map(({ createdAt: _c, updatedAt: _u, ...s }) => s)).toEqual([
        { id: 1, target: 'X:', mode: 'mirrored', streams: 2, chunkSize: null, timeoutMs: null, when: { kind: 'daily', time: '22:00' }, windowEnd: '00:00+1', timeZone: zone, enabled: true, moves: [] },
        { id: 2, target: '/pictures', mode: 'failover', streams: 3, chunkSize: null, timeoutMs: null, when: { kind: 'weekly', days: ['mon', 'wed', 'sat'], time: '01:05' }, windowEnd: '02:35', timeZone: zone, enabled: false, moves: [] },
        { id: 3, target: '/movies', mode: 'mirrored', streams: 2, chunkSize: null, timeoutMs: null, when: { kind: 'once', at: '2026-12-01T23:30:00.000Z' }, windowEnd: null, timeZone: zone, enabled: true, moves: [] },
        { id: 4, target: '/movies', mode: 'mirrored', streams: 2, chunkSize: null, timeoutMs: null, when: { kind: 'cron', expression: '15 4 */3 * *' }, windowEnd: null, timeZone: zone, enabled: true, moves: [] },
      ]);
      expect(schedules.every((s) => /^\d{4}-\d{2}-\d{2}T/.test(s.createdAt))).toBe(true);
      expect(catalog.jobs.get(1)).toMatchObject({ target: 'X:', scheduleId: null });
      expect(catalog.schedules.runs()).toEqual([]);
      const tables = catalog.db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map((t) => t.name);
      expect(tables).toContain('schedule_run');
      expect(tables).not.toContain('schedule_v1');
      expect(tables).toEqual(expect.arrayContaining(['schedule_move', 'job_report']));
    } finally {
      catalog.close();
    }
  });
});
