// Where the operator is: one of the console's views and, for some, what is open in it (a job,
// a target). Routes read and write as hashes (`#/jobs/12`, `#/restore/%2Fpictures`) so every view
// can be linked; the shell keeps the page's hash and this store in step (shell/useHashRoute.ts).
// A view with unsaved work may ask to be asked before the operator leaves it (a leave guard).
// When another site is opened, what was open in a view belonged to the old one and is closed.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { useApi } from '../api/client';

export const VIEWS = ['overview', 'schedule', 'san', 'jobs', 'restore', 'inventory', 'site', 'log'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** What is open in the view (a job id, a target); null for the view itself. */
  param: string | null;
}

/** Asked before the route changes to `next`; false keeps the operator where they are. */
export type LeaveGuard = (next: Route) => boolean;

export const HOME: Route = { view: 'overview', param: null };

export function isView(name: string): name is ViewName {
  return (VIEWS as readonly string[]).includes(name);
}

/** Whether an address names a route at all (`#/log`); an empty hash leaves the choice to the console. */
export function hasRoute(hash: string): boolean {
  return hash.replace(/^#\/?/, '') !== '';
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
  const leaveGuard = shallowRef<LeaveGuard | null>(null);

  /** Moves to `next` unless the leave guard says no; answers whether the route is `next` now. */
  function moveTo(next: Route): boolean {
    if (next.view === route.value.view && next.param === route.value.param) return true;
    if (leaveGuard.value && !leaveGuard.value(next)) return false;
    route.value = next;
    return true;
  }

  function go(next: ViewName, nextParam: string | number | null = null): boolean {
    return moveTo({ view: next, param: nextParam === null ? null : String(nextParam) });
  }

  function followHash(pageHash: string): boolean {
    return moveTo(parseRoute(pageHash));
  }

  /** Puts a leave guard in place; answers the function that removes it. */
  function guardLeaving(guard: LeaveGuard): () => void {
    leaveGuard.value = guard;
    return () => {
      if (leaveGuard.value === guard) leaveGuard.value = null;
    };
  }

  // Job ids and targets name things of the site they were opened in.
  useApi().on('site', (change) => {
    if (change.reason !== 'config-saved' && route.value.param !== null) route.value = { view: route.value.view, param: null };
  });

  return { route, view, param, hash, go, followHash, guardLeaving };
});
