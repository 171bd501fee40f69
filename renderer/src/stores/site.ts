// The site as the operator sees it: devices with their states and holders, loaded from the engine
// through the page's API client (Electron IPC or the WebSocket bridge: the store does not know).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DeviceView, SiteView } from '../../../engine/contract';
import { describeFailure, useApi } from '../api/client';

export const useSiteStore = defineStore('site', () => {
  const site = ref<SiteView | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);

  const devicesByKind = computed(() => {
    const groups = new Map<string, DeviceView[]>();
    for (const device of site.value?.devices ?? []) {
      const list = groups.get(device.kind) ?? [];
      list.push(device);
      groups.set(device.kind, list);
    }
    return groups;
  });

  async function load(): Promise<void> {
    loading.value = true;
    try {
      site.value = await useApi().describeSite();
      error.value = null;
    } catch (cause) {
      error.value = describeFailure('Could not read the site', cause);
    } finally {
      loading.value = false;
    }
  }

  return { site, error, loading, devicesByKind, load };
});
