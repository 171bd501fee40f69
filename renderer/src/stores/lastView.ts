// The view the operator was in (and what was open in it, e.g. a job), remembered in localStorage
// across restarts of the console, with the site it was in. Started without a route in its
// address, the console opens there; a route in the address wins (the shell decides, see App.vue).
// Something open in a view belongs to its site: when the site shown is another, the view opens
// without it.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { recall, remember } from './browserStorage';
import { isView, useNavStore, type Route } from './nav';
import { useSiteStore } from './site';

export const LAST_VIEW_STORAGE_KEY = 'mpbackup.lastView';

interface Remembered extends Route {
  /** The directory of the site it was in, when known. */
  dir: string | null;
}

function read(): Remembered | null {
  try {
    const raw = JSON.parse(recall(LAST_VIEW_STORAGE_KEY) ?? 'null') as Partial<Remembered> | null;
    if (!raw || typeof raw.view !== 'string' || !isView(raw.view)) return null;
    return { view: raw.view, param: typeof raw.param === 'string' ? raw.param : null, dir: typeof raw.dir === 'string' ? raw.dir : null };
  } catch {
    return null;
  }
}

export const useLastViewStore = defineStore('lastView', () => {
  const nav = useNavStore();
  const siteStore = useSiteStore();
  /** The route brought back at the start, until the site it names is known. */
  const restored = ref<Remembered | null>(null);
  /** The site's directory, kept from the last run until the site is read. */
  let dir = read()?.dir ?? null;
  let started = false;

  function write(): void {
    remember(LAST_VIEW_STORAGE_KEY, JSON.stringify({ ...nav.route, dir: siteStore.site?.dir ?? dir }));
  }

  /** Goes to the remembered view unless `addressRoute` (the page gave a route); then remembers every move. */
  function start(addressRoute: boolean): void {
    if (started) return;
    started = true;
    const last = addressRoute ? null : read();
    if (last) {
      nav.go(last.view, last.param);
      if (last.param !== null) restored.value = last;
    }
    watch(() => nav.hash, write, { immediate: true });
    watch(
      () => siteStore.site?.dir,
      (now) => {
        const last = restored.value;
        if (!now) return;
        dir = now;
        restored.value = null;
        if (last && last.dir !== null && last.dir !== now && nav.view === last.view && nav.param === last.param) nav.go(last.view);
        write();
      },
      { immediate: true },
    );
  }

  return { restored, start };
});
