// The restore browser's stores on their own: a directory read a page at a time (each page once,
// even when asked twice at once; after a failure only when asked again), older backups of a
// target read a page at a time, the tree's selection pruned when a folder closes, and the
// events of a started job that came before its id did.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../engine/contract';
import { DIRECTORY_PAGE, useCatalogStore } from '../../../renderer/src/stores/catalog';
import { jobFollower } from '../../../renderer/src/stores/jobFollower';
import { useRestoreTreeStore } from '../../../renderer/src/stores/restoreTree';
import { backupSummary } from '../fixtures';
import { settle, setup } from '../mount';
import { BIG_FOLDER, restoreHandlers } from './catalogFake';

describe('the catalog store', () => {
  it('reads a directory a page at a time, each page once', async () => {
    const { fake } = setup(restoreHandlers());
    const catalog = useCatalogStore();
    await Promise.all([catalog.loadDirectoryPage(2, 'big', 0), catalog.loadDirectoryPage(2, 'big', 0)]);
    expect(fake.inputs('catalogList')).toEqual([{ backupId: 2, path: 'big', offset: 0, limit: DIRECTORY_PAGE }]);
    const dir = catalog.directory(2, 'big');
    expect(dir.total).toBe(BIG_FOLDER);
    expect(dir.entries.length).toBe(BIG_FOLDER);
    expect(dir.entries[999]?.name).toBe('f00999.raw');
    expect(dir.entries[1000]).toBeUndefined();

    catalog.loadDirectoryRange(2, 'big', 900, 2100);
    await settle();
    expect(fake.inputs('catalogList').map((i) => i.offset)).toEqual([0, 1000, 2000]);
    expect(catalog.directory(2, 'big').entries[BIG_FOLDER - 1]?.name).toBe('f02499.raw');
  });

  it('after a failure reads again only when asked', async () => {
    const { fake } = setup({ ...restoreHandlers(), catalogList: () => Promise.reject(new ApiError('not-found', 'no backup 9 in the catalog')) });
    const catalog = useCatalogStore();
    await catalog.loadDirectoryPage(9, '', 0);
    expect(catalog.directory(9, '').error).toMatchObject({ doing: 'restore.failures.list', args: { path: '/', backup: 9 }, message: 'no backup 9 in the catalog' });
    catalog.loadDirectoryRange(9, '', 0, 10);
    expect(fake.inputs('catalogList')).toHaveLength(1);
    fake.handle({ catalogList: restoreHandlers().catalogList! });
    catalog.retryDirectory(9, '');
    await settle();
    expect(fake.inputs('catalogList')).toHaveLength(2);
    expect(catalog.directory(9, '').error).toBeNull();
  });

  it('reads older backups of a target a page at a time', async () => {
    const { fake } = setup({
      catalogTargets: () => [{ target: '/pictures', backups: 3, completeBackups: 3, newestDataTime: null }],
      catalogBackups: ({ before }) => (before ? [backupSummary(1, 10)] : [backupSummary(3, 30), backupSummary(2, 20)]),
    });
    const catalog = useCatalogStore();
    await catalog.load();
    expect(catalog.hasOlder('/pictures')).toBe(true);
    await catalog.loadOlder('/pictures');
    expect(fake.inputs('catalogBackups').at(-1)).toEqual({ target: '/pictures', before: 2 });
    expect(catalog.backupsByTarget['/pictures']!.map((b) => b.id)).toEqual([3, 2, 1]);
    expect(catalog.hasOlder('/pictures')).toBe(false);
  });
});

describe('the catalog tree store', () => {
  it('forgets what was selected inside a folder when it closes', async () => {
    setup(restoreHandlers());
    await useCatalogStore().load();
    const tree = useRestoreTreeStore();
    tree.reveal('/pictures');
    tree.expand(tree.rows.find((r) => r.key === 'b:2')!);
    await settle();
    tree.expand(tree.rows.find((r) => r.key === 'e:2:2024')!);
    await settle();
    tree.select(tree.rows.find((r) => r.key === 'e:2:2024/a.jpg')!);
    tree.select(tree.rows.find((r) => r.key === 'e:2:notes.txt')!, 'toggle');
    expect(tree.picks.map((p) => p.path)).toEqual(['2024/a.jpg', 'notes.txt']);
    tree.collapse(tree.rows.find((r) => r.key === 'e:2:2024')!);
    expect(tree.picks.map((p) => p.path)).toEqual(['notes.txt']);
    expect(tree.activeContext).toMatchObject({ target: '/pictures', backup: { id: 2 } });
  });
});

describe('following a started job', () => {
  it('hands over the events that came before its id, then the later ones', () => {
    const { fake } = setup();
    const follower = jobFollower(fake.api);
    fake.emit('job', { type: 'job-state', jobId: 7, state: 'reserving', message: null });
    fake.emit('job', { type: 'job-state', jobId: 8, state: 'running', message: null });
    const seen: string[] = [];
    const stop = follower.follow(7, (e) => seen.push(`${e.jobId}:${e.type}`));
    fake.emit('job', { type: 'job-finished', jobId: 7, state: 'succeeded', backupId: null, message: null });
    stop();
    fake.emit('job', { type: 'job-state', jobId: 7, state: 'running', message: null });
    expect(seen).toEqual(['7:job-state', '7:job-finished']);
  });
});
