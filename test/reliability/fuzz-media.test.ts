// Part 3c of the reliability suite: fuzzing what is read back from disk with fast-check.
// - Tape volumes: a real tape written by a backup, with bytes changed at random places (the label,
//   record headers, payloads, commit marks), cut short, or with garbage appended. Mounting either
//   refuses it (a MediaError naming the file) or gives a volume whose scan, salvage scan and reads
//   return only records exactly as written: a read of a damaged record throws a MediaError
//   (VolumeFormatError), never wrong bytes as valid. At the engine, a damaged copy in a real site
//   reads back identical or fails with a ReadbackError, and a restore still brings back only
//   files identical to the source.
// - The catalog: the journal with bytes changed, cut or followed by garbage opens (docs/catalog.md,
//   "Open") with exactly the transactions before the first damaged record, and is cut back there;
//   a damaged snapshot is refused with a CatalogError saying it is corrupt, and nothing is written.
//   A snapshot whose damage SQLite's structural check cannot see is opened with wrong data: that is
//   the last test, which fails until the snapshot carries a checksum of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, ReadbackError, readCopy } from '../../engine';
import { Catalog, CatalogError, decodeRecords, encodeRecord, JOURNAL_FILE, SNAPSHOT_FILE, SUM_FILE } from '../../engine/catalog';
import type { BackupResult } from '../../engine/contract';
import { FileTapeLibrary, LABEL_SIZE, MediaError, salvageScan, type StoredRecord, type Volume } from '../../engine/media';
import { makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { describeTree, type TreeEntry } from '../helpers/trees';
import { announce, catalogDump, filesDigest, report, SEED, TRIALS } from './common';

const CHUNK = 64 * 1024;

/** Byte edits: at a place (a fraction of the file, or of one of its parts), XOR with a non-zero byte. */
type Damage = { kind: 'flip'; where: number; xor: number; part: 'anywhere' | 'label' | 'header' | 'mark' | 'payload' } | { kind: 'cut'; where: number } | { kind: 'garbage'; bytes: Uint8Array };

/** A place in [0, 1), spread evenly (fast-check's doubles are spread over their bit patterns, most of them next to 0: all damage would land in the label). */
const place = fc.noBias(fc.integer({ min: 0, max: 2 ** 31 - 1 })).map((n) => n / 2 ** 31);

const damages = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('flip' as const), where: place, xor: fc.integer({ min: 1, max: 255 }), part: fc.constantFrom('anywhere', 'header', 'header', 'mark', 'mark', 'payload', 'payload', 'label') as fc.Arbitrary<'anywhere' | 'label' | 'header' | 'mark' | 'payload'> }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), where: place }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }) },
  ),
  { minLength: 1, maxLength: 4 },
) as fc.Arbitrary<Damage[]>;

/** Applies damage to tape bytes; record places come from the tape's records. */
function damageTape(bytes: Buffer, records: readonly StoredRecord[], list: readonly Damage[]): Buffer {
  let out = Buffer.from(bytes);
  for (const d of list) {
    if (d.kind === 'cut') out = out.subarray(0, Math.floor(d.where * out.length));
    else if (d.kind === 'garbage') out = Buffer.concat([out, Buffer.from(d.bytes)]);
    else {
      const record = records[Math.floor(d.where * records.length)]!;
      const inPart = (from: number, size: number) => from + Math.floor(((d.where * records.length) % 1) * size);
      const at =
        d.part === 'label'
          ? inPart(0, LABEL_SIZE)
          : d.part === 'header'
            ? inPart(record.position, 128)
            : d.part === 'mark'
              ? inPart(record.end - 16, 16)
              : d.part === 'payload'
                ? inPart(record.position + 128, Math.max(1, record.length))
                : Math.floor(d.where * out.length);
      if (at < out.length) out[at] = out[at]! ^ d.xor;
    }
  }
  return out;
}

/** A catalog's contents less the sequence number of the journal record its snapshot holds (a checkpoint moves it on). */
function withoutSeq(dump: Record<string, unknown[]>): Record<string, unknown[]> {
  return { ...dump, catalog_meta: dump.catalog_meta!.filter((row) => (row as { key: string }).key !== 'journal_seq') };
}

