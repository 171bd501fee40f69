// The SAN view against a fake engine: every device drawn with its state in words and a badge
// (and changed in place by device events); pins and excludes clicked on the graph become the
// StreamRequest's constraints, each change checked with planStreams; the engine's reason for an
// impossible plan and its refusal of a request shown; "Run backup with this plan" starting the
// job with those constraints and its streams then drawn live (a failover job's too); zones as
// an overlay; fault injection only on demo sites; keyboard use of the graph.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type BackupApi, type SiteView } from '../../../engine/contract';
import type * as Client from '../../../renderer/src/api/client';
import SanView from '../../../renderer/src/san/SanView.vue';
import { demoLikeSite, fakeApi, runningBackup, testI18n, type FakeApi } from './fixtures';

let current: FakeApi;
vi.mock('../../../renderer/src/api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof Client>()),
  useApi: () => current.api,
}));

let wrapper: VueWrapper | null = null;
let missing: string[] = [];

async function open(site: SiteView, methods: Parameters<typeof fakeApi>[1] = {}) {
  current = fakeApi(site, methods);
  setActivePinia(createPinia());
  const i18n = testI18n();
  missing = i18n.missing;
  wrapper = mount(SanView, { attachTo: document.body, global: { plugins: [i18n.i18n] } });
  await flushPromises();
  return { view: wrapper, api: current.api, emit: current.emit };
}

function node(id: string): Element {
  const found = document.querySelector(`.san-graph .node[aria-label*="(${id})"]`);
  if (!found) throw new Error(`no node for ${id}`);
  return found;
}

const text = (el: Element, selector: string) => el.querySelector(selector)?.textContent ?? '';
const lastPlan = (api: BackupApi) => vi.mocked(api.planStreams).mock.lastCall?.[0];

async function click(el: Element) {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  await flushPromises();
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  expect(missing).toEqual([]);
});

