// `mpbackup catalog rebuild`: after the catalog files are gone, the JSON report scripts rely on and
// the text an operator reads; the rebuilt catalog lists the job and restores it; exit 1 when a
// volume cannot be read (the rest rebuilt), 2 for a site another process has open, no site, or
// stray arguments (nothing changed).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RebuildReport } from '../../engine/contract';
import { cli } from '../helpers/cli';
import { makeBackupSite } from '../helpers/backup-site';
import { useChildren, waitForLine } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

describe('mpbackup catalog rebuild', () => {
  const tempDir = useTempDirs('mpb-cli-rebuild-');
  const start = useChildren();

  async function backedUp(): Promise<string> {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'));
    const result = await cli('backup', '/pictures', '--mode', 'failover', '--chunk-size', '64KiB', '--site', dir, '--json');
    expect(result.code).toBe(0);
    fs.rmSync(path.join(dir, 'catalog.sqlite'));
    fs.rmSync(path.join(dir, 'catalog.journal'), { force: true });
    return dir;
  }

  it('prints the report as JSON, and the rebuilt catalog restores the backup', async () => {
    const dir = await backedUp();
    const result = await cli('catalog', 'rebuild', '--site', dir, '--json');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const report = RebuildReport.parse(JSON.parse(result.out));
    expect(report).toMatchObject({ site: dir, ok: true, previousCatalog: null });
    expect(report.summary).toMatchObject({ volumes: 24, volumesRead: 2, volumesBlank: 22, volumesUnreadable: 0, backupsComplete: 1, backupsIncomplete: 0, fragments: 1 });
    expect(report.backups).toEqual([expect.objectContaining({ id: 1, jobId: 1, target: '/pictures', mode: 'failover', state: 'complete', restorable: true })]);

    const jobs = JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs;
    expect(jobs).toEqual([expect.objectContaining({ id: 1, kind: 'backup', target: '/pictures', state: 'succeeded' })]);
    const to = path.join(tempDir(), 'restored');
    const restored = await cli('restore', '1', '--to', to, '--site', dir, '--json');
    expect(restored.code).toBe(0);
    expect(fs.readdirSync(to).sort()).toEqual(fs.readdirSync(path.join(dir, 'storage', 'pictures')).sort());
  });

  it('tells the operator what it found, and exits 1 when a volume cannot be read', async () => {
    const dir = await backedUp();
    const text = await cli('catalog', 'rebuild', '--site', dir);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^rebuilt the catalog of .* from its tapes: 2 volumes read, 22 blank, 0 unreadable$/m);
    expect(text.out).toMatch(/^1 backups restorable, 0 not; 1 fragments, \d+ file index rows; 0 things left out$/m);
    expect(text.out).toMatch(/^there were no catalog files before$/m);
    expect(text.out).toMatch(/LIBRARY +TAPE +STATUS +USED +RECORDS +CATALOG RECORD +NOTE/);
    expect(text.out).toMatch(/library-B +B00001 +read +4 KiB +0 data, 0 catalog +none/);
    expect(text.out).toMatch(/BACKUP +JOB +TARGET +MODE +STATE +SIZE +COPIES +FILES +FROM\n1 +1 +\/pictures +failover +complete/);

    const tape = JSON.parse((await cli('jobs', 'show', '1', '--site', dir, '--json')).out).fragments[0].tape as string;
    const file = path.join(dir, 'libraries', tape[0]!.toLowerCase(), `${tape}.tape`);
    const bytes = fs.readFileSync(file);
    bytes[0] = 0;
    fs.writeFileSync(file, bytes);
    const damaged = await cli('catalog', 'rebuild', '--site', dir);
    expect(damaged.code).toBe(1);
    expect(damaged.out).toMatch(new RegExp(`${tape} +unreadable .*bad volume label: not a tape volume \\(wrong magic\\)`));
    // The only tape the backup is on cannot be read: nothing is left to say it was there.
    expect(damaged.out).toMatch(/^0 backups restorable, 0 not; 0 fragments/m);
    expect(damaged.out).toMatch(/the previous catalog files are in .*catalog-before-rebuild-/);
    const json = JSON.parse((await cli('catalog', 'rebuild', '--site', dir, '--json')).out);
    expect(json.ok).toBe(false);
    expect(json.summary.volumesUnreadable).toBe(1);
  });

  it('exits 2 when the site is open elsewhere, is no site, or the words are wrong, and changes nothing', async () => {
    const dir = await backedUp();
    const child = start('test/helpers/hold-catalog.ts', [dir]);
    await waitForLine(child, /open/);
    const before = fs.readdirSync(dir).sort();
    const busy = await cli('catalog', 'rebuild', '--site', dir);
    expect(busy.code).toBe(2);
    expect(busy.err).toBe(`mpbackup: site in use by process ${child.pid} (${dir}); close that program first`);
    expect(fs.readdirSync(dir).sort()).toEqual(before);

    const none = await cli('catalog', 'rebuild', '--site', tempDir());
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no site here/);
    const extra = await cli('catalog', 'rebuild', 'now', '--site', dir);
    expect(extra.code).toBe(2);
    expect(extra.err).toBe('mpbackup: usage: mpbackup catalog rebuild');
    expect((await cli('--help')).out).toMatch(/ {2}catalog rebuild\n +rebuild the catalog from the tapes/);
  });
});
