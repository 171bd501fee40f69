// Opening and creating a site from the Site view: the engine's calls with the folder typed (or
// chosen with the desktop's folder chooser), the console showing the new site once the engine
// says so, a refusal in words with the open site kept; and unsaved changes to the config asked
// about before leaving the view (a link, the address, the back button) or opening another site,
// and kept when that site cannot be opened.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type DesktopHost } from '../../../engine/contract';
import App from '../../../renderer/src/App.vue';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { useSiteConfigStore } from '../../../renderer/src/stores/siteConfig';
import { mountWith, settle } from '../mount';
import { setupSite } from './siteFake';

type HostWindow = Window & { desktopHost?: DesktopHost };

afterEach(() => {
  window.location.hash = '';
  localStorage.clear();
  delete (window as HostWindow).desktopHost;
  document.body.innerHTML = '';
});

async function mountSiteView(extra: Parameters<typeof setupSite>[0] = {}) {
  window.location.hash = '#/site';
  const ctx = setupSite(extra);
  const wrapper = mountWith(App, ctx.pinia);
  await settle();
  const config = useSiteConfigStore();
  await vi.waitFor(() => expect(config.checked).toBe(true));
  return { ...ctx, wrapper, config };
}

function hashTo(hash: string): void {
  window.location.hash = hash;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

describe('opening and creating a site', () => {
  it('opens the site in a folder, and the console shows it', async () => {
    const { wrapper, fake } = await mountSiteView();
    expect(wrapper.find('h1').text()).toBe('Site');
    expect(wrapper.find('[data-site-dir]').text()).toBe('/tmp/demo');
    // The browser host has no folder chooser: a path field only.
    expect(wrapper.find('[data-choose-folder]').exists()).toBe(false);

    await wrapper.find('#site-open-dir').setValue('  /srv/other  ');
    await wrapper.find('form[data-open-site]').trigger('submit');
    await settle();
    expect(fake.inputs('openSite')).toEqual([{ dir: '/srv/other' }]);
    expect(fake.inputs('describeSite')).toHaveLength(2);
    expect(wrapper.find('header.top').text()).toContain('Other site');
    expect(wrapper.find('[data-site-dir]').text()).toBe('/srv/other');
    expect(wrapper.find('[data-switched]').text()).toContain('Opened Other site (/srv/other).');
    expect(fake.inputs('getSiteConfig')).toHaveLength(2);
    wrapper.unmount();
  });

  it('creates an empty site and shows it with no devices; the demo site on request', async () => {
    const { wrapper, fake } = await mountSiteView();
    await wrapper.find('#site-create-dir').setValue('/srv/new-site');
    await wrapper.find('[data-create-name]').setValue('Branch office');
    await wrapper.find('form[data-create-site]').trigger('submit');
    await settle();
    expect(fake.inputs('createSite')).toEqual([{ dir: '/srv/new-site', demo: false, name: 'Branch office' }]);
    expect(wrapper.find('header.top').text()).toContain('Branch office');
    expect(wrapper.find('[data-switched]').text()).toContain('Created Branch office in /srv/new-site; it is open now.');
    expect(wrapper.findAll('.device')).toHaveLength(0);
    expect(wrapper.findAll('section.kind-section').map((s) => s.find('.empty').text())).toEqual(Array(6).fill('None yet.'));
    expect(wrapper.find('.links .empty').exists()).toBe(true);

    await wrapper.find('#site-create-dir').setValue('/srv/demo-2');
    await wrapper.find('input[data-create-kind="demo"]').setValue(true);
    await wrapper.find('form[data-create-site]').trigger('submit');
    await settle();
    expect(fake.inputs('createSite')[1]).toEqual({ dir: '/srv/demo-2', demo: true });
    wrapper.unmount();
  });

  it('offers the desktop\'s folder chooser in the desktop app', async () => {
    const chooseFolder = vi.fn(async () => '/home/operator/sites/main');
    const setUnsavedChanges = vi.fn(async () => {});
    (window as HostWindow).desktopHost = { chooseFolder, pathForFile: () => '', setUnsavedChanges };
    const { wrapper } = await mountSiteView();
    // The window is told whether there are unsaved changes, so that closing it asks.
    expect(setUnsavedChanges.mock.calls).toEqual([[false]]);
    await wrapper.find('input[data-path="name"]').setValue('Main site');
    await settle(1);
    expect(setUnsavedChanges.mock.calls.at(-1)).toEqual([true]);
    const buttons = wrapper.findAll('[data-choose-folder]');
    expect(buttons).toHaveLength(2);
    await buttons[0]!.trigger('click');
    await settle();
    expect(chooseFolder).toHaveBeenCalledWith({ title: 'Open a site folder' });
    expect((wrapper.find('#site-open-dir').element as HTMLInputElement).value).toBe('/home/operator/sites/main');
    useSiteConfigStore().discard();
    await settle(1);
    expect(setUnsavedChanges.mock.calls.at(-1)).toEqual([false]);
    wrapper.unmount();
  });

  it('says in words why a site could not be opened, and keeps the open one', async () => {
    const { wrapper, fake } = await mountSiteView({
      openSite: () => Promise.reject(new ApiError('bad-request', '/srv/nothing is not a site: site.json is missing')),
    });
    await wrapper.find('#site-open-dir').setValue('/srv/nothing');
    await wrapper.find('form[data-open-site]').trigger('submit');
    await settle();
    expect(wrapper.find('[role="alert"]').text()).toContain('Could not open the site in /srv/nothing: /srv/nothing is not a site: site.json is missing');
    expect(wrapper.find('[data-site-dir]').text()).toBe('/tmp/demo');
    expect(fake.inputs('describeSite')).toHaveLength(1);
    wrapper.unmount();
  });
});

describe('unsaved changes to the site config', () => {
  it('are asked about before leaving the view, and kept when the operator stays', async () => {
    const { wrapper, config } = await mountSiteView();
    const nav = useNavStore();
    await wrapper.find('input[data-path="name"]').setValue('Main site');
    expect(config.dirty).toBe(true);

    hashTo('#/jobs');
    await settle(1);
    const dialog = () => wrapper.find('[data-leave-dialog]');
    expect(dialog().exists()).toBe(true);
    expect(dialog().attributes('role')).toBe('alertdialog');
    expect(dialog().text()).toContain('Leaving the Site view discards them.');
    expect(nav.view).toBe('site');
    expect(window.location.hash).toBe('#/site');
    expect(document.activeElement).toBe(dialog().find('[data-stay]').element);

    await dialog().find('[data-stay]').trigger('click');
    await settle(1);
    expect(dialog().exists()).toBe(false);
    expect(nav.view).toBe('site');
    expect(config.draft!.name).toBe('Main site');

    // Escape is "Stay" too.
    hashTo('#/log');
    await settle(1);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle(1);
    expect(dialog().exists()).toBe(false);
    expect(nav.view).toBe('site');

    hashTo('#/jobs');
    await settle(1);
    await dialog().find('[data-discard-leave]').trigger('click');
    await settle();
    expect(nav.view).toBe('jobs');
    expect(window.location.hash).toBe('#/jobs');
    expect(config.dirty).toBe(false);
    expect(config.draft!.name).toBe('Demo site');
    wrapper.unmount();
  });

  it('include a device id being typed, not yet taken: asked about before leaving, saved by Save, gone with Discard', async () => {
    const { wrapper, config, fake, state } = await mountSiteView();
    const id = wrapper.find('input[data-path="devices[2].id"]');
    (id.element as HTMLInputElement).value = 'edge-1';
    await id.trigger('input');
    expect(config.draft!.links).toContainEqual({ a: 'host-1:0', b: 'switch-1:0' });
    expect(config.dirty).toBe(true);
    hashTo('#/jobs');
    await settle(1);
    expect(wrapper.find('[data-leave-dialog]').exists()).toBe(true);
    await wrapper.find('[data-stay]').trigger('click');
    await settle(1);
    // Save takes it (the field gives it up as the focus leaves it), checks it, then writes it.
    expect(wrapper.find('[data-save]').attributes('disabled')).toBeUndefined();
    await id.trigger('change');
    await wrapper.find('[data-save]').trigger('click');
    await vi.waitFor(() => expect(fake.inputs('saveSiteConfig')).toHaveLength(1));
    await settle();
    expect(JSON.stringify(state.config)).toContain('"a":"host-1:0","b":"edge-1:0"');
    expect(config.dirty).toBe(false);
    // Typed again and discarded: the field shows the saved id.
    (id.element as HTMLInputElement).value = 'edge-2';
    await id.trigger('input');
    expect(config.dirty).toBe(true);
    await wrapper.find('[data-discard]').trigger('click');
    await settle(1);
    expect(config.dirty).toBe(false);
    expect((wrapper.find('input[data-path="devices[2].id"]').element as HTMLInputElement).value).toBe('edge-1');
    wrapper.unmount();
  });

  it('leave without a question when there are none', async () => {
    const { wrapper } = await mountSiteView();
    hashTo('#/jobs');
    await settle();
    expect(wrapper.find('[data-leave-dialog]').exists()).toBe(false);
    expect(useNavStore().view).toBe('jobs');
    wrapper.unmount();
  });

  it('are asked about before another site is opened', async () => {
    const { wrapper, fake } = await mountSiteView();
    await wrapper.find('input[data-path="devices[0].name"]').setValue('The host');
    await wrapper.find('#site-open-dir').setValue('/srv/other');
    await wrapper.find('form[data-open-site]').trigger('submit');
    await settle(1);
    expect(wrapper.find('[data-leave-dialog]').text()).toContain('Opening another site discards them.');
    expect(fake.inputs('openSite')).toEqual([]);
    await wrapper.find('[data-discard-leave]').trigger('click');
    await settle();
    expect(fake.inputs('openSite')).toEqual([{ dir: '/srv/other' }]);
    expect(wrapper.find('[data-site-dir]').text()).toBe('/srv/other');
    wrapper.unmount();
  });

  it('are kept when the other site cannot be opened after all', async () => {
    const { wrapper, config } = await mountSiteView({
      openSite: () => Promise.reject(new ApiError('conflict', 'cannot open another site now: job 4 is running')),
    });
    await wrapper.find('input[data-path="devices[0].name"]').setValue('The host');
    await wrapper.find('#site-open-dir').setValue('/srv/other');
    await wrapper.find('form[data-open-site]').trigger('submit');
    await settle(1);
    await wrapper.find('[data-discard-leave]').trigger('click');
    await settle();
    expect(wrapper.find('[role="alert"]').text()).toContain('job 4 is running');
    expect(config.dirty).toBe(true);
    expect((config.draft!.devices as { name: string }[])[0]!.name).toBe('The host');
    expect(wrapper.find('[data-site-dir]').text()).toBe('/tmp/demo');
    wrapper.unmount();
  });
});