describe('the SAN view', () => {
  it('draws every device as a node in its layer, its state in words and as a badge', async () => {
    const site = demoLikeSite();
    site.devices.find((d) => d.id === 'server-A')!.state = 'in-use';
    site.devices.find((d) => d.id === 'server-A')!.holder = { jobId: 3, stream: 0 };
    site.devices.find((d) => d.id === 'library-C')!.state = 'unavailable';
    await open(site);

    expect(document.querySelectorAll('.san-graph .node')).toHaveLength(site.devices.length);
    expect([...document.querySelectorAll('.san-graph .layer-title')].map((t) => t.textContent)).toEqual(['Hosts and storage', 'FC switches', 'Backup servers and copy devices', 'Tape libraries']);

    const busy = node('server-A');
    expect(text(busy, '.name')).toBe('Backup server A');
    expect(text(busy, '.state')).toBe('in use: job 3, stream 0');
    expect(busy.querySelector('.badge')!.getAttribute('href')).toBe('#san-badge-in-use');
    expect(busy.getAttribute('class')).toContain('held s-0');
    expect(busy.getAttribute('aria-label')).toBe('Backup server Backup server A (server-A), in use: job 3, stream 0');
    expect(node('server-A').querySelector('use.icon')!.getAttribute('href')).toBe('#san-icon-backup-server');

    const down = node('library-C');
    expect(text(down, '.state')).toBe('unavailable');
    expect(down.querySelector('.badge')!.getAttribute('href')).toBe('#san-badge-unavailable');
    expect(text(node('switch-4'), '.state')).toBe('available');
    expect(node('switch-4').querySelector('.badge')!.getAttribute('href')).toBe('#san-badge-available');
    expect(document.querySelector('.san-head')!.textContent).toContain('15 devices: 13 available, 1 in use, 1 unavailable');
  });

  it('changes a node in place when the engine reports a device event', async () => {
    const { emit } = await open(demoLikeSite());
    const before = node('server-B');
    emit('device', { id: 'server-B', state: 'in-use', holder: { jobId: 9, stream: 1 } });
    await flushPromises();
    expect(node('server-B')).toBe(before);
    expect(text(before, '.state')).toBe('in use: job 9, stream 1');
    expect(before.getAttribute('class')).toContain('held s-1');
    emit('device', { id: 'server-B', state: 'unavailable', holder: null });
    await flushPromises();
    expect(text(before, '.state')).toBe('unavailable');
    expect(before.getAttribute('class')).not.toContain('held');
  });

  it('pins and excludes devices per stream by clicking on the graph, checking every change with planStreams', async () => {
    const { view, api } = await open(demoLikeSite());
    expect(lastPlan(api)).toEqual({ streams: 2, mover: 'backup-server', storage: 'storage-1', constraints: [] });

    await view.find('input[name="san-tool"][value="pin"]').setValue();
    await view.find('select[data-test="tool-stream"]').setValue('1');
    await click(node('server-B'));
    expect(lastPlan(api)).toEqual({
      streams: 2,
      mover: 'backup-server',
      storage: 'storage-1',
      constraints: [
        { pin: [], exclude: [] },
        { pin: ['server-B'], exclude: [] },
      ],
    });
    expect([...document.querySelectorAll('.san-graph .mark text')].map((t) => t.textContent)).toEqual(['S1 pin']);
    expect(text(node('server-B'), '.name')).toBe('Backup server B');
    expect(node('server-B').getAttribute('aria-label')).toContain('pinned to stream 1');

    await view.find('input[name="san-tool"][value="exclude"]').setValue();
    await view.find('select[data-test="tool-stream"]').setValue('all');
    await click(node('switch-4'));
    expect(lastPlan(api)!.constraints).toEqual([
      { pin: [], exclude: ['switch-4'] },
      { pin: ['server-B'], exclude: ['switch-4'] },
    ]);

    // A second click on the same device with the same tool takes the choice back.
    await click(node('switch-4'));
    expect(lastPlan(api)!.constraints).toEqual([
      { pin: [], exclude: [] },
      { pin: ['server-B'], exclude: [] },
    ]);

    // Hosts and storage are not part of a stream's choice: nothing is asked, the view says why.
    const calls = vi.mocked(api.planStreams).mock.calls.length;
    await click(node('host-1'));
    expect(vi.mocked(api.planStreams).mock.calls.length).toBe(calls);
    expect(view.find('.san-announce').text()).toContain('Application host is a Host');

    await view.find('input[name="san-mode"][value="failover"]').setValue();
    await view.find('input[name="san-streams"][value="3"]').setValue();
    await flushPromises();
    expect(lastPlan(api)).toMatchObject({ streams: 3, mover: 'copy-device' });
  });

  it('pins a tape from a library\'s details', async () => {
    const { view, api } = await open(demoLikeSite());
    await click(node('library-B'));
    const tape = view.findAll('.san-tape').find((row) => row.text().includes('B00002'))!;
    expect(tape.text()).toContain('Available');
    await tape.find('button[aria-label="Pin tape B00002 to stream 0"]').trigger('click');
    await flushPromises();
    expect(lastPlan(api)!.constraints).toEqual([{ pin: ['B00002'], exclude: [] }]);
    expect([...document.querySelectorAll('.san-graph .mark text')].map((t) => t.textContent)).toEqual(['S0 tape']);
  });

  it('draws the streams a plan would reserve, and shows the engine\'s reason when it is impossible', async () => {
    const reason = 'only 1 independent stream (2 needed): library-B is unavailable';
    const { view, api } = await open(demoLikeSite());
    expect(document.querySelectorAll('.san-graph .route.planned')).toHaveLength(2);
    expect(view.find('.san-plan-result').text()).toContain('2 independent streams can be reserved now.');
    expect(view.find('[data-test="run"]').attributes('disabled')).toBeUndefined();

    vi.mocked(api.planStreams).mockResolvedValueOnce({ feasible: false, reason, streams: [] });
    await view.find('input[name="san-streams"][value="3"]').setValue();
    await flushPromises();
    expect(view.find('[data-test="plan-reason"]').text()).toBe(`✕ Not possible: ${reason}`);
    expect(view.find('[data-test="run"]').attributes('disabled')).toBeDefined();
    expect(document.querySelectorAll('.san-graph .route')).toHaveLength(0);

    vi.mocked(api.planStreams).mockRejectedValueOnce(new ApiError('bad-request', 'server-B is pinned to streams 0 and 1; a device serves one stream'));
    await view.find('input[name="san-streams"][value="4"]').setValue();
    await flushPromises();
    expect(view.find('.san-plan-result [role="alert"]').text()).toBe('The engine refused this choice: server-B is pinned to streams 0 and 1; a device serves one stream');
    expect(view.find('[data-test="run"]').attributes('disabled')).toBeDefined();
  });

  it('runs the backup with the plan\'s constraints, then draws the job\'s streams live', async () => {
    const { view, api, emit } = await open(demoLikeSite());
    await click(node('library-B'));
    await view.find('.san-detail-side').findAll('button').find((b) => b.text() === 'Exclude from every stream')!.trigger('click');
    await flushPromises();
    await view.find('[data-test="run"]').trigger('click');
    await flushPromises();

    expect(api.startBackup).toHaveBeenCalledWith({
      target: 'X:',
      mode: 'mirrored',
      streams: 2,
      constraints: [
        { pin: [], exclude: ['library-B'] },
        { pin: [], exclude: ['library-B'] },
      ],
    });
    expect(api.getBackupJob).toHaveBeenCalledWith({ jobId: 7 });
    expect(view.find('.san-plan-result').text()).toContain('Job 7 started with this plan.');
    expect(view.find('[data-test="run"]').attributes('disabled')).toBeDefined();
    expect(document.querySelectorAll('.san-graph .route.planned')).toHaveLength(0);
    expect([...document.querySelectorAll('.san-graph .route.live')].map((r) => r.getAttribute('data-route'))).toEqual(['job-7-0', 'job-7-1']);

    emit('job', {
      type: 'progress',
      jobId: 7,
      size: 200_000_000,
      streams: [
        { stream: 0, bytes: 100_000_000, chunks: 12, throughput: 85_200_000 },
        { stream: 1, bytes: 50_000_000, chunks: 6, throughput: 42_000_000 },
      ],
    });
    await flushPromises();
    expect(text(node('server-A'), '.detail')).toBe('85.2 MB/s');
    expect(text(node('server-B'), '.detail')).toBe('42 MB/s');
    expect(text(node('library-A'), '.detail')).toBe('tape A00001');
    const live = view.find('.san-live');
    expect(live.text()).toContain('Job 7: X:');
    expect(live.text()).toContain('100 MB of 200 MB (50%) · 85.2 MB/s');

    vi.mocked(api.getBackupJob).mockResolvedValue(runningBackup(7, [{ status: 'failed', error: 'server-A crashed' }, { status: 'running' }]));
    emit('job', { type: 'stream-failed', jobId: 7, stream: 0, device: 'server-A', cause: 'the mover crashed' });
    await flushPromises();
    expect(document.querySelector('.san-graph .route[data-route="job-7-0"]')!.getAttribute('class')).toContain('failed');
    expect(text(node('server-A'), '.detail')).toBe('stream failed');
    expect(live.text()).toContain('Failed: server-A: the mover crashed');

    vi.mocked(api.getBackupJob).mockResolvedValue(runningBackup(7, [{ status: 'failed' }, { status: 'completed' }]));
    emit('job', { type: 'job-finished', jobId: 7, state: 'succeeded-degraded', backupId: 1, message: 'one copy is complete' });
    await flushPromises();
    expect(document.querySelectorAll('.san-graph .route')).toHaveLength(0);
    expect(live.text()).toContain('Degraded');
    expect(live.text()).toContain('one copy is complete');
  });

  it('shows a failover job\'s streams writing one after the other, and its progress as one', async () => {
    const failover = runningBackup(5, [{ mover: 'copy-A', status: 'reserved' }, { mover: 'copy-B', status: 'unused' }]);
    failover.job.mode = 'failover';
    const { view, emit } = await open(demoLikeSite(), {
      listJobs: vi.fn(async () => [failover.job]) as never,
      getBackupJob: vi.fn(async () => failover) as never,
    });
    expect(text(node('copy-A'), '.detail')).toBe('reserved, loading');
    expect(document.querySelector('.route[data-route="job-5-1"]')!.getAttribute('class')).toContain('standby');
    emit('job', { type: 'progress', jobId: 5, size: 80_000_000, streams: [{ stream: 0, bytes: 60_000_000, chunks: 7, throughput: 30_000_000 }] });
    await flushPromises();
    // Bytes written: the stream writes, whatever the job's record said when it was read.
    expect(text(node('copy-A'), '.detail')).toBe('30 MB/s');
    const live = view.find('.san-live');
    expect(live.text()).toContain('60 MB written · 30 MB/s');
    expect(live.text()).toContain('60 MB of 80 MB (75%)');
    emit('job', { type: 'failover', jobId: 5, from: 0, to: 1, chunk: 7 });
    await flushPromises();
    expect(live.text()).toContain('Failed over from stream 0 to stream 1 at chunk 7.');
  });

  it('shows the zones applied to the switches as an overlay, on request', async () => {
    const zone = { name: 'job3-stream0', jobId: 3, stream: 0, switches: ['switch-1'], members: [{ device: 'storage-1', port: 0 }, { device: 'switch-1', port: 1 }, { device: 'switch-1', port: 2 }, { device: 'server-A', port: 0 }] };
    const { view } = await open(demoLikeSite({ zones: [zone] }));
    const toggle = view.findAll('.san-toolbar button').find((b) => b.text() === 'Zones (1)')!;
    const overlay = document.querySelector<SVGGElement>('.san-graph .zones')!;
    expect(toggle.attributes('aria-pressed')).toBe('false');
    expect(overlay.style.display).toBe('none');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-pressed')).toBe('true');
    expect(overlay.style.display).toBe('');
    expect(overlay.querySelector('.zone text')!.textContent).toBe('job3-stream0');
    expect(overlay.querySelector('.zone path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('offers fault injection on a demo site and shows what the fault reached', async () => {
    const { view, api } = await open(demoLikeSite(), {
      injectFault: vi.fn(async (fault: { device: string; kind: string }) => ({ fault, reached: [{ jobId: 7, streams: [0] }, { jobId: 8, streams: [0, 1] }] })) as never,
    });
    await click(node('copy-A'));
    const details = view.find('.san-detail-side');
    expect(details.find('h2').text()).toBe('Copy device A');
    expect(details.findAll('.san-fault option').map((o) => o.text())).toEqual(['crash', 'I/O error', 'hang']);
    await details.find('.san-fault select').setValue('hang');
    await details.find('.san-fault button').trigger('click');
    await flushPromises();
    expect(api.injectFault).toHaveBeenCalledWith({ device: 'copy-A', kind: 'hang' });
    expect(details.find('[role="status"]').text()).toBe('The fault reached job 7 (stream 0); job 8 (streams 0, 1).');

    await click(node('switch-2'));
    expect(view.find('.san-fault').findAll('option').map((o) => o.text())).toEqual(['switch down']);
    await click(node('library-A'));
    expect(view.findAll('.san-tape button').filter((b) => b.text() === 'Media error')).toHaveLength(2);
    await click(node('host-1'));
    expect(view.find('.san-fault').exists()).toBe(false);
  });

  it('shows the engine\'s refusal of a fault readably', async () => {
    const { view } = await open(demoLikeSite(), { injectFault: vi.fn(async () => Promise.reject(new ApiError('conflict', 'no running job uses switch-3'))) as never });
    await click(node('switch-3'));
    await view.find('.san-fault button').trigger('click');
    await flushPromises();
    expect(view.find('.san-detail-side [role="alert"]').text()).toBe('Could not inject a fault into switch-3: no running job uses switch-3');
  });

  it('offers no fault injection on a site that is not a demo', async () => {
    const { view } = await open(demoLikeSite({ demo: false }));
    for (const id of ['copy-A', 'switch-1', 'library-A', 'storage-1']) {
      await click(node(id));
      expect(view.find('.san-detail-side h2').exists()).toBe(true);
      expect(view.find('.san-fault').exists()).toBe(false);
      expect(view.findAll('button').filter((b) => b.text() === 'Media error')).toHaveLength(0);
    }
  });

  it('marks a device unavailable from its details, and says why not while it is in use', async () => {
    const site = demoLikeSite();
    Object.assign(site.devices.find((d) => d.id === 'server-C')!, { state: 'in-use', holder: { jobId: 2, stream: 1 } });
    const { view, api } = await open(site);
    await click(node('server-A'));
    await view.find('.san-detail-side .san-actions button').trigger('click');
    await flushPromises();
    expect(api.setDeviceState).toHaveBeenCalledWith({ id: 'server-A', state: 'unavailable' });
    expect(text(node('server-A'), '.state')).toBe('unavailable');
    expect(view.find('.san-detail-side [role="status"]').text()).toBe('server-A is now unavailable.');
    expect(view.find('.san-detail-side .san-actions button').text()).toBe('Mark available');

    await click(node('server-C'));
    const button = view.find('.san-detail-side .san-actions button');
    expect(button.attributes('disabled')).toBeDefined();
    expect(view.find('.san-detail-side').text()).toContain('In use: its state can change once the job releases it.');
  });

  it('moves between nodes with the arrow keys, zooms with + and fits with 0, opens one with Enter and closes it with Escape', async () => {
    const { view } = await open(demoLikeSite());
    const first = document.querySelector('.san-graph .node[tabindex="0"]')!;
    expect(document.querySelectorAll('.san-graph .node[tabindex="0"]')).toHaveLength(1);
    (first as SVGGElement).focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await flushPromises();
    const second = document.querySelector('.san-graph .node[tabindex="0"]')!;
    expect(second).not.toBe(first);
    second.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flushPromises();
    const third = document.querySelector('.san-graph .node[tabindex="0"]')!;
    expect(third.getAttribute('aria-label')).toMatch(/^FC switch /);
    const svg = document.querySelector<SVGSVGElement>('.san-graph')!;
    // Fitted first: moving the focus may have started a pan that is still running.
    third.dispatchEvent(new KeyboardEvent('keydown', { key: '0', bubbles: true }));
    const fitted = svg.style.transform;
    third.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
    await vi.waitFor(() => expect(svg.style.transform).not.toBe(fitted));
    third.dispatchEvent(new KeyboardEvent('keydown', { key: '0', bubbles: true }));
    expect(svg.style.transform).toBe(fitted);
    third.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    expect(view.find('.san-detail-side h2').text()).toMatch(/^FC switch /);
    expect(third.getAttribute('class')).toContain('selected');
    view.find('.san-view').element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(view.find('.san-detail-side').exists()).toBe(false);
  });

  it('follows a job already running when the view opens, and stops listening when it closes', async () => {
    const { view, api } = await open(demoLikeSite(), {
      listJobs: vi.fn(async () => [runningBackup(4).job]) as never,
    });
    expect(api.getBackupJob).toHaveBeenCalledWith({ jobId: 4 });
    expect(view.find('.san-live').text()).toContain('Job 4: X:');
    expect(document.querySelectorAll('.san-graph .route.live')).toHaveLength(2);
    expect(current.listeners('job')).toBe(1);
    view.unmount();
    wrapper = null;
    expect(current.listeners('job')).toBe(0);
  });
});
