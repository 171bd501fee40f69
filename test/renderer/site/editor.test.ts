// The site config editor: the demo site's devices by kind and its links as read; an FC switch
// added and wired through the form builds the config the engine then gets, checked a moment after
// each change with the engine's problems beside their fields (and listed, each taking the focus to
// its field); fixed and saved, the site reopens with it. A device renamed takes its links along,
// one removed takes them away; tapes and volumes; a host's agent commands shown; the JSON view;
// a save refused while a job runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../engine/contract';
import SiteView from '../../../renderer/src/site/SiteView.vue';
import { useSiteStore } from '../../../renderer/src/stores/site';
import { useSiteConfigStore } from '../../../renderer/src/stores/siteConfig';
import { mountWith, settle } from '../mount';
import { setupSite } from './siteFake';

afterEach(() => {
  document.body.innerHTML = '';
});

async function mountEditor(extra: Parameters<typeof setupSite>[0] = {}) {
  const ctx = setupSite(extra);
  await useSiteStore().load();
  const wrapper = mountWith(SiteView, ctx.pinia);
  await settle();
  const config = useSiteConfigStore();
  // The config as read is checked once, with no problems.
  await vi.waitFor(() => expect(config.checked).toBe(true));
  await settle(1);
  return { ...ctx, wrapper, config };
}

