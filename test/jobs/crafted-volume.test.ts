// A hostile tape: a volume whose backup stream was crafted (not written by us) to hold `..`
// components, absolute paths and a symlink pointing out of the destination, with a valid
// on-tape catalog record. The catalog is rebuilt from it, leaving the hostile entries out of the
// file index and naming them in its report, and the backup is restored: nothing is written
// outside the destination and the harmless entries come back byte for byte. (The extractor's own
// refusal of such names, should a catalog hold them, is tested in test/payload/extract.test.ts.)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, rebuildCatalog } from '../../engine';
import { MIN_CHUNK_SIZE, type BackupView, type FragmentView } from '../../engine/contract';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../../engine/catalog';
import { TAPE_CATALOG_FORMAT, type TapeCatalog } from '../../engine/jobs';
import { libraryDriver } from '../../engine/jobs/libraries';
import { makeBackupSite } from '../helpers/backup-site';
import { craftStream } from '../helpers/crafted';
import { useTempDirs } from '../helpers/temp';
import { bytesOf } from '../helpers/trees';

const CHUNK = MIN_CHUNK_SIZE;

describe('a crafted volume', () => {
  const tempDir = useTempDirs('mpb-crafted-');

  it('whose tar stream holds "..", absolute paths and a symlink out writes nothing outside the destination', async () => {
    const root = tempDir();
    const dir = await makeBackupSite(path.join(root, 'site'));
    const outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    const absolute = path.join(root, 'absolute');
    const big = bytesOf(3 * CHUNK + 123, 7);
    const { stream } = craftStream([
      { path: '..', type: 'directory' },
      { path: '../escape', type: 'file', data: 'out!' },
      { path: 'ok/../../escape2', type: 'file', data: 'out!' },
      { path: absolute, type: 'directory' },
      { path: `${absolute}/abs`, type: 'file', data: 'out!' },
      { path: 'link', type: 'symlink', linkTarget: outside },
      { path: 'link/through', type: 'file', data: 'out!' },
      { path: 'fine', type: 'directory' },
      { path: 'fine/big.bin', type: 'file', data: big },
      { path: 'fine/small.txt', type: 'file', data: 'in' },
    ]);

    // The stream goes onto the first tape of a library as data records, then a catalog record names it.
    let engine = await Engine.open(dir);
    const library = engine.site.devicesOfKind('library')[0]!.id;
    const tape = engine.site.tapesOf(library)[0]!.id;
    engine.close();
    const volume = await libraryDriver(engine.site, library).load(tape);
    const digests = createHash('sha256');
    let position = 0;
    try {
      for (let offset = 0, chunkIndex = 0; offset < stream.length; offset += CHUNK, chunkIndex++) {
        const record = await volume.write({ type: 'data', backupId: 1, stream: 0, chunkIndex, offset }, stream.subarray(offset, offset + CHUNK));
        if (chunkIndex === 0) position = record.position;
        digests.update(Buffer.from(record.sha256, 'hex'));
      }
      const now = new Date().toISOString();
      const backup: BackupView = {
        id: 1,
        jobId: 1,
        target: '/crafted',
        mode: 'failover',
        state: 'complete',
        dataTime: now,
        startedAt: now,
        endedAt: now,
        size: stream.length,
        chunkSize: CHUNK,
        sourceKind: 'directory',
        files: 10,
        copies: [{ copy: 0, state: 'complete' }],
      };
      const fragment: FragmentView = { copy: 0, stream: 0, library, tape, position, size: stream.length, offset: 0, chunks: Math.ceil(stream.length / CHUNK), sha256: digests.digest('hex') };
      const catalog: TapeCatalog = { format: TAPE_CATALOG_FORMAT, version: 1, tape, library, writtenAt: now, backups: [{ backup, fragments: [fragment] }] };
      await volume.write({ type: 'catalog', backupId: 1, stream: 0, chunkIndex: 0, offset: 0 }, Buffer.from(JSON.stringify(catalog)));
    } finally {
      await volume.unload();
    }
    fs.rmSync(path.join(dir, SNAPSHOT_FILE), { force: true });
    fs.rmSync(path.join(dir, JOURNAL_FILE), { force: true });

    // The rebuild leaves the hostile entries out of the file index, by name.
    const report = await rebuildCatalog(dir);
    expect(report.backups).toHaveLength(1);
    expect(report.backups[0]).toMatchObject({ id: 1, restorable: true, source: 'tape-catalog', fileIndexRows: 4 });
    const problems = report.backups[0]!.problems.join('\n');
    for (const hostile of ['..', '../escape', 'ok/../../escape2', absolute, `${absolute}/abs`, 'link/through']) expect(problems).toContain(`${JSON.stringify(hostile)} at offset`);

    engine = await Engine.open(dir);
    try {
      const destination = path.join(root, 'dest');
      const result = await engine.restore({ backupId: 1, destination });
      expect(result.job.state).toBe('succeeded');
      expect(result.files).toEqual({ restored: 4, skipped: 0, failed: 0 });
      // Nothing left the destination; what came in is harmless and exact.
      expect(fs.readdirSync(outside)).toEqual([]);
      expect(fs.existsSync(absolute)).toBe(false);
      expect(fs.readdirSync(root).sort()).toEqual(['dest', 'outside', 'site']);
      expect(fs.readFileSync(path.join(destination, 'fine', 'big.bin')).equals(big)).toBe(true);
      expect(fs.readFileSync(path.join(destination, 'fine', 'small.txt'), 'utf8')).toBe('in');
      expect(fs.readlinkSync(path.join(destination, 'link'))).toBe(outside);
      const everything = fs.readdirSync(destination, { recursive: true }).map(String).sort();
      expect(everything.every((p) => !p.includes('escape') && !p.endsWith('abs') && !p.includes('.tmp'))).toBe(true);
    } finally {
      engine.close();
    }
  });
});
