// The site as the operator sees it: devices with their states and holders, loaded from the engine
// through the page's API client (Electron IPC or the WebSocket bridge: the store does not know),
// kept live by the engine's `device` events (a device or tape reserved, released or set by the
// operator); how many independent streams each mode could reserve right now; and the operator's
// changes to the inventory (set a device or tape available or unavailable, label a new tape).
// When the engine says the site changed (another one opened or created, or this one reopened with
// a new config), everything is read again; `generation` counts those changes, so the shell can
// draw its view afresh.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DeviceKind, DeviceView, LabelTapeRequest, ResourceStatus, SiteChange, SiteView, StreamCapacity, TapeView } from '../../../engine/contract';
import { useApi } from '../api/client';
import { coalesce } from './coalesce';
import { latestReads } from './latest';
import { failure, type Failure } from './failure';

/** The order device kinds are listed in: the data path from host to library. */
export const KIND_ORDER: readonly DeviceKind[] = ['host', 'storage', 'switch', 'backup-server', 'copy-device', 'library'];

export const useSiteStore = defineStore('site', () => {
  const api = useApi();
  const site = ref<SiteView | null>(null);
  const error = ref<Failure | null>(null);
  const loading = ref(false);
  const capacity = ref<StreamCapacity | null>(null);
  const capacityError = ref<Failure | null>(null);
  /** Devices and tapes whose state change the engine has not answered yet. */
  const pending = ref<string[]>([]);
  /** The last inventory change the engine refused, in words. */
  const actionError = ref<Failure | null>(null);
  /** How many times the site changed since the console started, and the latest change. */
  const generation = ref(0);
  const lastChange = ref<SiteChange | null>(null);

  const devicesByKind = computed(() => {
    const groups = new Map<DeviceKind, DeviceView[]>();
    for (const kind of KIND_ORDER) groups.set(kind, []);
    for (const device of site.value?.devices ?? []) groups.get(device.kind)?.push(device);
    for (const [kind, list] of groups) if (list.length === 0) groups.delete(kind);
    return groups;
  });
  const libraries = computed(() => site.value?.devices.filter((d) => d.kind === 'library') ?? []);
  const unavailableDevices = computed(() => site.value?.devices.filter((d) => d.state === 'unavailable') ?? []);
  const stateCounts = computed(() => {
    const counts = { available: 0, 'in-use': 0, unavailable: 0 };
    for (const device of site.value?.devices ?? []) counts[device.state]++;
    return counts;
  });

  const siteReads = latestReads();
  async function load(): Promise<void> {
    const isLatest = siteReads();
    loading.value = true;
    try {
      const read = await api.describeSite();
      if (!isLatest()) return;
      site.value = read;
      error.value = null;
    } catch (cause) {
      if (isLatest()) error.value = failure('failures.readSite', cause);
    } finally {
      if (isLatest()) loading.value = false;
    }
    if (isLatest() && site.value) void loadCapacity();
  }

  async function loadCapacity(): Promise<void> {
    try {
      capacity.value = await api.streamCapacity();
      capacityError.value = null;
    } catch (cause) {
      capacityError.value = failure('failures.capacity', cause);
    }
  }
  const refreshCapacity = coalesce(loadCapacity, 300);

  /** The device or tape with this id, wherever it is. */
  function resource(id: string): DeviceView | TapeView | null {
    for (const device of site.value?.devices ?? []) {
      if (device.id === id) return device;
      const tape = device.tapes?.find((t) => t.id === id);
      if (tape) return tape;
    }
    return null;
  }

  function apply(status: ResourceStatus): void {
    const target = resource(status.id);
    if (!target) return;
    target.state = status.state;
    target.holder = status.holder;
    refreshCapacity();
  }

  async function setState(id: string, state: 'available' | 'unavailable'): Promise<boolean> {
    pending.value = [...pending.value, id];
    try {
      apply(await api.setDeviceState({ id, state }));
      actionError.value = null;
      return true;
    } catch (cause) {
      actionError.value = failure(state === 'available' ? 'failures.setAvailable' : 'failures.setUnavailable', cause, { id });
      return false;
    } finally {
      pending.value = pending.value.filter((p) => p !== id);
    }
  }

  /** Labels a new tape into a library; answers the tape, or null (the reason is in actionError). */
  async function labelTape(request: LabelTapeRequest): Promise<TapeView | null> {
    try {
      const tape = await api.labelTape(request);
      const library = site.value?.devices.find((d) => d.id === request.library);
      if (library && !library.tapes?.some((t) => t.id === tape.id)) library.tapes = [...(library.tapes ?? []), tape];
      actionError.value = null;
      refreshCapacity();
      return tape;
    } catch (cause) {
      actionError.value = failure('failures.labelTape', cause, { library: request.library });
      return null;
    }
  }

  function dismissActionError(): void {
    actionError.value = null;
  }

  /** Another site is shown, or this one reopened: nothing read before holds. */
  function siteChanged(change: SiteChange): void {
    generation.value++;
    lastChange.value = change;
    capacity.value = null;
    capacityError.value = null;
    pending.value = [];
    actionError.value = null;
    void load();
  }

  api.on('device', apply);
  api.on('site', siteChanged);

  return {
    site,
    error,
    loading,
    capacity,
    capacityError,
    pending,
    actionError,
    generation,
    lastChange,
    devicesByKind,
    libraries,
    unavailableDevices,
    stateCounts,
    load,
    loadCapacity,
    resource,
    setState,
    labelTape,
    dismissActionError,
  };
});
