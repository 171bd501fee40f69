// A fake engine for the Site view, the first-run guide and the remembered view: the console's
// demo handlers (test/renderer/fixtures.ts) plus the demo site's site.json (engine/site/demo.ts)
// read by getSiteConfig, checked by checkSiteConfig with the engine's own validator (so every
// problem is at the engine's path, in its words), written by saveSiteConfig (a conflict when the
// config it began from is not the one written now, as the engine says), which pushes the
// `site` event before it answers, as a host does; openSite and createSite answer with a site of
// the folder asked for and push the event too.
import { ApiError, stableJson, type SiteChange, type SiteConfigDocument, type SiteView } from '../../../engine/contract';
import { SiteConfigError, validateSiteConfig } from '../../../engine/site/config';
import { demoSiteConfig } from '../../../engine/site/demo';
import type { Handlers } from '../fakeApi';
import { demoHandlers, site } from '../fixtures';
import { setup } from '../mount';

export interface SiteFakeState {
  /** site.json as the fake engine has it. */
  config: SiteConfigDocument;
  view: SiteView;
}

export function demoConfig(): SiteConfigDocument {
  return JSON.parse(JSON.stringify(demoSiteConfig())) as SiteConfigDocument;
}

function check(config: unknown) {
  try {
    validateSiteConfig(config);
    return { ok: true, problems: [] };
  } catch (error) {
    if (error instanceof SiteConfigError) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** The fake engine with a demo site open; `extra` handlers replace its own. */
export function setupSite(extra: Handlers = {}) {
  const state: SiteFakeState = { config: demoConfig(), view: site() };
  const ctx = setup();
  const change = (reason: SiteChange['reason']) => ctx.fake.emit('site', { reason, dir: state.view.dir, name: state.view.name });
  ctx.fake.handle({
    ...demoHandlers(),
    describeSite: () => state.view,
    getSiteConfig: () => state.config,
    checkSiteConfig: ({ config }) => check(config),
    saveSiteConfig: ({ config, base }) => {
      if (base !== undefined && stableJson(base) !== stableJson(state.config)) throw new ApiError('conflict', 'site.json was changed since these changes began');
      const answer = check(config);
      if (!answer.ok) throw new ApiError('bad-request', answer.problems.map((p) => `site.json: ${p.path}: ${p.message}`).join('\n'));
      state.config = config as SiteConfigDocument;
      change('config-saved');
      return state.view;
    },
    openSite: ({ dir }) => {
      state.view = site({ dir, name: 'Other site', demo: false });
      change('opened');
      return state.view;
    },
    createSite: ({ dir, name, demo }) => {
      state.view = site({ dir, name: name ?? dir.split('/').pop()!, demo, devices: demo ? site().devices : [], targets: [] });
      state.config = { format: 'mpbackup-site', version: 1, name: state.view.name, devices: [], links: [] };
      change('created');
      return state.view;
    },
    ...extra,
  });
  return { ...ctx, state, change };
}
