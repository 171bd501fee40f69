// What the engine stores in the catalog comes back as it was, after a reopen too.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../engine/catalog';
import type { ScheduleSettings } from '../../engine/catalog';
import type { InventoryChange } from '../../engine/contract';
import { useTempDirs } from '../helpers/temp';

describe('catalog repositories', () => {
  const tempDir = useTempDirs('mpb-repo-');

  it('inventory changes round-trip, zones included, and available resources leave no row', async () => {
    const dir = tempDir();
    let catalog = await Catalog.open(dir, { now: () => '2026-11-25T22:00:00.000Z' });
    const zone = { name: 'job7-stream1', jobId: 7, stream: 1, switches: ['switch-2'], members: [{ device: 'switch-2', port: 1 }, { device: 'storage-1', port: 1 }] };
    const reserve: InventoryChange = {
      statuses: [
        { id: 'server-B', state: 'in-use', holder: { jobId: 7, stream: 1 } },
        { id: 'server-C', state: 'unavailable', holder: null },
      ],
      zonesAdded: [zone],
      zonesRemovedForJobs: [],
    };
    catalog.inventory.save(reserve);
    catalog.close();

    catalog = await Catalog.open(dir);
    expect(catalog.inventory.load()).toEqual({ statuses: [reserve.statuses[0], reserve.statuses[1]], zones: [zone], tapes: [] });
    catalog.inventory.save({ statuses: [{ id: 'server-B', state: 'available', holder: null }], zonesAdded: [], zonesRemovedForJobs: [7] });
    expect(catalog.inventory.load()).toEqual({ statuses: [reserve.statuses[1]], zones: [], tapes: [] });
    expect(catalog.db.get('SELECT changed_at FROM resource_state')).toEqual({ changed_at: '2026-11-25T22:00:00.000Z' });
    expect(() => catalog.inventory.save({ statuses: [{ id: 'x', state: 'in-use', holder: null }], zonesAdded: [], zonesRemovedForJobs: [] } as InventoryChange)).toThrow(
      /holder exactly when it is in use/,
    );
    catalog.close();
  });

  it('jobs go from queued to running to an end, and unfinished ones are interrupted', async () => {
    const catalog = await Catalog.open(tempDir());
    try {
      const a = catalog.jobs.create({ kind: 'backup', target: 'X:', mode: 'mirrored', streams: 2, createdAt: 't0' });
      const b = catalog.jobs.create({ kind: 'backup', target: '/movies', mode: 'failover', streams: 3, createdAt: 't0' });
      const c = catalog.jobs.create({ kind: 'restore', target: '/movies', mode: null, streams: 0, createdAt: 't0' });
      expect([a.id, b.id, c.id]).toEqual([1, 2, 3]);
      expect(a).toMatchObject({ state: 'queued', startedAt: null, endedAt: null });
      expect(catalog.jobs.setState(a.id, 'running', 't1')).toMatchObject({ state: 'running', startedAt: 't1', endedAt: null });
      expect(catalog.jobs.setState(a.id, 'succeeded', 't2', 'both copies good')).toMatchObject({ startedAt: 't1', endedAt: 't2', message: 'both copies good' });
      catalog.jobs.setState(b.id, 'running', 't3');
      expect(catalog.jobs.interruptUnfinished('t4')).toEqual([b.id, c.id]);
      expect(catalog.jobs.get(b.id)).toMatchObject({ state: 'interrupted', endedAt: 't4' });
      expect(catalog.jobs.list({ states: ['interrupted'] }).map((j) => j.id)).toEqual([c.id, b.id]);
      expect(catalog.jobs.interruptUnfinished('t5')).toEqual([]);
      expect(() => catalog.jobs.setState(99, 'failed', 't')).toThrow('no job 99');
    } finally {
      catalog.close();
    }
  });

  it('schedules, their runs, the scheduler\'s last time up, and events', async () => {
    const dir = tempDir();
    let catalog = await Catalog.open(dir);
    try {
      const settings: ScheduleSettings = {
        target: '/pictures',
        mode: 'mirrored',
        streams: 2,
        chunkSize: null,
        timeoutMs: 60_000,
        when: { kind: 'weekly', days: ['mon', 'wed'], time: '22:30' },
        windowEnd: '01:00+1',
        timeZone: 'Europe/Berlin',
        enabled: true,
      };
      const created = catalog.schedules.create(settings, '2026-11-01T10:00:00.000Z');
      expect(created).toEqual({ id: 1, ...settings, moves: [], createdAt: '2026-11-01T10:00:00.000Z', updatedAt: '2026-11-01T10:00:00.000Z' });
      expect(catalog.schedules.setMoves(created.id, [{ dueAt: '2026-11-02T21:30:00.000Z', to: '2026-11-02T20:00:00.000Z' }], '2026-11-01T10:00:00.000Z').moves).toEqual([{ dueAt: '2026-11-02T21:30:00.000Z', to: '2026-11-02T20:00:00.000Z' }]);
      expect(catalog.schedules.setMoves(created.id, [], '2026-11-01T10:00:00.000Z').moves).toEqual([]);
      expect(catalog.schedules.list()).toEqual([created]);
      expect(catalog.schedules.update(created.id, { ...settings, enabled: false }, '2026-11-02T10:00:00.000Z')).toMatchObject({ enabled: false, updatedAt: '2026-11-02T10:00:00.000Z' });
      expect(() => catalog.schedules.create({ ...settings, streams: 1 }, 't')).toThrow(/CHECK constraint/);
      expect(() => catalog.schedules.update(9, settings, 't')).toThrow('no schedule 9');

      const run = catalog.schedules.addRun({ scheduleId: 1, dueAt: '2026-11-02T21:30:00.000Z', state: 'planned', reason: null, jobId: null, manual: false, at: 't1' });
      expect(() => catalog.schedules.addRun({ scheduleId: 1, dueAt: run.dueAt, state: 'missed', reason: 'x', jobId: null, manual: false, at: 't1' })).toThrow(/UNIQUE/);
      expect(() => catalog.schedules.setRun(run.id, { state: 'started', reason: null, jobId: null, at: 't2' })).toThrow(/CHECK constraint/);
      expect(catalog.schedules.setRun(run.id, { state: 'started', reason: null, jobId: 4, at: 't2' })).toMatchObject({ state: 'started', jobId: 4, recordedAt: 't2' });
      catalog.schedules.addRun({ scheduleId: 1, dueAt: '2026-11-04T21:30:00.000Z', state: 'missed', reason: 'the manager was not running', jobId: null, manual: false, at: 't3' });
      catalog.schedules.addRun({ scheduleId: 1, dueAt: '2026-11-05T08:00:00.000Z', state: 'started', reason: null, jobId: 5, manual: true, at: 't4' });
      expect(catalog.schedules.lastDue(1)).toBe('2026-11-04T21:30:00.000Z');
      expect(catalog.schedules.runs().map((r) => r.state)).toEqual(['started', 'missed', 'started']);
      expect(catalog.schedules.runs({ states: ['missed'] }).map((r) => r.reason)).toEqual(['the manager was not running']);
      expect(catalog.schedules.runs({ from: '2026-11-03', to: '2026-11-05' }).map((r) => r.dueAt)).toEqual(['2026-11-04T21:30:00.000Z']);
      expect(catalog.schedules.upAt()).toBeNull();
      catalog.schedules.setUpAt('2026-11-05T09:00:00.000Z');
      catalog.schedules.setUpAt('2026-11-05T09:01:00.000Z');
      catalog.close();

      catalog = await Catalog.open(dir);
      expect(catalog.schedules.upAt()).toBe('2026-11-05T09:01:00.000Z');
      expect(catalog.schedules.runs({ scheduleId: 1 })).toHaveLength(3);
      catalog.schedules.delete(created.id);
      expect(catalog.schedules.list()).toEqual([]);
      expect(() => catalog.schedules.delete(created.id)).toThrow('no schedule 1');

      for (let i = 1; i <= 5; i++) catalog.events.append({ at: `t${i}`, level: 'info', jobId: i % 2 === 1 ? 1 : null, deviceId: null, message: `m${i}` });
      expect(catalog.events.list({ limit: 2 }).map((e) => e.message)).toEqual(['m5', 'm4']);
      expect(catalog.events.list({ beforeId: 4 }).map((e) => e.message)).toEqual(['m3', 'm2', 'm1']);
      expect(catalog.events.list({ jobId: 1 }).map((e) => e.message)).toEqual(['m5', 'm3', 'm1']);
    } finally {
      catalog.close();
    }
  });
});