describe('fuzzing what is read back from disk', () => {
  let root: string;
  let site: string;
  let engine: Engine;
  let backup: BackupResult;
  let source: string;
  let tree: Map<string, TreeEntry>;
  /** The tape fuzzed: its library, id, capacity, bytes and records (with their payloads). */
  let tape: { library: string; id: string; capacity: number; bytes: Buffer; records: StoredRecord[]; payloads: Map<number, Buffer> };
  const tried = { tapes: 0, refusedMounts: 0, damagedReads: 0, engineCopies: 0, journals: 0, snapshots: 0, refusedSnapshots: 0, wrongSnapshots: 0 };

  beforeAll(async () => {
    announce('fuzz media');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-media-'));
    site = await makeBackupSite(path.join(root, 'site'), { size: 1024 * 1024 });
    engine = await Engine.open(site);
    backup = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: CHUNK });
    expect(backup.job.state).toBe('succeeded');
    source = await sourceStreamSha(engine, '/pictures');
    tree = describeTree(path.join(site, 'storage', 'pictures'));
    const first = backup.fragments[0]!;
    const volume = await libraryOf(first.library).load(first.tape);
    try {
      const records: StoredRecord[] = [];
      const payloads = new Map<number, Buffer>();
      for await (const record of volume.scan()) {
        records.push(record);
        payloads.set(record.position, Buffer.from((await volume.read(record.position)).payload));
      }
      expect(records.length).toBeGreaterThan(4);
      tape = { library: first.library, id: first.tape, capacity: volume.label.capacity, bytes: fs.readFileSync(volume.file), records, payloads };
    } finally {
      await volume.unload();
    }
  });

  afterAll(() => {
    engine?.close();
    fs.rmSync(root, { recursive: true, force: true });
    process.stdout.write(
      `reliability: fuzz media: ${tried.tapes} damaged tapes (${tried.refusedMounts} refused at mount, ${tried.damagedReads} damaged records refused by read), ${tried.engineCopies} damaged copies read by the engine; ` +
        `${tried.journals} damaged journals, ${tried.snapshots} damaged snapshots (${tried.refusedSnapshots} refused, ${tried.wrongSnapshots} opened with contents that differ)\n`,
    );
    report('fuzz media', { 'inputs tried': tried.tapes + tried.engineCopies + tried.journals + tried.snapshots });
  });

  function libraryOf(id: string, dir?: string): FileTapeLibrary {
    const device = engine.site.device(id)!;
    const tapes = engine.site.tapesOf(id).map((t) => ({ id: t.id, capacity: t.capacity }));
    return new FileTapeLibrary({ id, dir: dir ?? engine.site.libraryDir(device as never), tapes });
  }

  /** Every record a volume gives (scan or salvage) must be one written there, exactly. */
  function expectWritten(record: StoredRecord, what: string): void {
    const original = tape.records.find((r) => r.position === record.position);
    expect(original, `${what}: a record at ${record.position} that was never written`).toBeDefined();
    expect(record, what).toEqual(original);
  }

  it('a damaged tape is refused, or gives back only records exactly as written', async () => {
    const scratch = path.join(root, 'scratch-library');
    await fc.assert(
      fc.asyncProperty(damages, async (list) => {
        tried.tapes += 1;
        const what = JSON.stringify(list, (_, v: unknown) => (v instanceof Uint8Array ? `${v.length} bytes` : v));
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.mkdirSync(scratch);
        const file = path.join(scratch, `${tape.id}.tape`);
        const damaged = damageTape(tape.bytes, tape.records, list);
        fs.writeFileSync(file, damaged);
        const library = new FileTapeLibrary({ id: tape.library, dir: scratch, tapes: [{ id: tape.id, capacity: tape.capacity }] });
        let volume: Volume;
        try {
          volume = await library.load(tape.id);
        } catch (error) {
          // Only a damaged label stops the mount (a tape cut inside its label is not a tape either).
          expect(error, what).toBeInstanceOf(MediaError);
          expect((error as Error).message, what).toContain(file);
          tried.refusedMounts += 1;
          return;
        }
        try {
          for await (const record of volume.scan()) expectWritten(record, `${what}: scan`);
          for await (const item of salvageScan(volume)) {
            if (item.kind === 'record') expectWritten(item.record, `${what}: salvage`);
            else expect(item.to, what).toBeGreaterThan(item.from);
          }
          expect(await volume.endOfData(), what).toBeLessThanOrEqual(tape.records.at(-1)!.end);
          for (const original of tape.records) {
            let read: Awaited<ReturnType<Volume['read']>>;
            try {
              read = await volume.read(original.position);
            } catch (error) {
              expect(error, `${what}: read at ${original.position}`).toBeInstanceOf(MediaError);
              tried.damagedReads += 1;
              continue;
            }
            expect(read.record, `${what}: read at ${original.position}`).toEqual(original);
            expect(Buffer.compare(read.payload, tape.payloads.get(original.position)!), `${what}: the payload at ${original.position} was given back wrong`).toBe(0);
          }
        } finally {
          await volume.unload();
        }
        // Reading changed nothing on the tape.
        expect(Buffer.compare(fs.readFileSync(file), damaged), what).toBe(0);
      }),
      { seed: SEED, numRuns: 10 * TRIALS },
    );
  });

  it('a damaged copy in a site reads back identical or fails with a ReadbackError, and a restore brings back only identical files', async () => {
    const fragment = backup.fragments.find((f) => f.copy === 0)!;
    const file = path.join(engine.site.libraryDir(engine.site.device(fragment.library) as never), `${fragment.tape}.tape`);
    const original = fs.readFileSync(file);
    const records = tape.library === fragment.library && tape.id === fragment.tape ? tape.records : [];
    expect(records.length).toBeGreaterThan(0);
    try {
      await fc.assert(
        fc.asyncProperty(damages, fc.boolean(), async (list, restore) => {
          tried.engineCopies += 1;
          fs.writeFileSync(file, damageTape(original, records, list.filter((d) => d.kind === 'flip')));
          try {
            expect(await readCopy(engine.site, backup.backup!.id, backup.fragments, 0)).toBe(source);
          } catch (error) {
            // A damaged label stops the tape's load (a VolumeFormatError naming the file), anything else the read back.
            expect(error instanceof ReadbackError || error instanceof MediaError, String(error)).toBe(true);
          }
          // The other copy is untouched and identical.
          expect(await readCopy(engine.site, backup.backup!.id, backup.fragments, 1)).toBe(source);
          if (!restore) return;
          const to = path.join(root, 'restored');
          fs.rmSync(to, { recursive: true, force: true });
          const result = await engine.restore({ backupId: backup.backup!.id, destination: to });
          expect(result.job.state).toBe('succeeded');
          expect(describeTree(to)).toEqual(tree);
          expect(engine.inventory.holders()).toEqual([]);
        }),
        { seed: SEED, numRuns: Math.max(5, TRIALS / 4) },
      );
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  describe('the catalog files', () => {
    let catalogDir: string;
    let snapshot: Buffer;
    /** The intact snapshot's checksum file, laid beside every damaged copy (as on a site whose disk changed the snapshot). */
    let snapshotSum: Buffer;
    let journal: Buffer;
    /** Where each journal record ends. */
    let ends: number[];
    const prefixDumps = new Map<number, Record<string, unknown[]>>();

    beforeAll(async () => {
      // A catalog with a snapshot (after a backup) and a journal (another backup and some states since).
      catalogDir = path.join(root, 'catalog-site');
      await makeBackupSite(catalogDir, { size: 256 * 1024 });
      let e = await Engine.open(catalogDir);
      await e.backup({ target: '/pictures', chunkSize: CHUNK });
      e.close();
      e = await Engine.open(catalogDir);
      await e.backup({ target: 'X:', mode: 'failover', chunkSize: CHUNK });
      e.setState('library-C', 'unavailable');
      snapshot = fs.readFileSync(path.join(catalogDir, SNAPSHOT_FILE));
      snapshotSum = fs.readFileSync(path.join(catalogDir, SUM_FILE));
      journal = fs.readFileSync(path.join(catalogDir, JOURNAL_FILE));
      e.close();
      const { records } = decodeRecords(journal);
      expect(records.length).toBeGreaterThan(10);
      ends = [];
      let at = 0;
      for (const record of records) ends.push((at += encodeRecord(record).length));
      expect(at).toBe(journal.length);
    });

    /** The catalog as the snapshot and the first `k` journal records make it. */
    async function prefixDump(k: number): Promise<Record<string, unknown[]>> {
      let dump = prefixDumps.get(k);
      if (!dump) {
        const dir = path.join(root, `prefix-${k}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), snapshot);
        fs.writeFileSync(path.join(dir, JOURNAL_FILE), journal.subarray(0, k === 0 ? 0 : ends[k - 1]));
        const catalog = await Catalog.open(dir);
        dump = catalogDump(catalog);
        catalog.close();
        fs.rmSync(dir, { recursive: true, force: true });
        prefixDumps.set(k, dump);
      }
      return dump;
    }

    /** Writes catalog files into a fresh directory. */
    function lay(dir: string, files: { snapshot: Buffer; journal: Buffer }): void {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), files.snapshot);
      fs.writeFileSync(path.join(dir, SUM_FILE), snapshotSum);
      fs.writeFileSync(path.join(dir, JOURNAL_FILE), files.journal);
    }

    it('a damaged journal opens with exactly the transactions before its first damaged record, and is cut back there', async () => {
      const dir = path.join(root, 'journal-fuzz');
      await fc.assert(
        fc.asyncProperty(damages, async (list) => {
          tried.journals += 1;
          // The first byte that differs from the journal as written decides how much of it counts.
          const damaged = damageTape(journal, [], list.map((d) => (d.kind === 'flip' ? { ...d, part: 'anywhere' as const } : d)));
          let first = 0;
          while (first < Math.min(damaged.length, journal.length) && damaged[first] === journal[first]) first++;
          const intact = first >= journal.length ? ends.length : ends.filter((end) => end <= first).length;
          lay(dir, { snapshot, journal: damaged });
          const catalog = await Catalog.open(dir);
          try {
            expect(catalogDump(catalog)).toEqual(await prefixDump(intact));
          } finally {
            // Closing writes a snapshot of what was opened; the journal is cut back before that.
            expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).toBe(intact === 0 ? 0 : ends[intact - 1]);
            catalog.close();
          }
          // Opened again, the same (but for the snapshot's own journal sequence number, which closing moved on).
          const again = await Catalog.open(dir);
          try {
            expect(withoutSeq(catalogDump(again))).toEqual(withoutSeq(await prefixDump(intact)));
          } finally {
            again.close();
          }
        }),
        { seed: SEED, numRuns: 2 * TRIALS },
      );
    });

    it('a damaged snapshot is refused with a CatalogError and nothing is written (or, when SQLite sees nothing wrong, opens)', async () => {
      const dir = path.join(root, 'snapshot-fuzz');
      const full = await prefixDump(ends.length);
      await fc.assert(
        fc.asyncProperty(damages, async (list) => {
          tried.snapshots += 1;
          const damaged = damageTape(snapshot, [], list.map((d) => (d.kind === 'flip' ? { ...d, part: 'anywhere' as const } : d)));
          fc.pre(Buffer.compare(damaged, snapshot) !== 0);
          lay(dir, { snapshot: damaged, journal });
          const before = filesDigest(dir);
          let catalog: Catalog;
          try {
            catalog = await Catalog.open(dir);
          } catch (error) {
            expect(error).toBeInstanceOf(CatalogError);
            // Corrupt as its checksum or SQLite sees it, or (its schema damaged) the journal no longer replays on it.
            expect((error as Error).message).toMatch(/^catalog file .*catalog\.sqlite is corrupt: |^catalog journal .* cannot be replayed: /);
            expect(filesDigest(dir)).toEqual(before);
            expect(fs.existsSync(path.join(dir, 'catalog.lock'))).toBe(false);
            tried.refusedSnapshots += 1;
            return;
          }
          try {
            if (JSON.stringify(catalogDump(catalog)) !== JSON.stringify(full)) tried.wrongSnapshots += 1;
          } finally {
            catalog.close();
          }
        }),
        { seed: SEED, numRuns: 2 * TRIALS },
      );
    });

    // Found by this suite: SQLite keeps no checksum of a page's contents and `PRAGMA quick_check`
    // checks structure only, so a byte changed inside a row (a target's name here) opened as if it
    // were what was written; the snapshot now has a checksum of its own (catalog.sqlite.sha256).
    it('a snapshot with one byte of a row changed is refused, never opened with wrong data', async () => {
      const dir = path.join(root, 'snapshot-row');
      const name = Buffer.from('/pictures');
      const wrong: number[] = [];
      // Every place the snapshot holds the target's name (the rows of its jobs and backups, an index): change its last letter.
      for (let at = snapshot.indexOf(name); at !== -1; at = snapshot.indexOf(name, at + 1)) {
        const damaged = Buffer.from(snapshot);
        damaged[at + name.length - 1] = 'z'.charCodeAt(0);
        lay(dir, { snapshot: damaged, journal: Buffer.alloc(0) });
        let opened: Catalog;
        try {
          opened = await Catalog.open(dir);
        } catch (error) {
          expect(error).toBeInstanceOf(CatalogError);
          continue;
        }
        try {
          const targets = opened.db.all<{ target: string }>('SELECT target FROM job UNION SELECT target FROM backup').map((r) => r.target);
          if (targets.includes('/picturez')) wrong.push(at);
        } finally {
          opened.close();
        }
      }
      expect(wrong, 'byte offsets of the snapshot where a changed letter opened as a target nobody backed up').toEqual([]);
    });
  });
});
