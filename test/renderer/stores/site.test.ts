// The site store: reads the site, follows `device` events for devices and tapes (and then asks
// for the stream capacity again), changes states and labels tapes, and keeps the engine's reason
// when it refuses.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { site, tape } from '../fixtures';
import { setup } from '../mount';

describe('the site store', () => {
  it('reads the site and its stream capacity, grouped by kind along the data path', async () => {
    setup({ describeSite: () => site(), streamCapacity: () => ({ mirrored: 2, failover: 1 }) });
    const store = useSiteStore();
    await store.load();
    await vi.waitFor(() => expect(store.capacity).toEqual({ mirrored: 2, failover: 1 }));
    expect([...store.devicesByKind.keys()]).toEqual(['host', 'storage', 'switch', 'backup-server', 'copy-device', 'library']);
    expect(store.unavailableDevices.map((d) => d.id)).toEqual(['switch-2']);
    expect(store.stateCounts).toEqual({ available: 9, 'in-use': 0, unavailable: 1 });
    expect(store.error).toBeNull();
  });

  it('keeps what failed, in the words of the engine, when the site cannot be read', async () => {
    setup({ describeSite: () => Promise.reject(new ApiError('internal', 'the catalog is locked')) });
    const store = useSiteStore();
    await store.load();
    expect(store.site).toBeNull();
    expect(store.error).toEqual({ doing: 'failures.readSite', args: {}, message: 'the catalog is locked' });
  });

  it('applies device events to devices and tapes, and asks for the capacity again once for a burst', async () => {
    let capacityCalls = 0;
    const { fake } = setup({ describeSite: () => site(), streamCapacity: () => ({ mirrored: 3 - capacityCalls++, failover: 3 }) });
    const store = useSiteStore();
    await store.load();
    await vi.waitFor(() => expect(capacityCalls).toBe(1));

    fake.emit('device', { id: 'server-A', state: 'in-use', holder: { jobId: 4, stream: 0 } });
    fake.emit('device', { id: 'A00002', state: 'in-use', holder: { jobId: 4, stream: 0 } });
    fake.emit('device', { id: 'switch-2', state: 'available', holder: null });
    fake.emit('device', { id: 'no-such-thing', state: 'available', holder: null });

    expect(store.resource('server-A')).toMatchObject({ state: 'in-use', holder: { jobId: 4, stream: 0 } });
    expect(store.site!.devices.find((d) => d.id === 'library-A')!.tapes![1]).toMatchObject({ id: 'A00002', state: 'in-use', holder: { jobId: 4, stream: 0 } });
    expect(store.unavailableDevices).toEqual([]);
    await vi.waitFor(() => expect(capacityCalls).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(capacityCalls).toBe(2);
    expect(store.capacity?.mirrored).toBe(2);
  });

  it('sets a state through the engine and shows its answer; a refusal is kept with the device named', async () => {
    const { fake } = setup({ describeSite: () => site(), streamCapacity: () => ({ mirrored: 2, failover: 2 }) });
    const store = useSiteStore();
    await store.load();
    fake.handle({ setDeviceState: ({ id, state }) => ({ id, state, holder: null }) });
    expect(await store.setState('server-B', 'unavailable')).toBe(true);
    expect(store.resource('server-B')?.state).toBe('unavailable');
    expect(fake.inputs('setDeviceState')).toEqual([{ id: 'server-B', state: 'unavailable' }]);
    expect(store.pending).toEqual([]);

    fake.handle({ setDeviceState: () => Promise.reject(new ApiError('conflict', 'server-A is in use by job 4')) });
    expect(await store.setState('server-A', 'unavailable')).toBe(false);
    expect(store.actionError).toEqual({ doing: 'failures.setUnavailable', args: { id: 'server-A' }, message: 'server-A is in use by job 4' });
    expect(store.resource('server-A')?.state).toBe('available');
  });

  it('labels a tape into a library and lists it there', async () => {
    const { fake } = setup({ describeSite: () => site(), streamCapacity: () => ({ mirrored: 2, failover: 2 }), labelTape: ({ tape: id }) => tape(id ?? 'A00003', 0, { capacity: 512 * 2 ** 20 }) });
    const store = useSiteStore();
    await store.load();
    const made = await store.labelTape({ library: 'library-A', capacity: 512 * 2 ** 20 });
    expect(made?.id).toBe('A00003');
    expect(fake.inputs('labelTape')).toEqual([{ library: 'library-A', capacity: 512 * 2 ** 20 }]);
    expect(store.libraries[0]!.tapes!.map((t) => t.id)).toEqual(['A00001', 'A00002', 'A00003']);

    fake.handle({ labelTape: () => Promise.reject(new ApiError('bad-request', 'library-B is not file-backed')) });
    expect(await store.labelTape({ library: 'library-B' })).toBeNull();
    expect(store.actionError).toMatchObject({ doing: 'failures.labelTape', args: { library: 'library-B' }, message: 'library-B is not file-backed' });
  });
});
