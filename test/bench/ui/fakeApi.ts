// The engine as the benchmark's page sees it: a fake `window.backupApi`, installed before any
// page script (as Electron's preload would be), that answers describeSite with the benchmark's
// site and the other calls the views make plausibly (a plan, no jobs, no schedules); anything
// else fails as the engine would say "not found". A measurement may add canned answers of its own
// (`extra`: a method's reply, given whatever the input; a `catalogList` reply is paged by the
// call's offset and limit as the engine pages a directory). It also marks (performance.mark) the
// moment the operator clicks a view's navigation entry, `bench-nav-<view>`.
import type { Page } from 'playwright-core';
import { METHOD_NAMES } from '../../../engine/contract';
import type { PageElement, PageGlobals } from './page';
import type { UiSite } from './site';

interface PageData extends UiSite {
  methods: readonly string[];
  extra: Record<string, unknown>;
}

/** Canned replies a measurement adds to (or puts in place of) the fake engine's, by method. */
export type ExtraAnswers = Record<string, unknown>;

/** Runs in the page: keep it self-contained (it is serialised). */
function install(data: PageData): void {
  const page = globalThis as unknown as PageGlobals;
  const answers: Record<string, (input: unknown) => unknown> = {
    describeSite: () => data.site,
    planStreams: () => data.plan,
    streamCapacity: () => ({ mirrored: 3, failover: 3 }),
    listJobs: () => [],
    listEvents: () => [],
    listSchedules: () => [],
    scheduleRuns: () => [],
    forecastSchedules: () => [],
    catalogTargets: () => [],
  };
  for (const [name, reply] of Object.entries(data.extra)) {
    answers[name] =
      name === 'catalogList'
        ? (input) => {
            const { offset = 0, limit = 1000 } = (input ?? {}) as { offset?: number; limit?: number };
            const listing = reply as { entries: unknown[] };
            return { ...listing, offset, entries: listing.entries.slice(offset, offset + limit) };
          }
        : () => reply;
  }
  const api: Record<string, unknown> = {
    on: () => () => {},
  };
  for (const name of data.methods) {
    api[name] = async (input: unknown) => {
      const answer = answers[name];
      if (!answer) throw new Error(`[not-found] the benchmark's fake engine does not answer ${name}`);
      return structuredClone(answer(input));
    };
  }
  Object.defineProperty(page.window, 'backupApi', { value: Object.freeze(api) });
  page.document.addEventListener(
    'click',
    (event) => {
      const link = (event.target as PageElement | null)?.closest?.('a[data-view]');
      if (link) page.performance.mark(`bench-nav-${link.getAttribute('data-view')}`);
    },
    true,
  );
}

export async function installFakeApi(page: Page, site: UiSite, extra: ExtraAnswers = {}): Promise<void> {
  // tsx compiles this file keeping function names through an `__name` helper, which the
  // functions Playwright sends to the page (this one, page.evaluate's) then call.
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await page.addInitScript(install, { ...site, methods: METHOD_NAMES, extra });
}
