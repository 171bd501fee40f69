// The restore browser's catalog tree: targets and their backups (data time, mode, outcome,
// copies; only restorable ones open), one directory read per folder opened, a page at a time
// as its rows come into view, only the rows in view drawn; the route opening a target; and the
// keyboard: moving, opening and closing, selecting, adding the focused entry.
import { afterEach, describe, expect, it } from 'vitest';
import type { DOMWrapper } from '@vue/test-utils';
import RestoreView from '../../../renderer/src/restore/RestoreView.vue';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { useRestoreStore } from '../../../renderer/src/stores/restore';
import { mountWith, settle, setup } from '../mount';
import { BIG_FOLDER, restoreHandlers } from './catalogFake';

afterEach(() => {
  document.body.innerHTML = '';
});

async function mountRestore() {
  const ctx = setup(restoreHandlers());
  const wrapper = mountWith(RestoreView, ctx.pinia);
  await settle();
  const grid = wrapper.find('[role="treegrid"]');
  const key = async (key: string, init: KeyboardEventInit = {}) => {
    await grid.trigger('keydown', { key, ...init });
    await settle(2);
  };
  return { ...ctx, wrapper, grid, key };
}

const rowText = (row: DOMWrapper<Element>) => row.text().replace(/\s+/g, ' ');