describe('the site config editor', () => {
  it('shows every agent command a host runs for its targets, with a problem in one beside them', async () => {
    const ctx = setupSite({
      checkSiteConfig: () => ({ ok: false, problems: [{ path: 'devices[0].agent.X:.finish', message: 'a command needs at least the program' }] }),
    });
    const host = (ctx.state.config.devices as Record<string, unknown>[])[0]!;
    host.agent = { '/pictures': { prepare: ['/usr/local/bin/quiesce', '--db', 'pictures db'] }, 'X:': { finish: [] } };
    await useSiteStore().load();
    const wrapper = mountWith(SiteView, ctx.pinia);
    await settle();
    const config = useSiteConfigStore();
    await vi.waitFor(() => expect(config.checked).toBe(true));
    await settle(1);
    const agent = wrapper.find('[data-device-index="0"] [data-agent]');
    expect(agent.findAll('dt').map((d) => d.text())).toEqual(['/pictures', 'X:']);
    expect(agent.findAll('dd').map((d) => d.text())).toEqual(['before: /usr/local/bin/quiesce --db "pictures db"', 'after:']);
    expect(agent.text()).toContain('a command needs at least the program');
    // A host without any says so.
    delete host.agent;
    config.change((doc) => delete (doc.devices as Record<string, unknown>[])[0]!.agent);
    await settle(1);
    expect(wrapper.find('[data-device-index="0"] [data-agent]').text()).toContain('None: its targets are listed as they are');
    wrapper.unmount();
  });

  it('shows the devices by kind and the links of site.json, checked', async () => {
    const { wrapper, fake } = await mountEditor();
    expect(fake.inputs('getSiteConfig')).toHaveLength(1);
    const sections = wrapper.findAll('section.kind-section');
    expect(sections.map((s) => [s.attributes('data-kind'), s.findAll('.device').length])).toEqual([
      ['host', 1],
      ['storage', 1],
      ['switch', 4],
      ['backup-server', 3],
      ['copy-device', 3],
      ['library', 3],
    ]);
    expect(wrapper.find('section[data-kind="switch"] h3').text()).toBe('FC switches (4)');
    const libraryA = wrapper.find('[data-device-index="8"]');
    expect((libraryA.find('input[data-path="devices[8].id"]').element as HTMLInputElement).value).toBe('library-A');
    expect((libraryA.find('input[data-path="devices[8].dir"]').element as HTMLInputElement).value).toBe('libraries/a');
    expect(libraryA.findAll('.tape')).toHaveLength(8);
    expect(libraryA.text()).toContain('= 256 MiB');
    expect((wrapper.find('input[data-path="devices[1].volumes.X:"]').element as HTMLInputElement).value).toBe('X:');
    expect(wrapper.findAll('tr[data-link]')).toHaveLength(24);
    const first = wrapper.find('tr[data-link="0"]');
    expect((first.find('[data-end="links[0].a"] select[data-part="device"]').element as HTMLSelectElement).value).toBe('host-1');
    expect((first.find('[data-end="links[0].a"] select[data-part="port"]').element as HTMLSelectElement).value).toBe('0');
    expect(wrapper.find('[data-check-state]').text()).toBe('No problems');
    expect(wrapper.find('[data-save-state]').text()).toBe('No unsaved changes');
    expect(wrapper.find('[data-save]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('adds an FC switch and a link, shows the engine\'s problem at the bad port, and saves the fixed config', async () => {
    const { wrapper, fake, state, config } = await mountEditor();
    await wrapper.find('[data-add-kind="switch"]').trigger('click');
    await settle(1);
    const added = wrapper.find('[data-device-index="15"]');
    expect((added.find('input[data-path="devices[15].id"]').element as HTMLInputElement).value).toBe('switch-5');
    expect(document.activeElement).toBe(added.find('input[data-path="devices[15].id"]').element);
    expect(wrapper.find('section[data-kind="switch"] h3').text()).toBe('FC switches (5)');

    await wrapper.find('[data-add-link]').trigger('click');
    await settle(1);
    const row = () => wrapper.find('tr[data-link="24"]');
    expect(document.activeElement).toBe(row().find('select[data-part="device"]').element);
    await row().find('[data-end="links[24].a"] select[data-part="device"]').setValue('switch-5');
    await row().find('[data-end="links[24].b"] select[data-part="device"]').setValue('server-A');
    // The ports of server-A say where each is wired; the first is taken for want of a free one.
    const ports = row().find('[data-end="links[24].b"] select[data-part="port"]').findAll('option');
    expect(ports.map((o) => o.text())).toEqual(['Port 0 · wired at links[6].a', 'Port 1 · wired at links[7].a']);
    expect(config.draft!.links).toContainEqual({ a: 'switch-5:0', b: 'server-A:0' });
    expect(wrapper.find('[data-save-state]').text()).toBe('Unsaved changes');

    await vi.waitFor(() => expect(wrapper.find('[data-problems="links[24].b"]').exists()).toBe(true));
    expect(wrapper.find('[data-problems="links[24].b"]').text()).toBe('port server-A:0 is already wired at links[6].a');
    const bEnd = row().find('[data-end="links[24].b"] select[data-part="device"]');
    expect(bEnd.attributes('aria-invalid')).toBe('true');
    expect(bEnd.attributes('aria-describedby')).toBe('cfg-links-24-b-problem');
    expect(wrapper.find('[data-check-state]').text()).toBe('1 problem');
    expect(wrapper.find('[data-save]').attributes('disabled')).toBeDefined();
    // The engine was asked about the draft as it was then, a moment after the last change.
    const asked = fake.inputs('checkSiteConfig').at(-1)!.config as { devices: unknown[]; links: unknown[] };
    expect(asked.devices).toHaveLength(16);
    expect(asked.devices[15]).toEqual({ kind: 'switch', id: 'switch-5', name: 'FC switch 5', ports: 8 });

    // The problem list takes the focus to the field.
    const summary = wrapper.find('.problem-summary');
    expect(summary.text()).toContain('links[24].b');
    await summary.find('button[data-reveal="links[24].b"]').trigger('click');
    await settle(1);
    expect(document.activeElement).toBe(bEnd.element);

    await bEnd.setValue('switch-1');
    expect(config.draft!.links).toContainEqual({ a: 'switch-5:0', b: 'switch-1:5' });
    await vi.waitFor(() => expect(wrapper.find('[data-check-state]').text()).toBe('No problems'));
    expect(wrapper.find('[data-problems="links[24].b"]').exists()).toBe(false);
    expect(wrapper.find('.problem-summary').exists()).toBe(false);

    await wrapper.find('[data-save]').trigger('click');
    await settle();
    expect(fake.inputs('saveSiteConfig')).toHaveLength(1);
    const written = state.config as { devices: { id: string }[]; links: unknown[] };
    expect(written.devices.map((d) => d.id)).toContain('switch-5');
    expect(written.links.at(-1)).toEqual({ a: 'switch-5:0', b: 'switch-1:5' });
    expect(fake.inputs('getSiteConfig')).toHaveLength(2);
    expect(config.dirty).toBe(false);
    expect(wrapper.find('[data-save-state]').text()).toBe('Saved; Demo site was reopened with it');
    wrapper.unmount();
  });

  it('renames a device with its links, removes one with its links, and adds tapes and volumes', async () => {
    const { wrapper, config } = await mountEditor();
    const id = wrapper.find('input[data-path="devices[2].id"]');
    (id.element as HTMLInputElement).value = 'edge-1';
    await id.trigger('input');
    // Taken when the operator is done typing it.
    expect(config.draft!.links).toContainEqual({ a: 'host-1:0', b: 'switch-1:0' });
    await id.trigger('change');
    const links = config.draft!.links as { a: string; b: string }[];
    expect(links.filter((l) => l.b.startsWith('edge-1:')).map((l) => l.b)).toEqual(['edge-1:0', 'edge-1:1', 'edge-1:2', 'edge-1:3', 'edge-1:4']);
    expect(links.some((l) => l.b.startsWith('switch-1:'))).toBe(false);

    await wrapper.find('[data-device-index="6"] button.remove').trigger('click');
    await settle(1);
    const devices = config.draft!.devices as { id: string }[];
    expect(devices.map((d) => d.id)).not.toContain('server-A');
    expect((config.draft!.links as { a: string }[]).some((l) => l.a.startsWith('server-A:'))).toBe(false);
    expect(config.draft!.links).toHaveLength(22);
    expect(wrapper.find('[aria-live="polite"]').text()).toBe('Removed server-A and its 2 links.');

    // library-A is devices[7] now.
    const library = wrapper.find('[data-device-index="7"]');
    await library.find('.tapes > button').trigger('click');
    const tapes = (config.draft!.devices as { tapes?: { id: string }[] }[])[7]!.tapes!;
    expect(tapes.at(-1)).toEqual({ id: 'A00009' });
    await settle(1);
    await wrapper.find('input[data-path="devices[7].tapes[8].capacity"]').setValue('512MiB');
    expect(tapes.at(-1)).toBeDefined();
    expect((config.draft!.devices as { tapes?: unknown[] }[])[7]!.tapes!.at(-1)).toEqual({ id: 'A00009', capacity: '512MiB' });

    const storage = wrapper.find('[data-device-index="1"]');
    await storage.find('.sub > button').trigger('click');
    expect((config.draft!.devices as { volumes?: unknown }[])[1]!.volumes).toEqual({ 'X:': 'volumes/X.img', 'Y:': 'volumes/Y.img' });
    wrapper.unmount();
  });

  it('shows a problem of a field the engine refuses beside it, and one of the whole device with the device', async () => {
    const { wrapper, config } = await mountEditor();
    await wrapper.find('input[data-path="devices[3].ports"]').setValue('0');
    expect((config.draft!.devices as { ports: unknown }[])[3]!.ports).toBe(0);
    await vi.waitFor(() => expect(wrapper.find('[data-problems="devices[3].ports"]').text()).toBe('a device has at least 1 port'));
    expect(wrapper.find('input[data-path="devices[3].ports"]').attributes('aria-invalid')).toBe('true');

    await wrapper.find('input[data-path="devices[3].ports"]').setValue('16');
    await wrapper.find('input[data-path="devices[0].name"]').setValue('');
    await vi.waitFor(() => expect(wrapper.find('[data-problems="devices[0].name"]').text()).toBe('a name cannot be empty'));
    expect(wrapper.find('[data-problems="devices[3].ports"]').exists()).toBe(false);

    // A kind the site does not know: the device is listed apart, the problem with it as a whole.
    config.change((doc) => ((doc.devices as { kind: string }[])[0]!.kind = 'router'));
    await vi.waitFor(() => expect(wrapper.find('[data-problems="devices[0]"]').exists()).toBe(true));
    expect(wrapper.find('[data-problems="devices[0]"]').text()).toContain('Invalid discriminator value');
    expect(wrapper.find('#kind-unknown').text()).toBe('Devices of an unknown kind');
    expect(wrapper.find('.problem-summary').text()).toContain('devices[0].kind');
    wrapper.unmount();
  });

  it('edits the config as JSON: text that is no JSON is said so and cannot be saved; JSON becomes the draft', async () => {
    const { wrapper, config } = await mountEditor();
    await wrapper.find('input[data-mode="json"]').trigger('change');
    const text = wrapper.find('textarea');
    expect(JSON.parse((text.element as HTMLTextAreaElement).value)).toEqual(config.saved);

    await text.setValue('{ "format": ');
    expect(wrapper.find('#site-raw-problem').text()).toMatch(/^Not valid JSON: /);
    expect(wrapper.find('[data-check-state]').text()).toBe('Not valid JSON');
    expect(wrapper.find('[data-save]').attributes('disabled')).toBeDefined();

    const edited = { ...config.saved!, name: 'Main site', extra: true };
    await text.setValue(JSON.stringify(edited));
    expect(config.draft).toEqual(edited);
    await vi.waitFor(() => expect(wrapper.find('.problem-summary').exists()).toBe(true));
    expect(wrapper.find('.problem-summary').text()).toContain('(the whole config)');

    await wrapper.find('[data-discard]').trigger('click');
    expect(config.draft).toEqual(config.saved);
    expect(config.dirty).toBe(false);
    wrapper.unmount();
  });

  it('says in words why the engine refused to save while a job runs, and keeps the changes', async () => {
    const { wrapper, config } = await mountEditor({
      saveSiteConfig: () => Promise.reject(new ApiError('conflict', "cannot change the site's devices and wiring now: job 12 is running")),
    });
    await wrapper.find('input[data-path="name"]').setValue('Main site');
    await vi.waitFor(() => expect(config.canSave).toBe(true));
    await wrapper.find('[data-save]').trigger('click');
    await settle();
    expect(wrapper.find('[role="alert"]').text()).toContain("Could not save the site config: cannot change the site's devices and wiring now: job 12 is running");
    expect(config.dirty).toBe(true);
    expect(config.draft!.name).toBe('Main site');
    wrapper.unmount();
  });
});
