// The engine's `site` event (another site opened or created, or this one reopened with a saved
// config, by this console or another client): every store forgets what it read of the old site
// and reads again what it had read (site, jobs, job page, catalog, schedules and the calendar's
// range, event log and warnings, the config being edited), what the operator had picked in the
// old site goes (restore basket and plan, tree, verifications, the SAN path choice, a job open in
// the address), and the shell draws its view afresh for the new one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodName } from '../../../engine/contract';
import App from '../../../renderer/src/App.vue';
import { usePathsStore } from '../../../renderer/src/san/stores/paths';
import { useCatalogStore } from '../../../renderer/src/stores/catalog';
import { useEventLogStore } from '../../../renderer/src/stores/eventLog';
import { useJobPageStore } from '../../../renderer/src/stores/jobPage';
import { useJobsStore } from '../../../renderer/src/stores/jobs';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { useRestoreStore } from '../../../renderer/src/stores/restore';
import { useRestoreTreeStore } from '../../../renderer/src/stores/restoreTree';
import { useSchedulesStore } from '../../../renderer/src/stores/schedules';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { useSiteConfigStore } from '../../../renderer/src/stores/siteConfig';
import { useVerifyStore } from '../../../renderer/src/stores/verify';
import type { FakeApi } from '../fakeApi';
import { backupSummary, job, logEvent, schedule, site, targetSummary } from '../fixtures';
import { mountWith, settle } from '../mount';
import { restoreHandlers } from '../restore/catalogFake';
import { setupSite } from './siteFake';

afterEach(() => {
  window.location.hash = '';
  localStorage.clear();
  document.body.innerHTML = '';
});

/** Every store with something of the demo site read or picked. */
async function loadEverything() {
  const ctx = setupSite({
    ...restoreHandlers(),
    listJobs: () => [job(6), job(5)],
    listSchedules: () => [schedule(1), schedule(2)],
    scheduleRuns: () => [],
    listEvents: (input) => (input?.level === 'warning' ? [logEvent(9, { level: 'warning', message: 'old warning' })] : [logEvent(9), logEvent(8)]),
    startVerify: () => ({ jobId: 41 }),
  });
  const stores = {
    site: useSiteStore(),
    jobs: useJobsStore(),
    jobPage: useJobPageStore(),
    catalog: useCatalogStore(),
    schedules: useSchedulesStore(),
    log: useEventLogStore(),
    restore: useRestoreStore(),
    tree: useRestoreTreeStore(),
    verify: useVerifyStore(),
    paths: usePathsStore(),
    config: useSiteConfigStore(),
    nav: useNavStore(),
  };
  await stores.site.load();
  await stores.jobs.load();
  await stores.jobPage.open(6);
  await stores.catalog.load();
  await stores.catalog.loadDirectoryPage(2, '', 0);
  await stores.schedules.load();
  await stores.schedules.loadRange(new Date('2026-11-29T00:00:00Z'), new Date('2026-12-06T00:00:00Z'), new Date('2026-12-01T12:00:00Z'));
  await stores.log.load();
  await stores.log.loadWarnings();
  await stores.config.load();
  stores.tree.expanded.add('t:/pictures');
  stores.restore.add([{ backupId: 2, path: '2025', name: '2025', type: 'directory', size: null }]);
  stores.restore.setDestination('/tmp/restored');
  await stores.restore.plan();
  await stores.verify.start(2);
  stores.paths.target = stores.site.site!.targets[0]!;
  stores.paths.pin(0, 'server-A');
  stores.nav.go('jobs', 6);
  await settle();
  return { ...ctx, stores };
}

/** From now on the engine answers for another site. */
function otherSite(ctx: Awaited<ReturnType<typeof loadEverything>>) {
  ctx.state.view = site({ name: 'Other site', dir: '/srv/other', demo: false });
  ctx.state.config = { format: 'mpbackup-site', version: 1, name: 'Other site', devices: [], links: [] };
  ctx.fake.handle({
    listJobs: () => [job(1, { target: 'X:' })],
    listSchedules: () => [schedule(7)],
    listEvents: (input) => (input?.level === 'warning' ? [] : [logEvent(1, { message: 'the site was opened' })]),
    catalogTargets: () => [targetSummary('X:')],
    catalogBackups: () => [backupSummary(1, 1, { target: 'X:' })],
  });
}

