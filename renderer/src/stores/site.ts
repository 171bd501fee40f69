// The site as the operator sees it: devices with their states and holders, loaded from the engine.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DeviceView, SiteView } from '../../../engine/contract';

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
    if (!window.backupApi) {
      error.value = 'The engine is not connected: start the app with "npm start".';
      return;
    }
    loading.value = true;
    try {
      site.value = await window.backupApi.describeSite();
      error.value = null;
    } catch (cause) {
      error.value = `Could not read the site: ${cause instanceof Error ? cause.message : String(cause)}`;
    } finally {
      loading.value = false;
    }
  }

  return { site, error, loading, devicesByKind, load };
});
