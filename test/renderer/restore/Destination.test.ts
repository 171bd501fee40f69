// The destination and the conflict policy: in the desktop app a folder chosen with the system's
// chooser (desktopHost.chooseFolder) or dropped from the file manager (desktopHost.pathForFile);
// in the browser host a plain path field, checked for a full path before the engine is asked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopHost } from '../../../engine/contract';
import DestinationField from '../../../renderer/src/restore/DestinationField.vue';
import { useRestoreStore } from '../../../renderer/src/stores/restore';
import { mountWith, settle, setup } from '../mount';
import { drag, filesTransfer } from './dragEvents';

function withDesktopHost(host: DesktopHost | undefined): void {
  Object.defineProperty(window, 'desktopHost', { value: host, configurable: true, writable: true });
}

afterEach(() => {
  withDesktopHost(undefined);
  document.body.innerHTML = '';
});

describe('the destination', () => {
  it('in the desktop app is chosen with the folder chooser or dropped from the file manager', async () => {
    const host = {
      chooseFolder: vi.fn(async () => '/home/operator/restored'),
      pathForFile: vi.fn((file: object) => ((file as File).name === 'photos' ? '/home/operator/photos' : '')),
      setUnsavedChanges: vi.fn(async () => {}),
    };
    withDesktopHost(host);
    const { pinia } = setup();
    const wrapper = mountWith(DestinationField, pinia);
    const restore = useRestoreStore();

    await wrapper.find('[data-choose-folder]').trigger('click');
    await settle();
    expect(host.chooseFolder).toHaveBeenCalledWith({ title: 'Restore into' });
    expect(restore.destination).toBe('/home/operator/restored');
    expect((wrapper.find('[data-destination]').element as HTMLInputElement).value).toBe('/home/operator/restored');

    // The chooser opens where the field points; cancelling it changes nothing.
    host.chooseFolder.mockResolvedValueOnce(null as never);
    await wrapper.find('[data-choose-folder]').trigger('click');
    await settle();
    expect(host.chooseFolder).toHaveBeenLastCalledWith({ title: 'Restore into', defaultPath: '/home/operator/restored' });
    expect(restore.destination).toBe('/home/operator/restored');

    const zone = wrapper.find('[data-destination-drop]').element;
    const folder = new File([], 'photos');
    const transfer = filesTransfer(folder);
    expect(drag(zone, 'dragover', transfer).defaultPrevented).toBe(true);
    drag(zone, 'drop', transfer);
    await settle(1);
    expect(host.pathForFile).toHaveBeenCalledWith(folder);
    expect(restore.destination).toBe('/home/operator/photos');

    // Something without a path on disk is refused, in words.
    drag(zone, 'drop', filesTransfer(new File(['x'], 'pasted.txt')));
    await settle(1);
    expect(restore.destination).toBe('/home/operator/photos');
    expect(wrapper.text()).toContain('That is not a folder on this computer');
    wrapper.unmount();
  });

  it('in the browser host is a plain path field that wants a full path; the conflict policy is chosen beside it', async () => {
    const { pinia } = setup();
    const wrapper = mountWith(DestinationField, pinia);
    const restore = useRestoreStore();
    expect(wrapper.find('[data-choose-folder]').exists()).toBe(false);
    expect(drag(wrapper.find('[data-destination-drop]').element, 'dragover', filesTransfer(new File([], 'photos'))).defaultPrevented).toBe(false);
    expect(wrapper.text()).toContain('The full path of a folder on the machine running the engine');

    const input = wrapper.find('[data-destination]');
    await input.setValue('restored/here');
    await input.trigger('blur');
    expect(wrapper.text()).toContain('The destination must be a full path, starting with /.');
    expect(input.attributes('aria-invalid')).toBe('true');
    await input.setValue('/srv/restore');
    expect(restore.destination).toBe('/srv/restore');
    expect(input.attributes('aria-invalid')).toBeUndefined();

    const radios = wrapper.findAll('input[type="radio"]');
    expect(radios.map((r) => r.attributes('value'))).toEqual(['rename', 'skip', 'overwrite']);
    expect((radios[0]!.element as HTMLInputElement).checked).toBe(true);
    await radios[1]!.setValue(true);
    expect(restore.onConflict).toBe('skip');
    expect(wrapper.find('label.chosen').text()).toContain('Skip');
    wrapper.unmount();
  });
});