const countOf = (ctx: { fake: FakeApi }, method: MethodName) => ctx.fake.inputs(method).length;

describe('the site event', () => {
  it('has every store read the new site again and forget the old one', async () => {
    const ctx = await loadEverything();
    const { stores } = ctx;
    expect(stores.restore.items).toHaveLength(1);
    expect(stores.restore.planned).not.toBeNull();
    expect(stores.catalog.directories.size).toBe(1);
    expect(stores.verify.verifications).toHaveLength(1);
    const before = Object.fromEntries((['describeSite', 'listJobs', 'catalogTargets', 'listSchedules', 'forecastSchedules', 'scheduleRuns', 'listEvents', 'getSiteConfig', 'getJob'] as const).map((m) => [m, countOf(ctx, m)]));

    otherSite(ctx);
    ctx.fake.emit('site', { reason: 'opened', dir: '/srv/other', name: 'Other site' });
    await settle();

    expect(stores.site.site!.name).toBe('Other site');
    expect(stores.site.generation).toBe(1);
    expect(stores.site.lastChange).toEqual({ reason: 'opened', dir: '/srv/other', name: 'Other site' });
    expect(stores.jobs.jobs.map((j) => j.id)).toEqual([1]);
    expect(stores.jobPage.jobId).toBeNull();
    expect(stores.jobPage.detail).toBeNull();
    expect(stores.catalog.targets.map((t) => t.target)).toEqual(['X:']);
    expect(stores.catalog.directories.size).toBe(0);
    expect(stores.catalog.details.size).toBe(0);
    expect(stores.schedules.schedules.map((s) => s.id)).toEqual([7]);
    expect(stores.schedules.rangeLoaded).toBe(true);
    expect(stores.log.entries.map((e) => e.message)).toEqual(['the site was opened']);
    expect(stores.log.warnings).toEqual([]);
    expect(stores.config.draft!.name).toBe('Other site');
    expect(stores.restore.items).toEqual([]);
    expect(stores.restore.backupId).toBeNull();
    expect(stores.restore.planned).toBeNull();
    expect(stores.restore.destination).toBe('');
    expect(stores.tree.expanded.size).toBe(0);
    expect(stores.verify.verifications).toEqual([]);
    expect(stores.paths.choicesOf('server-A')).toEqual([]);
    expect(stores.paths.target).toBeNull();
    expect(stores.nav.route).toEqual({ view: 'jobs', param: null });

    const after = Object.fromEntries(Object.keys(before).map((m) => [m, countOf(ctx, m as MethodName) - before[m]!]));
    expect(after).toEqual({ describeSite: 1, listJobs: 1, catalogTargets: 1, listSchedules: 1, forecastSchedules: 2, scheduleRuns: 1, listEvents: 2, getSiteConfig: 1, getJob: 0 });
  });

  it('lets no answer about the old site, arriving late, overwrite what the new one said', async () => {
    const ctx = await loadEverything();
    const { stores } = ctx;
    // Reads asked of the old site whose answers are held back until after the change.
    const held: Array<() => void> = [];
    const later = <T,>(value: T) => new Promise<T>((resolve) => held.push(() => resolve(value)));
    ctx.fake.handle({
      describeSite: () => later(site({ name: 'Demo site' })),
      listJobs: () => later([job(6), job(5)]),
      listSchedules: () => later([schedule(1), schedule(2)]),
      catalogTargets: () => later([targetSummary('/pictures')]),
    });
    void stores.site.load();
    void stores.jobs.load();
    void stores.schedules.load();
    void stores.catalog.load();
    otherSite(ctx);
    ctx.fake.handle({ describeSite: () => ctx.state.view });
    ctx.fake.emit('site', { reason: 'opened', dir: '/srv/other', name: 'Other site' });
    await settle();
    expect(stores.jobs.jobs.map((j) => j.id)).toEqual([1]);
    for (const answer of held.splice(0)) answer();
    await settle();
    expect(stores.site.site!.name).toBe('Other site');
    expect(stores.jobs.jobs.map((j) => j.id)).toEqual([1]);
    expect(stores.schedules.schedules.map((s) => s.id)).toEqual([7]);
    expect(stores.catalog.targets.map((t) => t.target)).toEqual(['X:']);
  });

  it('after a config saved elsewhere: the same site\'s job stays open and the basket stays, its plan goes', async () => {
    const ctx = await loadEverything();
    const { stores } = ctx;
    const jobReads = countOf(ctx, 'getJob');
    ctx.fake.emit('site', { reason: 'config-saved', dir: '/tmp/demo', name: 'Demo site' });
    await settle();
    expect(stores.nav.route).toEqual({ view: 'jobs', param: '6' });
    expect(stores.jobPage.jobId).toBe(6);
    expect(countOf(ctx, 'getJob')).toBe(jobReads + 1);
    expect(stores.restore.items).toHaveLength(1);
    expect(stores.restore.planned).toBeNull();
    expect(stores.verify.verifications).toHaveLength(1);
    expect(stores.site.generation).toBe(1);
  });

  it('keeps a draft when another client saves the config, and drops it when another site is opened', async () => {
    const ctx = await loadEverything();
    const { config } = ctx.stores;
    config.change((doc) => (doc.name = 'Mine'));
    ctx.state.config = { ...ctx.state.config, name: 'Theirs' };
    ctx.fake.emit('site', { reason: 'config-saved', dir: '/tmp/demo', name: 'Theirs' });
    await settle();
    expect(config.draft!.name).toBe('Mine');
    expect(config.saved!.name).toBe('Theirs');
    expect(config.notice).toEqual({ kind: 'saved-elsewhere', name: 'Theirs' });
    // Saving the draft would undo their change: it is sent with the config it began from, and refused.
    await vi.waitFor(() => expect(config.canSave).toBe(true));
    expect(await config.save()).toBe(false);
    expect(ctx.fake.inputs('saveSiteConfig').at(-1)!.base).toMatchObject({ name: 'Demo site' });
    expect(config.saveError).not.toBeNull();
    expect(ctx.state.config.name).toBe('Theirs');
    expect(config.draft!.name).toBe('Mine');

    otherSite(ctx);
    ctx.fake.emit('site', { reason: 'opened', dir: '/srv/other', name: 'Other site' });
    await settle();
    expect(config.dirty).toBe(false);
    expect(config.draft!.name).toBe('Other site');
    expect(config.notice).toEqual({ kind: 'dropped', name: 'Other site' });
  });

  it('has the shell draw its view again for the new site, with nothing of the old one on screen', async () => {
    const ctx = setupSite({ listJobs: () => [job(6, { target: '/pictures' })] });
    const wrapper = mountWith(App, ctx.pinia);
    await settle();
    expect(wrapper.find('header.top').text()).toContain('Demo site');
    const overviewReads = countOf(ctx, 'streamCapacity');

    ctx.state.view = site({ name: 'Other site', dir: '/srv/other', demo: false });
    ctx.fake.handle({ listJobs: () => [] });
    ctx.fake.emit('site', { reason: 'opened', dir: '/srv/other', name: 'Other site' });
    await settle();
    expect(wrapper.find('header.top').text()).toContain('Other site');
    expect(wrapper.find('footer.status-bar').text()).toContain('Other site');
    // The Overview was mounted again: it read what it shows from the new site.
    expect(countOf(ctx, 'streamCapacity')).toBeGreaterThan(overviewReads + 1);
    await vi.waitFor(() => expect(document.activeElement?.textContent).toBe('Overview'));
    wrapper.unmount();
  });
});
