// The catalog survives crashes: a journal cut anywhere loses at most the torn record, a crash
// between a snapshot and the journal reset replays nothing twice, a corrupt snapshot is refused
// by name without touching anything.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog, CatalogError, decodeRecords, JOURNAL_FILE, LOCK_FILE, SCHEMA_VERSION, SNAPSHOT_FILE, SUM_FILE } from '../../engine/catalog';
import { useTempDirs } from '../helpers/temp';

const event = (i: number) => ({ at: `2026-11-25T00:00:${String(i % 60).padStart(2, '0')}.000Z`, level: 'info' as const, jobId: null, deviceId: null, message: `event ${i}` });

function snapshotOf(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

/** A site dir whose catalog has a snapshot with `before` events and a journal with `after` more. */
async function crashedCatalog(dir: string, before: number, after: number): Promise<void> {
  const catalog = await Catalog.open(dir);
  for (let i = 0; i < before; i++) catalog.events.append(event(i));
  catalog.db.checkpoint();
  for (let i = before; i < before + after; i++) catalog.events.append(event(i));
  // Simulate the process dying: keep the files as they are now, without close().
  const files = snapshotOf(dir);
  catalog.close();
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  for (const [f, data] of files) if (f !== LOCK_FILE) fs.writeFileSync(path.join(dir, f), data);
}

async function messages(dir: string): Promise<string[]> {
  const catalog = await Catalog.open(dir);
  try {
    return catalog.events.list({ limit: 10_000 }).map((e) => e.message).reverse();
  } finally {
    catalog.close();
  }
}

describe('catalog durability', () => {
  const tempDir = useTempDirs('mpb-cat-');

  it('creates the schema, keeps data across reopen, and the snapshot opens with sqlite3', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir);
    expect(catalog.db.version).toBe(SCHEMA_VERSION);
    catalog.events.append(event(1));
    catalog.close();
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).toBe(0);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);

    const sqlite = spawnSync('sqlite3', [path.join(dir, SNAPSHOT_FILE), '.tables', 'PRAGMA user_version;', 'SELECT message FROM event_log;'], { encoding: 'utf8' });
    expect(sqlite.status).toBe(0);
    for (const table of ['resource_state', 'zone', 'tape', 'schedule', 'job', 'job_stream', 'backup', 'fragment', 'file_index', 'event_log']) {
      expect(sqlite.stdout).toMatch(new RegExp(`\\b${table}\\b`));
    }
    expect(sqlite.stdout).toContain(`\n${SCHEMA_VERSION}\nevent 1`);
    expect(await messages(dir)).toEqual(['event 1']);
  });

  it('a failing transaction leaves nothing in memory or on disk', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir);
    try {
      const journalBefore = catalog.db.journalBytes;
      expect(() =>
        catalog.db.transaction((tx) => {
          tx.run('INSERT INTO event_log (at, level, message) VALUES (?, ?, ?)', ['t', 'info', 'half']);
          tx.run('INSERT INTO event_log (at, level, message) VALUES (?, ?, ?)', ['t', 'loud', 'bad level']);
        }),
      ).toThrow(/CHECK constraint failed/);
      expect(catalog.db.journalBytes).toBe(journalBefore);
      expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).toBe(journalBefore);
      expect(catalog.events.list()).toEqual([]);
      catalog.events.append(event(2));
      expect(catalog.events.list().map((e) => e.message)).toEqual(['event 2']);
    } finally {
      catalog.close();
    }
  });

  it('a journal cut inside its last record loses exactly that record, at every byte', async () => {
    const dir = tempDir();
    await crashedCatalog(dir, 2, 3);
    const journal = fs.readFileSync(path.join(dir, JOURNAL_FILE));
    const { records, validBytes } = decodeRecords(journal);
    expect(records).toHaveLength(3);
    expect(validBytes).toBe(journal.length);
    const lastRecordStart = decodeRecords(journal.subarray(0, journal.length - 1)).validBytes;
    for (let cut = lastRecordStart; cut < journal.length; cut++) {
      const copy = tempDir();
      fs.cpSync(dir, copy, { recursive: true });
      fs.truncateSync(path.join(copy, JOURNAL_FILE), cut);
      expect(await messages(copy)).toEqual(['event 0', 'event 1', 'event 2', 'event 3']);
    }
  });

  it('a journal cut at any offset keeps every complete record before the cut (property)', async () => {
    const dir = tempDir();
    await crashedCatalog(dir, 1, 12);
    const journal = fs.readFileSync(path.join(dir, JOURNAL_FILE));
    const ends: number[] = [];
    for (let n = 1; n <= journal.length; n++) if (decodeRecords(journal.subarray(0, n)).validBytes === n) ends.push(n);
    expect(ends).toHaveLength(12);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: journal.length }), fc.boolean(), async (cut, garbage) => {
        const copy = tempDir();
        fs.cpSync(dir, copy, { recursive: true });
        const file = path.join(copy, JOURNAL_FILE);
        // A torn write may leave zeros or junk after the cut.
        fs.writeFileSync(file, Buffer.concat([journal.subarray(0, cut), garbage ? Buffer.alloc(37, 0xa5) : Buffer.alloc(0)]));
        const complete = ends.filter((end) => end <= cut).length;
        const expected = Array.from({ length: 1 + complete }, (_, i) => `event ${i}`);
        expect(await messages(copy)).toEqual(expected);
        // The torn tail is gone and new commits follow the last good record.
        const catalog = await Catalog.open(copy);
        catalog.events.append(event(99));
        catalog.close();
        expect(await messages(copy)).toEqual([...expected, 'event 99']);
        fs.rmSync(copy, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });

  it('a crash between the snapshot rename and the journal reset replays nothing twice', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir);
    for (let i = 0; i < 5; i++) catalog.events.append(event(i));
    const oldJournal = fs.readFileSync(path.join(dir, JOURNAL_FILE));
    catalog.db.checkpoint();
    catalog.close();
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), oldJournal);
    expect(await messages(dir)).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
  });

  it('writes a snapshot by itself once the journal passes its threshold', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir, { checkpointBytes: 4096 });
    try {
      for (let i = 0; i < 100; i++) catalog.events.append(event(i));
      expect(catalog.db.journalBytes).toBeGreaterThan(4096);
      await new Promise((resolve) => setImmediate(resolve));
      expect(catalog.db.journalBytes).toBe(0);
      expect(catalog.db.checkpointError).toBeNull();
    } finally {
      catalog.close();
    }
    expect(await messages(dir)).toHaveLength(100);
  });

  it.each([
    ['not a database', (_data: Buffer) => Buffer.from('hello, this is not SQLite at all')],
    ['cut in half', (data: Buffer) => data.subarray(0, Math.floor(data.length / 2))],
    ['pages overwritten', (data: Buffer) => Buffer.concat([data.subarray(0, 100), Buffer.alloc(data.length - 100, 0x41)])],
  ])('a snapshot that is %s is refused by name and nothing changes', async (_what, damage) => {
    const dir = tempDir();
    await crashedCatalog(dir, 3, 2);
    const file = path.join(dir, SNAPSHOT_FILE);
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    const before = snapshotOf(dir);
    const error = await Catalog.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toMatch(new RegExp(`^catalog file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt`));
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('a snapshot whose bytes were changed in place (still a valid database) is refused by its checksum', async () => {
    const dir = tempDir();
    const catalog = await Catalog.open(dir);
    catalog.events.append({ ...event(1), message: 'backup of /pictures' });
    catalog.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    const data = fs.readFileSync(file);
    const at = data.indexOf('/pictures');
    data[at + '/pictures'.length - 1] = 'z'.charCodeAt(0);
    fs.writeFileSync(file, data);
    const before = snapshotOf(dir);
    const error = await Catalog.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toMatch(/is corrupt: its bytes do not match its checksum in catalog\.sqlite\.sha256 \(rebuild the catalog from the tapes/);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('a crash while a snapshot is put in place leaves files an open pairs up, at every step', async () => {
    const dir = tempDir();
    await crashedCatalog(dir, 3, 0);
    const sum = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
    const oldSum = sum(SUM_FILE);
    // Its new checksum written aside, the snapshot not replaced yet: the leftover is removed.
    fs.writeFileSync(path.join(dir, `${SUM_FILE}.tmp`), `sha256 ${'0'.repeat(64)}\n`);
    expect(await messages(dir)).toEqual(['event 0', 'event 1', 'event 2']);
    expect(fs.existsSync(path.join(dir, `${SUM_FILE}.tmp`))).toBe(false);
    // The snapshot replaced, its checksum not yet in place: the pending one is taken on.
    const catalog = await Catalog.open(dir);
    catalog.events.append(event(3));
    catalog.close();
    const newSum = sum(SUM_FILE);
    expect(newSum).not.toBe(oldSum);
    fs.renameSync(path.join(dir, SUM_FILE), path.join(dir, `${SUM_FILE}.tmp`));
    fs.writeFileSync(path.join(dir, SUM_FILE), oldSum);
    expect(await messages(dir)).toEqual(['event 0', 'event 1', 'event 2', 'event 3']);
    expect(sum(SUM_FILE)).toBe(newSum);
    expect(fs.existsSync(path.join(dir, `${SUM_FILE}.tmp`))).toBe(false);
    // A catalog from before checksums gets one at its next open.
    fs.rmSync(path.join(dir, SUM_FILE));
    expect(await messages(dir)).toHaveLength(4);
    expect(sum(SUM_FILE)).toBe(newSum);
  });
});
