// From the basket to the restored files: the plan (tapes in load order per library with the bytes
// from each, tapes held for second tries, the fragment map with a run of chunks per tape and
// each basket entry under its chunks), out of date when the basket or policy changes; the
// restore run with its progress from job events (those sent before the start call answered
// too), cancelling it, and its report (restored, skipped, failed with reasons, renamed);
// overwriting only after confirming; verifying a backup with its report per copy.
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreResult, VerifyResult } from '../../../engine/contract';
import type { RestorePick } from '../../../renderer/src/restore/picks';
import RestoreView from '../../../renderer/src/restore/RestoreView.vue';
import { useRestoreStore } from '../../../renderer/src/stores/restore';
import { job } from '../fixtures';
import { mountWith, settle, setup } from '../mount';
import { CHUNK, restoreHandlers } from './catalogFake';

afterEach(() => {
  document.body.innerHTML = '';
});

const pick = (backupId: number, path: string, type: RestorePick['type'] = 'file'): RestorePick => ({ backupId, path, name: path, type, size: type === 'file' ? 1024 : null });

function report(jobId: number): RestoreResult {
  return {
    job: job(jobId, { kind: 'restore', mode: null, streams: 1, state: 'succeeded-degraded', message: '5 restored, 1 skipped, 1 failed' }),
    plan: null,
    destination: '/srv/restore',
    files: { restored: 5, skipped: 1, failed: 1 },
    errors: [
      { path: 'notes.txt', reason: 'exists' },
      { path: 'big/f00004.raw', reason: 'chunk 4 cannot be read from any copy: record checksum mismatch' },
    ],
    tapes: ['A00001', 'B00001'],
    chunksRead: 8,
    renamed: [{ path: '2024/a.jpg', to: '2024/a (restored 1).jpg' }],
  };
}

async function mountWithBasket(picks: RestorePick[]) {
  const ctx = setup({
    ...restoreHandlers(),
    startRestore: () => {
      // The job's first event comes before the call answers, as it may over any transport.
      queueMicrotask(() => ctx.fake.emit('job', { type: 'job-state', jobId: 41, state: 'reserving', message: null }));
      return { jobId: 41 };
    },
    getRestoreJob: ({ jobId }) => report(jobId),
    cancelJob: ({ jobId }) => job(jobId, { kind: 'restore', state: 'running' }),
  });
  const wrapper = mountWith(RestoreView, ctx.pinia);
  await settle();
  useRestoreStore().add(picks);
  await settle(1);
  await wrapper.find('[data-destination]').setValue('/srv/restore');
  return { ...ctx, wrapper };
}

