// Filling the restore basket: several entries dragged from the tree at once (HTML5 drag and drop
// with a DataTransfer), Ctrl- and Shift-click to select them; the context menu by right click
// and by the context-menu key; entries of another backup held back until the operator says;
// what is inside a folder already in the basket adds nothing; removing entries; the search by
// name, its hits added by button or by dragging. And the basket's rules on their own.
import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import { addToBasket, destinationProblem } from '../../../renderer/src/restore/basket';
import { PICKS_MIME } from '../../../renderer/src/restore/picks';
import RestoreView from '../../../renderer/src/restore/RestoreView.vue';
import { useRestoreStore } from '../../../renderer/src/stores/restore';
import { mountWith, settle, setup } from '../mount';
import { restoreHandlers } from './catalogFake';
import { drag } from './dragEvents';

afterEach(() => {
  document.body.innerHTML = '';
});

async function mountRestore() {
  const ctx = setup(restoreHandlers());
  const wrapper = mountWith(RestoreView, ctx.pinia);
  await settle();
  return { ...ctx, wrapper };
}

async function open(wrapper: VueWrapper, selector: string): Promise<void> {
  await wrapper.find(`${selector} [data-toggle]`).trigger('click');
  await settle();
}

const basketPaths = () => useRestoreStore().items.map((i) => i.path);

