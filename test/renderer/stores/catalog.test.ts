// The catalog store: every target's backups, and from them which backups each tape holds and
// which backup each job made; read again when a job ends.
import { describe, expect, it, vi } from 'vitest';
import { useCatalogStore } from '../../../renderer/src/stores/catalog';
import { backupSummary, targetSummary } from '../fixtures';
import { setup } from '../mount';

describe('the catalog store', () => {
  it('maps tapes to the backups on them (newest first) and jobs to their backups', async () => {
    const { fake } = setup({
      catalogTargets: () => [targetSummary('/pictures', 2), targetSummary('X:')],
      catalogBackups: ({ target }) =>
        target === 'X:'
          ? [backupSummary(3, 30, { target: 'X:', tapes: ['A00001'] })]
          : [backupSummary(2, 20, { tapes: ['A00001', 'B00002'] }), backupSummary(1, 10, { tapes: ['B00002'] })],
    });
    const store = useCatalogStore();
    await store.load();
    expect(fake.inputs('catalogBackups')).toEqual([{ target: '/pictures' }, { target: 'X:' }]);
    expect(store.backupsByTape.get('A00001')!.map((b) => b.id)).toEqual([3, 2]);
    expect(store.backupsByTape.get('B00002')!.map((b) => b.id)).toEqual([2, 1]);
    expect(store.backupsByTape.get('A00002')).toBeUndefined();
    expect(store.backupByJob.get(20)?.id).toBe(2);

    fake.emit('job', { type: 'job-finished', jobId: 31, state: 'succeeded', backupId: 4, message: null });
    await vi.waitFor(() => expect(fake.inputs('catalogTargets')).toHaveLength(2), { timeout: 2000 });
  });
});
