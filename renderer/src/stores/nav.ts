// Where the operator is: one of the console's views and, for some, what is open in it (a job,
// a target). Routes read and write as hashes (`#/jobs/12`, `#/restore/%2Fpictures`) so every view
// can be linked; the shell keeps the page's hash and this store in step (shell/useHashRoute.ts).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export const VIEWS = ['overview', 'schedule', 'san', 'jobs', 'restore', 'inventory', 'log'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** What is open in the view (a job id, a target); null for the view itself. */
  param: string | null;
}

export const HOME: Route = { view: 'overview', param: null };

function isView(name: string): name is ViewName {
  return (VIEWS as readonly string[]).includes(name);
}

/** The route of a hash; an unknown or empty one is the overview. */
export function parseRoute(hash: string): Route {
  const [name = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (!isView(name)) return HOME;
  const raw = rest.join('/');
  if (raw === '') return { view: name, param: null };
  try {
    return { view: name, param: decodeURIComponent(raw) };
  } catch {
    return { view: name, param: null };
  }
}

/** The hash of a route. */
export function routeHash(view: ViewName, param: string | number | null = null): string {
  return param === null || param === '' ? `#/${view}` : `#/${view}/${encodeURIComponent(String(param))}`;
}

export const useNavStore = defineStore('nav', () => {
  const route = ref<Route>(HOME);
  const view = computed(() => route.value.view);
  const param = computed(() => route.value.param);
  const hash = computed(() => routeHash(route.value.view, route.value.param));

  function go(next: ViewName, nextParam: string | number | null = null): void {
    route.value = { view: next, param: nextParam === null ? null : String(nextParam) };
  }

  function followHash(pageHash: string): void {
    const next = parseRoute(pageHash);
    if (next.view !== route.value.view || next.param !== route.value.param) route.value = next;
  }

  return { route, view, param, hash, go, followHash };
});
