// The Inventory: libraries with their tapes (fill, full, the backups each holds), the other
// devices by kind; states changed through the engine (its refusal shown in words); a tape
// labelled with its input checked first.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../engine/contract';
import InventoryView from '../../../renderer/src/inventory/InventoryView.vue';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { backupSummary, site, tape, targetSummary } from '../fixtures';
import { mountWith, settle, setup } from '../mount';

afterEach(() => {
  document.body.innerHTML = '';
});

async function mountInventory() {
  const ctx = setup({
    describeSite: () => site(),
    streamCapacity: () => ({ mirrored: 2, failover: 2 }),
    catalogTargets: () => [targetSummary('/pictures', 2)],
    catalogBackups: () => [backupSummary(2, 20, { tapes: ['A00001'] }), backupSummary(1, 10, { tapes: ['A00001', 'B00002'] })],
    setDeviceState: ({ id, state }) => ({ id, state, holder: null }),
  });
  await useSiteStore().load();
  const wrapper = mountWith(InventoryView, ctx.pinia);
  await settle();
  return { ...ctx, wrapper };
}

describe('the inventory', () => {
  it('lists each library\'s tapes with state, fill and the backups on them', async () => {
    const { wrapper } = await mountInventory();
    const libraries = wrapper.findAll('section.library');
    expect(libraries.map((l) => l.attributes('data-library'))).toEqual(['library-A', 'library-B']);
    const a1 = wrapper.find('tr[data-tape="A00001"]');
    expect(a1.text()).toContain('Available');
    expect(a1.text()).toContain('12 MiB / 256 MiB');
    expect(a1.findAll('.held a').map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['/pictures #2', '#/jobs/20'],
      ['/pictures #1', '#/jobs/10'],
    ]);
    expect(wrapper.find('tr[data-tape="A00002"] .held').text()).toBe('none');
    const b1 = wrapper.find('tr[data-tape="B00001"]');
    expect(b1.text()).toContain('Full');
    expect(b1.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('100');
    expect(wrapper.findAll('table.devices tbody').map((g) => g.attributes('data-kind'))).toEqual(['backup-server', 'copy-device', 'switch', 'storage', 'host']);
    expect(wrapper.find('tbody[data-kind="switch"] tr.group').text()).toBe('FC switches (2)');
    expect(wrapper.find('tr[data-device="switch-2"]').text()).toContain('Unavailable');
    wrapper.unmount();
  });

  it('follows reservations live: a held tape or device says by which job and stream, with a link to it', async () => {
    const { wrapper, fake } = await mountInventory();
    fake.emit('device', { id: 'A00002', state: 'in-use', holder: { jobId: 4, stream: 1 } });
    fake.emit('device', { id: 'copy-B', state: 'in-use', holder: { jobId: 4, stream: 1 } });
    await settle(1);
    for (const row of [wrapper.find('tr[data-tape="A00002"]'), wrapper.find('tr[data-device="copy-B"]')]) {
      expect(row.find('.badge').text()).toBe('In use');
      expect(row.find('.state a').text()).toBe('job 4, stream 1');
      expect(row.find('.state a').attributes('href')).toBe('#/jobs/4');
    }
    fake.emit('device', { id: 'A00002', state: 'available', holder: null });
    await settle(1);
    expect(wrapper.find('tr[data-tape="A00002"] .state a').exists()).toBe(false);
    wrapper.unmount();
  });

  it('sets a device unavailable and available again, and says why when the engine refuses', async () => {
    const { wrapper, fake } = await mountInventory();
    const button = () => wrapper.find('tr[data-device="server-A"] button');
    expect(button().attributes('aria-label')).toBe('Set server-A unavailable');
    await button().trigger('click');
    await settle();
    expect(fake.inputs('setDeviceState')).toEqual([{ id: 'server-A', state: 'unavailable' }]);
    expect(wrapper.find('tr[data-device="server-A"]').text()).toContain('Unavailable');
    expect(button().text()).toBe('Set available');

    fake.handle({ setDeviceState: () => Promise.reject(new ApiError('conflict', 'switch-2 is in use by job 3')) });
    await wrapper.find('tr[data-device="switch-2"] button').trigger('click');
    await settle();
    const alert = wrapper.find('[role="alert"]');
    expect(alert.text()).toContain('Could not mark switch-2 available: switch-2 is in use by job 3');
    await alert.findAll('button').at(-1)!.trigger('click');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('labels a new tape, refusing a malformed id or capacity before asking the engine', async () => {
    const { wrapper, fake } = await mountInventory();
    fake.handle({ labelTape: ({ library, tape: id }) => tape(id ?? `${library}-next`) });
    const form = wrapper.find('section[data-library="library-A"] form.label-tape');
    const [idInput, capacityInput] = form.findAll('input');
    await capacityInput!.setValue('lots');
    expect(form.text()).toContain('A capacity is a size such as 512MiB or 1GiB.');
    expect(form.find('button').attributes('disabled')).toBeDefined();
    await idInput!.setValue('-bad');
    expect(form.text()).toContain('A tape id is letters');
    await form.trigger('submit');
    expect(fake.inputs('labelTape')).toEqual([]);

    await idInput!.setValue('A00099');
    await capacityInput!.setValue('512MiB');
    await form.trigger('submit');
    await settle();
    expect(fake.inputs('labelTape')).toEqual([{ library: 'library-A', tape: 'A00099', capacity: 512 * 2 ** 20 }]);
    expect(form.find('[role="status"]').text()).toBe('Tape A00099 is labelled in library-A.');
    expect(wrapper.find('tr[data-tape="A00099"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
