// The shell: every view reachable from the navigation (links, so keyboard and address bar work),
// the site and its alerts in the status bar, a view taking the focus to its heading, the theme
// switch, and a site that cannot be read shown as one readable alert instead of a blank page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import App from '../../../renderer/src/App.vue';
import { THEME_STORAGE_KEY } from '../../../renderer/src/stores/theme';
import { demoHandlers, job } from '../fixtures';
import { mountWith, settle, setup } from '../mount';

afterEach(() => {
  window.location.hash = '';
  localStorage.clear();
  delete document.documentElement.dataset.theme;
  document.body.innerHTML = '';
});

describe('the console shell', () => {
  it('offers every view as a link, marks the open one, and shows the site and its alerts', async () => {
    const { pinia } = setup({ ...demoHandlers(), listJobs: () => [job(3, { state: 'running', endedAt: null }), job(2, { state: 'succeeded-degraded', endedAt: new Date().toISOString() })] });
    const wrapper = mountWith(App, pinia);
    await settle();
    const links = wrapper.findAll('nav.app-nav a');
    expect(links.map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['Overview', '#/overview'],
      ['Schedule', '#/schedule'],
      ['SAN', '#/san'],
      ['Jobs', '#/jobs'],
      ['Restore', '#/restore'],
      ['Inventory', '#/inventory'],
      ['Site', '#/site'],
      ['Log', '#/log'],
    ]);
    expect(wrapper.find('[aria-current="page"]').text()).toBe('Overview');
    expect(wrapper.find('header.top').text()).toContain('Demo site');
    expect(wrapper.find('header.top').text()).toContain('Demo');

    const status = wrapper.find('footer.status-bar');
    expect(status.find('[data-status="running"]').text()).toBe('1 job running');
    expect(status.find('[data-status="problems"]').text()).toBe('1 failed or degraded job (24 h)');
    expect(status.find('[data-status="unavailable"]').text()).toBe('1 device unavailable');
    expect(status.find('[data-status="unavailable"]').attributes('href')).toBe('#/inventory');
    // Each alert says what it is in words and an icon, not by colour alone.
    expect(status.findAll('svg').length).toBe(3);
    wrapper.unmount();
  });

  it('opens the view of the address, and a new view takes the focus to its heading', async () => {
    window.location.hash = '#/inventory';
    const { pinia } = setup(demoHandlers());
    const wrapper = mountWith(App, pinia);
    await settle();
    expect(wrapper.find('h1').text()).toBe('Inventory');

    window.location.hash = '#/log';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await settle();
    expect(wrapper.find('h1').text()).toBe('Event log');
    expect(document.activeElement?.textContent).toBe('Event log');
    expect(wrapper.find('[aria-current="page"]').text()).toBe('Log');
    wrapper.unmount();
  });

  it('says in words why the site cannot be read, once, and reads it again on request', async () => {
    let fail = true;
    const { pinia } = setup({ ...demoHandlers(), describeSite: () => (fail ? Promise.reject(new ApiError('internal', 'could not connect to the engine at ws://127.0.0.1:1/api')) : demoHandlers().describeSite!(undefined)) });
    const wrapper = mountWith(App, pinia);
    await settle();
    const alerts = wrapper.findAll('[role="alert"]');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text()).toContain('Could not read the site: could not connect to the engine at ws://127.0.0.1:1/api');
    expect(wrapper.find('footer.status-bar').exists()).toBe(false);
    expect(wrapper.find('header.top').text()).toContain('Multipath Backup Manager');

    fail = false;
    await alerts[0]!.find('button').trigger('click');
    await settle();
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.find('h1').text()).toBe('Overview');
    wrapper.unmount();
  });

  it('switches the theme and remembers the choice; "System" follows the system again', async () => {
    const { pinia } = setup(demoHandlers());
    const wrapper = mountWith(App, pinia);
    await settle();
    const radios = wrapper.findAll('.theme-switch input');
    expect(radios.map((r) => (r.element as HTMLInputElement).checked)).toEqual([true, false, false]);

    await radios[2]!.trigger('change');
    await settle(1);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    await radios[0]!.trigger('change');
    await settle(1);
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    wrapper.unmount();
  });

  it('starts in the theme chosen before', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    const { pinia } = setup(demoHandlers());
    const wrapper = mountWith(App, pinia);
    await vi.waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));
    wrapper.unmount();
  });
});