describe('the restore plan', () => {
  it('shows the tapes in load order with the bytes from each, and the fragment map of the chunks into the entries', async () => {
    const { wrapper, fake } = await mountWithBasket([pick(2, '2024/a.jpg'), pick(2, 'big', 'directory'), pick(2, 'notes.txt')]);
    const plan = wrapper.find('[data-plan]');
    expect(plan.text()).toContain('Check the plan to see which tapes');
    await plan.find('[data-check-plan]').trigger('click');
    await settle();
    // One plan: it says where in the stream each basket entry lies (its selections).
    expect(fake.inputs('planRestore').map((r) => r.paths)).toEqual([['2024/a.jpg', 'big', 'notes.txt']]);
    expect(fake.inputs('planRestore')[0]).toEqual({ backupId: 2, paths: ['2024/a.jpg', 'big', 'notes.txt'], destination: '/srv/restore', onConflict: 'rename' });
    expect(fake.inputs('catalogBackup')).toEqual([{ backupId: 2 }]);
    expect(plan.text()).toContain('Up to date');

    const order = plan.findAll('table.tape-order tbody tr');
    expect(order.map((r) => r.attributes('data-tape'))).toEqual(['A00001', 'B00001']);
    const cells = (i: number) => order[i]!.findAll('td').map((td) => td.text());
    expect(cells(0)).toEqual(['library-A', '1', 'A00001', '0', '1', '256 KiB']);
    expect(cells(1)).toEqual(['library-B', '1', 'B00001', '0', '7', '1.8 MiB']);
    expect(plan.text()).toContain('The libraries read at the same time');
    expect(plan.text()).toContain('8 (2 MiB)');
    expect(plan.text()).toContain('Chunks read: 8 of 10 · tapes: 2 · copies of the backup: 1');

    // The map: chunk 0 from A00001, chunks 3-9 from B00001, chunks 1-2 not needed between them.
    const svg = plan.find('svg.fragment-svg');
    expect(svg.findAll('rect.cell.first').map((r) => r.attributes('data-tape'))).toEqual(['A00001', 'B00001']);
    expect(svg.findAll('g.gap')).toHaveLength(1);
    expect(svg.find('g.gap title').text()).toBe('2 chunks not needed');
    expect(svg.findAll('g.item').map((g) => g.attributes('data-path'))).toEqual(['2024/a.jpg', 'big', 'notes.txt']);
    expect(svg.find('g.item[data-path="big"] title').text()).toBe('big: chunks 3–8, read from B00001');
    expect(plan.findAll('.legend li[data-tape]').map((li) => li.findAll('span').map((s) => s.text()))).toEqual([
      ['A00001', 'library-A, copy 0'],
      ['B00001', 'library-B, copy 0'],
    ]);
    // The same as a table.
    expect(plan.findAll('.as-table tbody tr').map((r) => r.attributes('data-chunks'))).toEqual(['0-0', '3-9']);
    expect(plan.find('.as-table tr[data-chunks="3-9"]').text()).toContain('read from B00001 (library-B)');
    expect(plan.find('.as-table tr[data-chunks="3-9"]').text()).toContain('big, notes.txt');
    // What each basket entry brings back.
    expect(wrapper.find('[data-basket] li[data-item="big"]').text()).toContain('2 entries, 100 KiB');

    // A change makes it out of date: no run until it is checked again.
    await wrapper.findAll('input[type="radio"]')[1]!.setValue(true);
    expect(plan.text()).toContain('Out of date');
    expect(plan.find('[data-run]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('of a mirrored backup reads one copy and keeps the other for second tries', async () => {
    const { wrapper } = await mountWithBasket([pick(3, '2024', 'directory')]);
    await wrapper.find('[data-check-plan]').trigger('click');
    await settle();
    const plan = wrapper.find('[data-plan]');
    expect(plan.findAll('table.tape-order tbody tr').map((r) => r.attributes('data-tape'))).toEqual(['C00001']);
    expect(plan.find('.standby').text()).toContain('A00002 (library-A, copy 1, 3)');
    const svg = plan.find('svg.fragment-svg');
    expect(svg.findAll('.lane-names text').map((t) => t.text())).toEqual(['Copy 0', 'Copy 1', 'Chunks', 'Entries']);
    expect(svg.findAll('rect.cell.first').map((r) => r.attributes('data-tape'))).toEqual(['C00001']);
    expect(svg.findAll('rect.cell.second').map((r) => r.attributes('data-tape'))).toEqual(['A00002']);
    expect(plan.find('.legend').text()).toContain('second try if the first fails');
    wrapper.unmount();
  });

  it('says why the engine refused to plan', async () => {
    const { wrapper, fake } = await mountWithBasket([pick(2, 'notes.txt')]);
    fake.handle({
      planRestore: () => {
        throw new Error('the destination /srv/restore is not writable');
      },
    });
    await wrapper.find('[data-check-plan]').trigger('click');
    await settle();
    expect(wrapper.find('[data-plan] [role="alert"]').text()).toContain('Could not plan the restore from backup 2: the destination /srv/restore is not writable');
    wrapper.unmount();
  });
});

describe('a restore run', () => {
  it('starts from the plan, shows its progress from job events, then its report', async () => {
    const { wrapper, fake } = await mountWithBasket([pick(2, '2024/a.jpg'), pick(2, 'big', 'directory'), pick(2, 'notes.txt')]);
    await wrapper.find('[data-check-plan]').trigger('click');
    await settle();
    await wrapper.find('[data-run]').trigger('click');
    await settle();
    expect(fake.inputs('startRestore')).toEqual([{ backupId: 2, paths: ['2024/a.jpg', 'big', 'notes.txt'], destination: '/srv/restore', onConflict: 'rename' }]);
    const panel = wrapper.find('[data-restore-job]');
    expect(panel.find('h2').text()).toBe('Restore job 41');
    expect(panel.text()).toContain('Reserving');
    expect(panel.find('a').attributes('href')).toBe('#/jobs/41');
    // The basket stays as it is while the restore runs.
    expect(wrapper.find('[data-basket]').text()).toContain('The restore is running');
    expect(wrapper.find('[data-basket] li[data-item="big"] button').attributes('disabled')).toBeDefined();

    fake.emit('job', { type: 'job-state', jobId: 41, state: 'running', message: null });
    fake.emit('job', { type: 'progress', jobId: 41, size: 8 * CHUNK, streams: [{ stream: 0, bytes: 3 * CHUNK, chunks: 3, throughput: 2 * 2 ** 20 }] });
    fake.emit('log', { id: 9, at: '2026-12-01T08:00:00.000Z', level: 'info', jobId: 41, deviceId: null, message: 'reserved server-A, library-A, library-B' });
    fake.emit('job', { type: 'progress', jobId: 99, size: 1, streams: [{ stream: 0, bytes: 1, chunks: 1, throughput: 1 }] });
    await settle(1);
    expect(panel.text()).toContain('Running');
    expect(panel.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('37');
    expect(panel.text()).toContain('Read 768 KiB of 2 MiB');
    expect(panel.text()).toContain('3 chunks');
    expect(panel.text()).toContain('2.0 MiB/s');
    expect(panel.text()).toContain('reserved server-A, library-A, library-B');

    fake.emit('job', { type: 'job-finished', jobId: 41, state: 'succeeded-degraded', backupId: null, message: '5 restored, 1 skipped, 1 failed' });
    await settle();
    expect(fake.inputs('getRestoreJob')).toEqual([{ jobId: 41 }]);
    const result = wrapper.find('[data-report]');
    expect(panel.text()).toContain('Degraded');
    expect(result.text()).toContain('5 restored, 1 skipped, 1 failed, into /srv/restore.');
    expect(result.find('[data-count="restored"]').text()).toBe('Restored 5');
    expect(result.find('[data-count="skipped"]').text()).toBe('Skipped 1');
    expect(result.find('[data-count="failed"]').text()).toBe('Failed 1');
    expect(result.text()).toContain('Tapes read: A00001 → B00001 (8 chunks)');
    expect(result.find('[data-failed] tbody tr').text()).toContain('big/f00004.raw');
    expect(result.find('[data-failed] tbody tr').text()).toContain('record checksum mismatch');
    expect(result.find('[data-skipped]').text()).toContain('notes.txt');
    expect(result.find('[data-renamed] tbody tr').text()).toContain('2024/a (restored 1).jpg');
    expect(wrapper.find('[data-basket]').text()).not.toContain('The restore is running');

    await panel.find('header button').trigger('click');
    await settle(1);
    expect(wrapper.find('[data-restore-job]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('can be cancelled while it runs, and overwrites only after the operator confirms', async () => {
    const { wrapper, fake } = await mountWithBasket([pick(2, 'notes.txt')]);
    await wrapper.findAll('input[type="radio"]')[2]!.setValue(true);
    await wrapper.find('[data-check-plan]').trigger('click');
    await settle();
    expect(fake.inputs('planRestore')[0]!.onConflict).toBe('overwrite');
    await wrapper.find('[data-run]').trigger('click');
    await settle(1);
    expect(fake.inputs('startRestore')).toEqual([]);
    expect(wrapper.find('[data-plan]').text()).toContain('Files already in /srv/restore will be replaced');
    expect(wrapper.find('[data-run]').text()).toBe('Overwrite and restore');
    await wrapper.find('[data-run]').trigger('click');
    await settle();
    expect(fake.inputs('startRestore').map((r) => r.onConflict)).toEqual(['overwrite']);

    await wrapper.find('[data-restore-job] header button.danger').trigger('click');
    await settle();
    expect(fake.inputs('cancelJob')).toEqual([{ jobId: 41 }]);
    expect(wrapper.find('[data-restore-job] header button.danger').text()).toBe('Cancelling…');
    wrapper.unmount();
  });
});

describe('verifying a backup', () => {
  it('reads every copy back and shows the report per copy', async () => {
    const verified: VerifyResult = {
      job: job(50, { kind: 'verify', mode: null, streams: 1, state: 'succeeded-degraded', message: 'copy 0 ok, copy 1 damaged' }),
      backupId: 3,
      copies: [
        { copy: 0, status: 'ok', chunks: 10, bytes: 10 * CHUNK, problems: [] },
        { copy: 1, status: 'damaged', chunks: 10, bytes: 10 * CHUNK, problems: ['chunk 4 on A00002: record checksum mismatch'] },
      ],
    };
    const ctx = setup({ ...restoreHandlers(), startVerify: () => ({ jobId: 50 }), getVerifyJob: () => verified });
    const wrapper = mountWith(RestoreView, ctx.pinia);
    await settle();
    useRestoreStore().add([pick(3, 'notes.txt')]);
    await settle(1);
    await wrapper.find('[data-basket] .from button').trigger('click');
    await settle();
    expect(ctx.fake.inputs('startVerify')).toEqual([{ backupId: 3 }]);
    const panel = wrapper.find('[data-verify="3"]');
    expect(panel.text()).toContain('Reading every chunk of every copy');
    expect(wrapper.find('[data-basket] .from button').attributes('disabled')).toBeDefined();
    ctx.fake.emit('job', { type: 'job-state', jobId: 50, state: 'running', message: null });
    ctx.fake.emit('job', { type: 'job-finished', jobId: 50, state: 'succeeded-degraded', backupId: null, message: 'copy 0 ok, copy 1 damaged' });
    await settle();
    expect(ctx.fake.inputs('getVerifyJob')).toEqual([{ jobId: 50 }]);
    const rows = wrapper.findAll('[data-verify="3"] tbody tr');
    expect(rows.map((r) => r.find('[data-status]').text())).toEqual(['Intact', 'Damaged']);
    expect(rows[0]!.text()).toContain('Every checksum matched.');
    expect(rows[1]!.text()).toContain('chunk 4 on A00002: record checksum mismatch');
    expect(wrapper.find('[data-verify="3"]').text()).toContain('Degraded');
    wrapper.unmount();
  });
});
