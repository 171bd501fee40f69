// The event log store: the filter becomes the query, older pages are asked for before the
// oldest entry shown, and new entries join on top only when they match the filter.
import { describe, expect, it } from 'vitest';
import { LOG_PAGE, matches, useEventLogStore } from '../../../renderer/src/stores/eventLog';
import { logEvent } from '../fixtures';
import { setup } from '../mount';

const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => logEvent(from - i, { level: 'warning', jobId: 4 }));

describe('the event log store', () => {
  it('asks with the filter, pages back with beforeId and knows when there is no more', async () => {
    const { fake } = setup({ listEvents: (query) => (query?.beforeId ? page(query.beforeId - 1, 3) : page(500, LOG_PAGE)) });
    const store = useEventLogStore();
    await store.setFilter({ level: 'warning', jobId: 4 });
    expect(fake.inputs('listEvents')[0]).toEqual({ limit: LOG_PAGE, level: 'warning', jobId: 4 });
    expect(store.entries).toHaveLength(LOG_PAGE);
    expect(store.hasMore).toBe(true);

    await store.loadOlder();
    expect(fake.inputs('listEvents')[1]).toEqual({ limit: LOG_PAGE, beforeId: 401, level: 'warning', jobId: 4 });
    expect(store.entries.map((e) => e.id).slice(-3)).toEqual([400, 399, 398]);
    expect(store.hasMore).toBe(false);

    await store.setFilter({ level: null, jobId: null, deviceId: 'copy-A' });
    expect(fake.inputs('listEvents')[2]).toEqual({ limit: LOG_PAGE, deviceId: 'copy-A' });
  });

  it('adds live entries that match the filter on top, once', async () => {
    const { fake } = setup({ listEvents: () => [logEvent(10, { level: 'error', deviceId: 'copy-A' })] });
    const store = useEventLogStore();
    await store.setFilter({ level: 'warning' });
    fake.emit('log', logEvent(11, { level: 'info' }));
    fake.emit('log', logEvent(12, { level: 'error' }));
    fake.emit('log', logEvent(12, { level: 'error' }));
    expect(store.entries.map((e) => e.id)).toEqual([12, 10]);
  });

  it('keeps the latest warnings and errors for the overview, live too', async () => {
    const { fake } = setup({ listEvents: () => [logEvent(3, { level: 'warning' })] });
    const store = useEventLogStore();
    await store.loadWarnings();
    expect(fake.inputs('listEvents')).toEqual([{ level: 'warning', limit: 8 }]);
    fake.emit('log', logEvent(4, { level: 'info' }));
    fake.emit('log', logEvent(5, { level: 'error' }));
    expect(store.warnings.map((e) => e.id)).toEqual([5, 3]);
  });

  it('matches a level and the more severe ones, a job and a device', () => {
    const entry = logEvent(1, { level: 'warning', jobId: 3, deviceId: 'switch-1' });
    expect(matches(entry, { level: 'info', jobId: null, deviceId: null })).toBe(true);
    expect(matches(entry, { level: 'warning', jobId: 3, deviceId: 'switch-1' })).toBe(true);
    expect(matches(entry, { level: 'error', jobId: null, deviceId: null })).toBe(false);
    expect(matches(entry, { level: null, jobId: 4, deviceId: null })).toBe(false);
    expect(matches(entry, { level: null, jobId: null, deviceId: 'switch-2' })).toBe(false);
  });
});