describe('the restore basket', () => {
  it('takes several entries dragged from the tree at once, selected with Ctrl- and Shift-click', async () => {
    const { wrapper } = await mountRestore();
    await open(wrapper, 'tr[data-backup="2"]');
    await open(wrapper, 'tr[data-path="2024"]');
    await wrapper.find('tr[data-path="2024/a.jpg"]').trigger('click');
    await wrapper.find('tr[data-path="2024/c.jpg"]').trigger('click', { shiftKey: true });
    await wrapper.find('tr[data-path="big"]').trigger('click', { ctrlKey: true });
    await wrapper.find('tr[data-path="2024/b.jpg"]').trigger('click', { ctrlKey: true });
    expect(wrapper.findAll('tr[aria-selected="true"]').map((r) => r.attributes('data-path'))).toEqual(['2024/a.jpg', '2024/c.jpg', 'big']);

    const transfer = new DataTransfer();
    const images: Element[] = [];
    // happy-dom has no drag images; several entries are dragged as a label saying how many.
    transfer.setDragImage = (image: Element) => void images.push(image);
    const start = drag(wrapper.find('tr[data-path="big"]').element, 'dragstart', transfer);
    expect(start.defaultPrevented).toBe(false);
    expect(images.map((i) => i.textContent)).toEqual(['3 entries']);
    expect(Array.from(transfer.types)).toContain(PICKS_MIME);
    expect(transfer.getData('text/plain')).toBe('2024/a.jpg\n2024/c.jpg\nbig');

    const basket = wrapper.find('[data-basket]').element;
    // Something else dragged over the basket is not taken.
    const other = new DataTransfer();
    other.setData('text/plain', 'hello');
    expect(drag(basket, 'dragover', other).defaultPrevented).toBe(false);
    expect(drag(basket, 'dragenter', transfer).defaultPrevented).toBe(true);
    expect(drag(basket, 'dragover', transfer).defaultPrevented).toBe(true);
    await settle(1);
    expect(wrapper.find('[data-basket]').classes()).toContain('over');
    drag(basket, 'drop', transfer);
    await settle(1);
    expect(basketPaths()).toEqual(['2024/a.jpg', '2024/c.jpg', 'big']);
    expect(wrapper.findAll('[data-basket] li[data-item]').map((li) => li.attributes('data-item'))).toEqual(['2024/a.jpg', '2024/c.jpg', 'big']);
    expect(wrapper.find('[data-basket]').text()).toContain('Backup 2 of /pictures');
    expect(wrapper.find('[data-basket] [aria-live]').text()).toBe('Added 3 entries to the restore.');

    // A file inside a folder of the basket adds nothing; the folder's parent takes the place of what it holds.
    const again = new DataTransfer();
    await wrapper.find('tr[data-path="2024/b.jpg"]').trigger('click');
    drag(wrapper.find('tr[data-path="2024/b.jpg"]').element, 'dragstart', again);
    drag(basket, 'drop', again);
    await settle(1);
    expect(basketPaths()).toEqual(['2024/a.jpg', '2024/c.jpg', 'big', '2024/b.jpg']);
    await wrapper.find('tr[data-path="2024"]').trigger('click');
    const parent = new DataTransfer();
    drag(wrapper.find('tr[data-path="2024"]').element, 'dragstart', parent);
    drag(basket, 'drop', parent);
    await settle(1);
    expect(basketPaths()).toEqual(['big', '2024']);

    // Removing an entry.
    await wrapper.find('[data-basket] li[data-item="big"] button').trigger('click');
    expect(basketPaths()).toEqual(['2024']);
    wrapper.unmount();
  });

  it('adds with the context menu, by right click and by the context-menu key, and gives the focus back', async () => {
    const { wrapper } = await mountRestore();
    await open(wrapper, 'tr[data-backup="2"]');
    await wrapper.find('tr[data-path="notes.txt"] td').trigger('contextmenu', { clientX: 200, clientY: 150 });
    await settle(2);
    const menu = wrapper.find('[role="menu"]');
    expect(menu.findAll('[role="menuitem"]').map((b) => b.text())).toEqual(['Add to restore']);
    expect(document.activeElement).toBe(menu.find('[role="menuitem"]').element);
    await menu.find('[data-item="add"]').trigger('click');
    await settle(2);
    expect(basketPaths()).toEqual(['notes.txt']);
    expect(wrapper.find('[role="menu"]').exists()).toBe(false);
    const grid = wrapper.find('[role="treegrid"]');
    expect(document.activeElement).toBe(grid.element);

    // The context-menu key on a folder: add it, open it; Escape closes the menu.
    await grid.trigger('keydown', { key: 'ArrowUp' });
    await grid.trigger('keydown', { key: 'ArrowUp' });
    await grid.trigger('keydown', { key: 'ContextMenu' });
    await settle(2);
    expect(wrapper.findAll('[role="menuitem"]').map((b) => b.text())).toEqual(['Add to restore', 'Open']);
    await wrapper.find('[role="menu"]').trigger('keydown', { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.item).toBe('toggle');
    await wrapper.find('[role="menu"]').trigger('keydown', { key: 'Escape' });
    await settle(2);
    expect(wrapper.find('[role="menu"]').exists()).toBe(false);
    expect(document.activeElement).toBe(grid.element);

    // Shift+F10 on a backup: the whole backup, and verifying it.
    await grid.trigger('keydown', { key: 'Home' });
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await grid.trigger('keydown', { key: 'F10', shiftKey: true });
    await settle(2);
    expect(wrapper.findAll('[role="menuitem"]').map((b) => b.text())).toEqual(['Add the whole backup to restore', 'Open', 'Verify backup 3']);
    await wrapper.find('[data-item="add"]').trigger('click');
    await settle(2);
    // Backup 3 is another backup than the basket's: held back until the operator says.
    const notice = wrapper.find('[data-mixed]');
    expect(notice.text()).toContain('A restore reads one backup: the basket holds entries of backup 2, so 1 entry of backup 3 was not added.');
    expect(basketPaths()).toEqual(['notes.txt']);
    await notice.findAll('button')[0]!.trigger('click');
    await settle(1);
    expect(useRestoreStore().backupId).toBe(3);
    expect(basketPaths()).toEqual(['']);
    expect(wrapper.find('[data-basket]').text()).toContain('The whole backup');
    expect(wrapper.find('[data-mixed]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('finds entries by name in a backup or a target, and adds the hits by button or by dragging them', async () => {
    const { wrapper, fake } = await mountRestore();
    await wrapper.find('tr[data-backup="2"]').trigger('click');
    await wrapper.find('[data-search-name]').setValue('f0000');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(fake.inputs('catalogFind')).toEqual([{ backupId: 2, name: 'f0000', limit: 200 }]);
    const hits = wrapper.findAll('li[data-hit]');
    expect(hits.map((h) => h.attributes('data-hit'))).toEqual(Array.from({ length: 10 }, (_, i) => `big/f0000${i}.raw`));
    await hits[1]!.find('input[type="checkbox"]').setValue(true);
    await hits[3]!.find('input[type="checkbox"]').setValue(true);
    const addChosen = wrapper.findAll('.results header button')[0]!;
    expect(addChosen.text()).toBe('Add chosen (2)');
    await addChosen.trigger('click');
    expect(basketPaths()).toEqual(['big/f00001.raw', 'big/f00003.raw']);
    await hits[5]!.find('button').trigger('click');
    expect(basketPaths()).toEqual(['big/f00001.raw', 'big/f00003.raw', 'big/f00005.raw']);

    // A hit dragged to the basket.
    const transfer = new DataTransfer();
    drag(hits[7]!.element, 'dragstart', transfer);
    drag(wrapper.find('[data-basket]').element, 'drop', transfer);
    expect(basketPaths()).toContain('big/f00007.raw');

    // In every backup of the target.
    await wrapper.find('[data-search-where]').setValue('target');
    await wrapper.find('[data-search-name]').setValue('NOTES');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(fake.inputs('catalogFind').at(-1)).toEqual({ target: '/pictures', name: 'NOTES', limit: 200 });
    expect(wrapper.findAll('li[data-hit]').map((h) => h.attributes('data-hit'))).toEqual(['notes.txt']);
    expect(wrapper.find('li[data-hit]').text()).toContain('backup 2');
    await wrapper.find('[data-search-name]').setValue('nothing-like-it');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(wrapper.find('.results').text()).toContain('Nothing has that in its name.');
    wrapper.unmount();
  });
});

describe('the basket rules', () => {
  const pick = (path: string, type: 'file' | 'directory' | 'backup' = 'file') => ({ backupId: 1, path, name: path, type, size: null });

  it('skip what a folder of the basket holds, and let a folder replace what it holds', () => {
    const first = addToBasket([], [pick('a/1'), pick('a/2'), pick('b', 'directory')]);
    expect(first.items.map((i) => i.path)).toEqual(['a/1', 'a/2', 'b']);
    const second = addToBasket(first.items, [pick('b/x'), pick('a', 'directory'), pick('ab')]);
    expect(second).toMatchObject({ added: 2, covered: 1 });
    expect(second.items.map((i) => i.path)).toEqual(['b', 'a', 'ab']);
    expect(addToBasket(second.items, [pick('', 'backup')]).items.map((i) => i.path)).toEqual(['']);
  });

  it('want a full path for the destination', () => {
    expect(destinationProblem('')).toBe('empty');
    expect(destinationProblem('restore/here')).toBe('relative');
    expect(destinationProblem('/srv/restore')).toBeNull();
    expect(destinationProblem('D:\\restore')).toBeNull();
  });
});
