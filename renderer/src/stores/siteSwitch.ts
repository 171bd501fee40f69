// Putting another site in place of the open one: open a site directory, or create a site (empty,
// or the demo site) in an empty or new directory, which is then open. The engine refuses while a
// job runs ('conflict'), and a directory that is no site, or not empty, is bad input; either way
// the open site stays. What changed reaches every store through the engine's `site` event.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SiteView } from '../../../engine/contract';
import { useApi } from '../api/client';
import { failure, type Failure } from './failure';

export interface SiteSwitched {
  kind: 'opened' | 'created';
  name: string;
  dir: string;
}

export const useSiteSwitchStore = defineStore('siteSwitch', () => {
  const api = useApi();
  /** What is being done, while the engine has not answered. */
  const busy = ref<'open' | 'create' | null>(null);
  const error = ref<Failure | null>(null);
  const done = ref<SiteSwitched | null>(null);

  async function run(kind: SiteSwitched['kind'], dir: string, call: () => Promise<SiteView>): Promise<boolean> {
    busy.value = kind === 'opened' ? 'open' : 'create';
    error.value = null;
    done.value = null;
    try {
      const site = await call();
      done.value = { kind, name: site.name, dir: site.dir };
      return true;
    } catch (cause) {
      error.value = failure(kind === 'opened' ? 'site.failures.open' : 'site.failures.create', cause, { dir });
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** Opens the site in `dir`. */
  function open(dir: string): Promise<boolean> {
    const where = dir.trim();
    return run('opened', where, () => api.openSite({ dir: where }));
  }

  /** Creates a site in `dir` (the demo site with `demo`) and opens it. */
  function create(request: { dir: string; name: string; demo: boolean }): Promise<boolean> {
    const where = request.dir.trim();
    const name = request.name.trim();
    return run('created', where, () => api.createSite({ dir: where, demo: request.demo, ...(name ? { name } : {}) }));
  }

  function dismiss(): void {
    error.value = null;
    done.value = null;
  }

  return { busy, error, done, open, create, dismiss };
});