describe('the catalog tree', () => {
  it('shows the targets and their backups newest first, with data time, mode, outcome and copies; a failed backup cannot be opened', async () => {
    const { wrapper } = await mountRestore();
    const rows = wrapper.findAll('tbody tr[role="row"]');
    expect(rows.map((r) => r.attributes('data-kind'))).toEqual(['target', 'backup', 'backup', 'backup', 'target']);
    expect(rows[0]!.attributes('aria-expanded')).toBe('true');
    expect(rows.slice(1, 4).map((r) => r.attributes('data-backup'))).toEqual(['3', '2', '1']);
    const failover = wrapper.find('tr[data-backup="2"]');
    expect(rowText(failover)).toContain('Backup 2');
    expect(rowText(failover)).toContain('Failover');
    expect(rowText(failover)).toContain('Succeeded');
    expect(rowText(failover)).toContain('1/1 copies');
    expect(failover.find('time').attributes('datetime')).toBe('2026-12-01T07:00:02.000Z');
    expect(failover.attributes('aria-expanded')).toBe('false');
    const failed = wrapper.find('tr[data-backup="1"]');
    expect(failed.attributes('aria-disabled')).toBe('true');
    expect(failed.attributes('aria-expanded')).toBeUndefined();
    expect(failed.attributes('draggable')).toBeUndefined();
    expect(failed.find('[data-toggle]').exists()).toBe(false);
    expect(rowText(failed)).toContain('Failed');
    expect(rowText(failed)).toContain('Not restorable');

    // The route opens a target; a target without backups says so.
    useNavStore().go('restore', 'X:');
    await settle(2);
    expect(wrapper.find('tr[data-target="X:"]').attributes('aria-expanded')).toBe('true');
    expect(wrapper.text()).toContain('No backups of this target.');
    wrapper.unmount();
  });

  it('reads one directory per folder opened, a page at a time, and draws only the rows in view', async () => {
    const { wrapper, fake } = await mountRestore();
    await wrapper.find('tr[data-backup="2"] [data-toggle]').trigger('click');
    await settle();
    expect(fake.inputs('catalogList')).toEqual([{ backupId: 2, path: '', offset: 0, limit: 1000 }]);
    expect(wrapper.findAll('tr[data-path]').map((r) => r.attributes('data-path'))).toEqual(['2024', 'big', 'empty', 'notes.txt']);
    expect(rowText(wrapper.find('tr[data-path="notes.txt"]'))).toContain('Changed while read');
    expect(rowText(wrapper.find('tr[data-path="big"]'))).toContain('2,500 items');

    await wrapper.find('tr[data-path="big"] [data-toggle]').trigger('click');
    await settle();
    expect(fake.inputs('catalogList').slice(1)).toEqual([{ backupId: 2, path: 'big', offset: 0, limit: 1000 }]);
    const grid = wrapper.find('[role="treegrid"]');
    // Every row counts (the header, 5 rows above the folder's entries, its 2,500, 3 below and the other target) but few are drawn.
    expect(grid.attributes('aria-rowcount')).toBe(String(1 + 5 + BIG_FOLDER + 3 + 1));
    const drawn = wrapper.findAll('tbody tr[role="row"]').length;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(60);

    // Scrolling to the middle of the folder reads the page holding it, and only that one.
    const scroller = wrapper.find('.tree-scroll').element as HTMLElement;
    scroller.scrollTop = 1500 * 30;
    scroller.dispatchEvent(new Event('scroll'));
    await settle();
    expect(fake.inputs('catalogList').slice(2)).toEqual([{ backupId: 2, path: 'big', offset: 1000, limit: 1000 }]);
    expect(wrapper.find('tr[data-path="big/f01500.raw"]').exists()).toBe(true);
    expect(wrapper.find('tr[data-path="big/f00000.raw"]').exists()).toBe(false);
    const row = wrapper.find('tr[data-path="big/f01500.raw"]');
    expect(row.attributes('aria-posinset')).toBe('1501');
    expect(row.attributes('aria-setsize')).toBe(String(BIG_FOLDER));
    expect(row.attributes('aria-level')).toBe('4');

    // Closing and opening again reads nothing more; an empty folder says so.
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    await settle();
    await wrapper.find('tr[data-path="big"] [data-toggle]').trigger('click');
    await wrapper.find('tr[data-path="big"] [data-toggle]').trigger('click');
    await wrapper.find('tr[data-path="big"] [data-toggle]').trigger('click');
    await wrapper.find('tr[data-path="empty"] [data-toggle]').trigger('click');
    await settle();
    expect(fake.inputs('catalogList').map((i) => `${i.path}@${i.offset}`)).toEqual(['@0', 'big@0', 'big@1000', 'empty@0']);
    expect(wrapper.text()).toContain('Empty folder');
    wrapper.unmount();
  });

  it('says when a folder cannot be read, and reads it again when asked', async () => {
    const { wrapper, fake } = await mountRestore();
    let fail = true;
    const list = restoreHandlers().catalogList!;
    fake.handle({
      catalogList: (input) => {
        if (fail && input.path === '2024') throw new Error('the catalog is locked');
        return list(input);
      },
    });
    await wrapper.find('tr[data-backup="2"] [data-toggle]').trigger('click');
    await settle();
    await wrapper.find('tr[data-path="2024"] [data-toggle]').trigger('click');
    await settle();
    expect(wrapper.text()).toContain('Could not list 2024 of backup 2: the catalog is locked');
    fail = false;
    await wrapper.find('tr[data-kind="note"] button').trigger('click');
    await settle();
    expect(wrapper.findAll('tr[data-path^="2024/"]')).toHaveLength(3);
    wrapper.unmount();
  });

  it('works by keyboard: arrows move, open and close, Shift extends, Ctrl+Space toggles, Escape empties, Space and Enter add', async () => {
    const { wrapper, grid, key } = await mountRestore();
    await grid.trigger('focus');
    await settle(1);
    const active = () => wrapper.find('tr.active');
    expect(active().attributes('data-target')).toBe('/pictures');
    expect(grid.attributes('aria-activedescendant')).toBe(active().attributes('id'));

    await key('ArrowDown');
    await key('ArrowDown');
    expect(active().attributes('data-backup')).toBe('2');
    await key('ArrowRight');
    expect(wrapper.find('tr[data-backup="2"]').attributes('aria-expanded')).toBe('true');
    await key('ArrowRight');
    expect(active().attributes('data-path')).toBe('2024');
    await key('ArrowRight');
    await key('ArrowRight');
    expect(active().attributes('data-path')).toBe('2024/a.jpg');
    expect(active().attributes('aria-selected')).toBe('true');

    // Space adds the focused entry; Shift+↓ extends the selection and Enter adds it.
    await key(' ');
    const restore = useRestoreStore();
    expect(restore.items.map((i) => i.path)).toEqual(['2024/a.jpg']);
    expect(wrapper.find('tr[data-path="2024/a.jpg"]').text()).toContain('in restore');
    await key('ArrowDown', { shiftKey: true });
    await key('ArrowDown', { shiftKey: true });
    expect(wrapper.findAll('tr[aria-selected="true"]').map((r) => r.attributes('data-path'))).toEqual(['2024/a.jpg', '2024/b.jpg', '2024/c.jpg']);
    await key('Enter');
    expect(restore.items.map((i) => i.path)).toEqual(['2024/a.jpg', '2024/b.jpg', '2024/c.jpg']);

    // Ctrl+↑ moves the focus alone; Ctrl+Space takes a row out of the selection.
    await key('ArrowUp', { ctrlKey: true });
    expect(active().attributes('data-path')).toBe('2024/b.jpg');
    await key(' ', { ctrlKey: true });
    expect(wrapper.findAll('tr[aria-selected="true"]').map((r) => r.attributes('data-path'))).toEqual(['2024/a.jpg', '2024/c.jpg']);

    // Escape empties the selection.
    await key('Escape');
    expect(wrapper.findAll('tr[aria-selected="true"]')).toHaveLength(0);
    await key(' ', { ctrlKey: true });

    // ← goes to the parent, then closes it; End goes to the last row.
    await key('ArrowLeft');
    expect(active().attributes('data-path')).toBe('2024');
    await key('ArrowLeft');
    expect(wrapper.find('tr[data-path="2024"]').attributes('aria-expanded')).toBe('false');
    expect(wrapper.find('tr[data-path="2024/a.jpg"]').exists()).toBe(false);
    await key('End');
    expect(active().attributes('data-target')).toBe('X:');
    // The focused row is outlined once the keyboard is used.
    expect(grid.classes()).toContain('keyboard');
    wrapper.unmount();
  });
});
