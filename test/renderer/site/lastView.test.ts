// The view the operator was in, remembered across restarts (localStorage): started without a
// route in its address the console opens there, with the job that was open; a route in the
// address wins; what was open in a view of another site is not opened in this one.
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../../renderer/src/App.vue';
import { LAST_VIEW_STORAGE_KEY } from '../../../renderer/src/stores/lastView';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { site } from '../fixtures';
import { mountWith, settle } from '../mount';
import { setupSite } from './siteFake';

afterEach(() => {
  window.location.hash = '';
  localStorage.clear();
  document.body.innerHTML = '';
});

async function start(hash = '', dir = '/tmp/demo') {
  window.location.hash = hash;
  const ctx = setupSite();
  ctx.state.view = site({ dir });
  const wrapper = mountWith(App, ctx.pinia);
  await settle();
  return { ...ctx, wrapper, nav: useNavStore() };
}

describe('the last view', () => {
  it('is remembered, with what was open in it, and opened when the console starts without a route', async () => {
    const first = await start();
    expect(first.nav.view).toBe('overview');
    first.nav.go('jobs', 6);
    await settle();
    expect(JSON.parse(localStorage.getItem(LAST_VIEW_STORAGE_KEY)!)).toEqual({ view: 'jobs', param: '6', dir: '/tmp/demo' });
    first.wrapper.unmount();

    const again = await start();
    expect(again.nav.route).toEqual({ view: 'jobs', param: '6' });
    expect(window.location.hash).toBe('#/jobs/6');
    expect(again.wrapper.find('h1').text()).toContain('Job 6');
    again.wrapper.unmount();
  });

  it('gives way to a route in the address', async () => {
    localStorage.setItem(LAST_VIEW_STORAGE_KEY, JSON.stringify({ view: 'jobs', param: '6', dir: '/tmp/demo' }));
    const { nav, wrapper } = await start('#/log');
    expect(nav.route).toEqual({ view: 'log', param: null });
    expect(wrapper.find('h1').text()).toBe('Event log');
    // And the address's route is the one remembered now.
    expect(JSON.parse(localStorage.getItem(LAST_VIEW_STORAGE_KEY)!)).toMatchObject({ view: 'log', param: null });
    wrapper.unmount();
  });

  it('opens the view without what was open in it when the site is another one', async () => {
    localStorage.setItem(LAST_VIEW_STORAGE_KEY, JSON.stringify({ view: 'jobs', param: '6', dir: '/srv/elsewhere' }));
    const { nav, wrapper } = await start();
    expect(nav.route).toEqual({ view: 'jobs', param: null });
    expect(JSON.parse(localStorage.getItem(LAST_VIEW_STORAGE_KEY)!)).toEqual({ view: 'jobs', param: null, dir: '/tmp/demo' });
    wrapper.unmount();
  });

  it('ignores what it cannot read', async () => {
    localStorage.setItem(LAST_VIEW_STORAGE_KEY, '{"view":"nowhere"');
    const { nav, wrapper } = await start();
    expect(nav.route).toEqual({ view: 'overview', param: null });
    wrapper.unmount();
  });
});
