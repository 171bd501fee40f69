// Navigation: hashes to routes and back (every view linkable, a job or a target open in it),
// anything unknown is the overview; the page's hash and the store stay in step both ways.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, nextTick } from 'vue';
import { useHashRoute } from '../../renderer/src/shell/useHashRoute';
import { parseRoute, routeHash, useNavStore, VIEWS } from '../../renderer/src/stores/nav';
import { setup } from './mount';

describe('navigation', () => {
  it('reads and writes routes as hashes', () => {
    expect(parseRoute('#/jobs/12')).toEqual({ view: 'jobs', param: '12' });
    expect(parseRoute('#/restore/%2Fpictures')).toEqual({ view: 'restore', param: '/pictures' });
    expect(parseRoute('#/inventory')).toEqual({ view: 'inventory', param: null });
    expect(parseRoute('')).toEqual({ view: 'overview', param: null });
    expect(parseRoute('#/nowhere/3')).toEqual({ view: 'overview', param: null });
    expect(parseRoute('#/log/%E0%A4')).toEqual({ view: 'log', param: null });
    expect(routeHash('restore', 'X:')).toBe('#/restore/X%3A');
    expect(routeHash('jobs', 12)).toBe('#/jobs/12');
    for (const view of VIEWS) expect(parseRoute(routeHash(view, 'a/b c'))).toEqual({ view, param: 'a/b c' });
  });

  it('follows the page hash and puts the route the store goes to in the address', async () => {
    const { pinia } = setup();
    window.location.hash = '#/jobs/4';
    const wrapper = mount(defineComponent({ setup: () => useHashRoute(), template: '<div />' }), { global: { plugins: [pinia] } });
    const nav = useNavStore();
    expect(nav.route).toEqual({ view: 'jobs', param: '4' });

    window.location.hash = '#/log';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(nav.view).toBe('log');

    nav.go('restore', '/movies');
    await nextTick();
    expect(window.location.hash).toBe('#/restore/%2Fmovies');
    wrapper.unmount();
    window.location.hash = '';
  });
});
