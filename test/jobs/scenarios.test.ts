// Backup scenarios beyond the fault matrix, on real bytes: spanning several tapes, every stream
// failing, three streams failing over twice, the host agent's prepare and finish, a hung mover
// fenced for good, a file changed while it is backed up, the tape catalog record (step 1170),
// and bad requests that change nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Engine, JobRequestError, readCopy } from '../../engine';
import type { BackupMode, JobEvent, MoverKind } from '../../engine/contract';
import { FileTapeLibrary } from '../../engine/media';
import { takeListing } from '../../engine/payload';
import { copyShas, makeBackupSite, sourceStreamSha, type BackupSiteOptions } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';

const CHUNK = 64 * 1024;

describe('backup scenarios', () => {
  const tempDir = useTempDirs('mpb-scenario-');

  async function open(options: BackupSiteOptions = {}): Promise<Engine> {
    return Engine.open(await makeBackupSite(path.join(tempDir(), 'site'), options));
  }

  function moversOf(engine: Engine, mode: BackupMode, streams = 2): string[] {
    const mover: MoverKind = mode === 'mirrored' ? 'backup-server' : 'copy-device';
    return engine.plan({ streams, mover }).streams.map((s) => s.mover);
  }

  function inUse(engine: Engine): string[] {
    return engine.describe().devices.flatMap((d) => [d, ...(d.tapes ?? [])].filter((x) => x.state === 'in-use').map((x) => x.id));
  }

  async function tapeFile(engine: Engine, library: string, tape: string) {
    const info = engine.site.tapesOf(library).map((t) => ({ id: t.id, capacity: t.capacity }));
    const device = engine.site.device(library)!;
    return new FileTapeLibrary({ id: library, dir: engine.site.libraryDir(device as never), tapes: info }).load(tape);
  }

  it.each(['mirrored', 'failover'] as const)('%s: a stream spans several tapes of its library', async (mode) => {
    const engine = await open({ size: 8 * 2 ** 20, tapeCapacity: 1024 * 1024 });
    try {
      const result = await engine.backup({ target: '/movies', mode, chunkSize: CHUNK });
      expect(result.job.state).toBe('succeeded');
      const writing = result.streams.filter((s) => s.status === 'completed');
      for (const stream of writing) {
        expect(stream.tapes.length).toBeGreaterThan(2);
        for (const tape of stream.tapes) expect(engine.site.tape(tape)!.library).toBe(stream.library);
      }
      for (const copy of result.backup!.copies) {
        const fragments = result.fragments.filter((f) => f.copy === copy.copy);
        // One fragment per tape, in stream order, with no gap.
        expect(new Set(fragments.map((f) => f.tape)).size).toBe(fragments.length);
        let offset = 0;
        for (const f of fragments) {
          expect(f.offset).toBe(offset);
          offset += f.size;
        }
        expect(offset).toBe(result.backup!.size);
      }
      const source = await sourceStreamSha(engine, '/movies');
      expect([...(await copyShas(engine, result)).values()].every((sha) => sha === source)).toBe(true);
      const full = engine.describe().devices.flatMap((d) => d.tapes ?? []).filter((t) => t.full).map((t) => t.id);
      for (const stream of writing) expect(full).toEqual(expect.arrayContaining(stream.tapes.slice(0, -1)));
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('a stream whose library runs out of tapes fails, and failover carries on', async () => {
    const engine = await open({ size: 8 * 2 ** 20, tapeCapacity: 1024 * 1024 });
    try {
      const plan = engine.plan({ streams: 2, mover: 'copy-device' }).streams;
      // Stream 0's library keeps one tape: it fills after about 14 chunks.
      for (const tape of engine.site.tapesOf(plan[0]!.library).slice(1)) engine.setState(tape.id, 'unavailable');
      const result = await engine.backup({ target: '/movies', mode: 'failover', chunkSize: CHUNK });
      expect(result.job.state).toBe('succeeded');
      expect(result.streams[0]!.status).toBe('failed');
      expect(result.streams[0]!.error).toMatch(/end-of-medium.*no other tape/);
      expect(result.streams[1]!.status).toBe('completed');
      expect([...(await copyShas(engine, result)).values()]).toEqual([await sourceStreamSha(engine, '/movies')]);
    } finally {
      engine.close();
    }
  });

  it.each(['mirrored', 'failover'] as const)('%s: when every stream fails the job fails and nothing is offered', async (mode) => {
    const engine = await open();
    try {
      const [first, second] = moversOf(engine, mode);
      const result = await engine.backup({
        target: '/pictures',
        mode,
        chunkSize: CHUNK,
        faults: [
          { device: first!, kind: 'crash', at: { chunk: 1 } },
          { device: second!, kind: 'io-error', at: { chunk: 3 } },
        ],
      });
      expect(result.job.state).toBe('failed');
      expect(result.job.message).toMatch(/^every stream failed/);
      expect(result.backup!.state).toBe('failed');
      expect(result.backup!.copies.every((c) => c.state === 'failed')).toBe(true);
      expect(result.streams.map((s) => s.status)).toEqual(['failed', 'failed']);
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('three streams fail over twice and the copy is whole', async () => {
    const engine = await open();
    try {
      const movers = moversOf(engine, 'failover', 3);
      const events: JobEvent[] = [];
      engine.onJobEvent((e) => events.push(e));
      const result = await engine.backup({
        target: '/pictures',
        mode: 'failover',
        streams: 3,
        chunkSize: CHUNK,
        faults: [
          { device: movers[0]!, kind: 'crash', at: { chunk: 1 } },
          { device: movers[1]!, kind: 'io-error', at: { chunk: 3 } },
        ],
      });
      expect(result.job.state).toBe('succeeded');
      expect(result.streams.map((s) => s.status)).toEqual(['failed', 'failed', 'completed']);
      expect(new Set(result.fragments.map((f) => f.tape)).size).toBe(3);
      expect(events.filter((e) => e.type === 'failover')).toEqual([
        { type: 'failover', jobId: result.job.id, from: 0, to: 1, chunk: 1 },
        { type: 'failover', jobId: result.job.id, from: 1, to: 2, chunk: 3 },
      ]);
      expect([...(await copyShas(engine, result)).values()]).toEqual([await sourceStreamSha(engine, '/pictures')]);
    } finally {
      engine.close();
    }
  });

  it("a failing prepare fails the job before any data moves, and finish is not run", async () => {
    const marks = tempDir();
    const engine = await open({
      edit: (config) => {
        const host = config.devices.find((d) => d.kind === 'host')!;
        if (host.kind !== 'host') return;
        host.agent = { '/pictures': { prepare: ['sh', '-c', 'echo quiesce failed >&2; exit 3'], finish: ['touch', path.join(marks, 'finished')] } };
      },
    });
    try {
      const result = await engine.backup({ target: '/pictures', mode: 'mirrored' });
      expect(result.job.state).toBe('failed');
      expect(result.job.message).toMatch(/prepare failed: sh on host-1 exited with code 3: quiesce failed/);
      expect(result.backup).toBeNull();
      expect(fs.existsSync(path.join(marks, 'finished'))).toBe(false);
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('prepare and finish run around a backup that succeeds', async () => {
    const marks = tempDir();
    const engine = await open({
      edit: (config) => {
        const host = config.devices.find((d) => d.kind === 'host')!;
        if (host.kind !== 'host') return;
        host.agent = { '/pictures': { prepare: ['touch', path.join(marks, 'prepared')], finish: ['touch', path.join(marks, 'finished')] } };
      },
    });
    try {
      const result = await engine.backup({ target: '/pictures', mode: 'failover' });
      expect(result.job.state).toBe('succeeded');
      expect(fs.existsSync(path.join(marks, 'prepared'))).toBe(true);
      expect(fs.existsSync(path.join(marks, 'finished'))).toBe(true);
    } finally {
      engine.close();
    }
  });

  it.each([
    ['crash', /the agent on host-1 crashed/],
    ['hang', /the agent on host-1 did not answer within 300 ms/],
  ] as const)('a host fault (%s) fails the prepare', async (kind, message) => {
    const engine = await open();
    try {
      const result = await engine.backup({ target: '/pictures', timeoutMs: 300, faults: [{ device: 'host-1', kind, at: { chunk: 0 } }] });
      expect(result.job.state).toBe('failed');
      expect(result.job.message).toMatch(message);
      expect(inUse(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('a hung mover is fenced and never writes to its tape again', async () => {
    const engine = await open();
    try {
      const [first] = engine.plan({ streams: 2, mover: 'copy-device' }).streams;
      const result = await engine.backup({
        target: '/pictures',
        mode: 'failover',
        chunkSize: CHUNK,
        timeoutMs: 1500,
        faults: [{ device: first!.mover, kind: 'hang', at: { chunk: 2 } }],
      });
      expect(result.job.state).toBe('succeeded');
      expect(result.streams[0]!.error).toMatch(/timeout at chunk 2: .* did not answer within 1500 ms; fenced/);

      const file = path.join(engine.site.libraryDir(engine.site.device(first!.library) as never), `${first!.tape}.tape`);
      const before = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      await sleep(1000);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
      // The tape ends with the catalog record the manager wrote after the job; nothing follows it.
      const volume = await tapeFile(engine, first!.library, first!.tape);
      try {
        const records = [];
        for await (const record of volume.scan()) records.push(record);
        expect(records.map((r) => r.type)).toEqual(['data', 'data', 'catalog']);
        expect(records.at(-1)!.end).toBe(fs.statSync(file).size);
      } finally {
        await volume.unload();
      }
    } finally {
      engine.close();
    }
  });

  it('a file changed after the listing is reported, marked, and stored as zeros', async () => {
    const engine = await open();
    try {
      const movers = moversOf(engine, 'mirrored');
      const listing = await takeListing(path.join(engine.site.dir, 'storage', 'pictures'), 'directory');
      const last = listing.entries.filter((e) => e.type === 'file' && e.size > 0).at(-1)!;
      let touched = false;
      engine.onJobEvent((event) => {
        if (event.type === 'progress' && !touched) {
          touched = true;
          fs.utimesSync(path.join(listing.source, last.path), new Date(), new Date());
        }
      });
      const result = await engine.backup({
        target: '/pictures',
        mode: 'mirrored',
        chunkSize: CHUNK,
        faults: movers.map((device) => ({ device, kind: 'slow' as const, at: { chunk: 0 }, rate: 1024 * 1024 })),
      });
      expect(touched).toBe(true);
      expect(result.job.state).toBe('succeeded');
      const warnings = engine.jobLog(result.job.id).filter((e) => e.level === 'warning').map((e) => e.message);
      expect(warnings).toEqual([expect.stringContaining(`${last.path} changed after the listing was taken`)]);
      expect(engine.catalog.backups.markedFiles(result.backup!.id)).toEqual([{ no: last.no, name: last.name, status: 'changed' }]);
      const bytes: Buffer[] = [];
      await readCopy(engine.site, result.backup!.id, result.fragments, 0, (b) => bytes.push(Buffer.from(b)));
      const stream = Buffer.concat(bytes);
      expect(stream.subarray(last.dataOffset, last.dataOffset + last.size).every((b) => b === 0)).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('every tape written ends with a record of what the catalog has on it (step 1170)', async () => {
    const engine = await open();
    try {
      const [first] = moversOf(engine, 'failover');
      const result = await engine.backup({ target: '/pictures', mode: 'failover', chunkSize: CHUNK, faults: [{ device: first!, kind: 'crash', at: { chunk: 3 } }] });
      expect(result.job.state).toBe('succeeded');
      const tapes = [...new Set(result.fragments.map((f) => `${f.library}/${f.tape}`))];
      expect(tapes).toHaveLength(2);
      for (const entry of tapes) {
        const [library, tape] = entry.split('/') as [string, string];
        const volume = await tapeFile(engine, library, tape);
        try {
          let last = null;
          for await (const record of volume.scan()) last = record;
          expect(last!.type).toBe('catalog');
          const record = JSON.parse((await volume.read(last!.position)).payload.toString('utf8'));
          expect(record).toMatchObject({ format: 'mpbackup-tape-catalog', version: 1, tape, library });
          expect(record.backups).toEqual([{ backup: engine.catalog.backups.get(result.backup!.id), fragments: result.fragments.filter((f) => f.tape === tape) }]);
          expect(engine.inventory.tapeUsage(tape).usedBytes).toBe(last!.end);
        } finally {
          await volume.unload();
        }
      }
    } finally {
      engine.close();
    }
  });

  it('progress events count each stream, at most ten a second, and end at the backup size', async () => {
    const engine = await open();
    try {
      const events: JobEvent[] = [];
      const times: number[] = [];
      engine.onJobEvent((e) => {
        events.push(e);
        if (e.type === 'progress') times.push(performance.now());
      });
      const result = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: CHUNK });
      const progress = events.filter((e) => e.type === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < times.length - 1; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(95);
      expect(progress.at(-1)!.streams.map((s) => s.bytes)).toEqual([result.backup!.size, result.backup!.size]);
      expect(events.filter((e) => e.type === 'job-state').map((e) => e.state)).toEqual(['reserving', 'running']);
      expect(events.at(-1)).toMatchObject({ type: 'job-finished', state: 'succeeded', backupId: result.backup!.id });
    } finally {
      engine.close();
    }
  });

  it.each([
    [{ target: '/nothing-here' }, /no \/nothing-here on this site's storage/],
    [{ target: '/pictures/../..' }, /may not contain "\.\."/],
    [{ target: 'pictures' }, /a target is a volume/],
    [{ target: 'Q:' }, /no volume Q:/],
    [{ target: '/pictures', faults: [{ device: 'switch-9', kind: 'down', at: { chunk: 0 } }] }, /no such device/],
    [{ target: '/pictures', faults: [{ device: 'copy-A', kind: 'down', at: { chunk: 0 } }] }, /a copy-device cannot have a "down" fault/],
    [{ target: '/pictures', faults: [{ device: 'copy-A', kind: 'crash', at: { position: 5000 } }] }, /@position= is for tapes/],
  ] as const)('bad request %j changes nothing', async (request, message) => {
    const engine = await open();
    try {
      await expect(engine.backup(request as never)).rejects.toThrow(JobRequestError);
      await expect(engine.backup(request as never)).rejects.toThrow(message);
      expect(engine.jobs()).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('a chunk that fits on no tape of a library is refused before anything starts', async () => {
    const engine = await open({ tapeCapacity: 512 * 1024 });
    try {
      await expect(engine.backup({ target: '/pictures', chunkSize: 1024 * 1024 })).rejects.toThrow(/a chunk of 1048576 bytes fits on no tape of library-A \(the largest holds 524288 bytes\)/);
      await expect(engine.backup({ target: '/pictures', chunkSize: 1000 })).rejects.toThrow();
      expect(engine.jobs()).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('a tape too small for one chunk is passed over: its stream goes on on the next tape', async () => {
    const engine = await open({
      edit: (config) => {
        for (const device of config.devices) if (device.kind === 'library') device.tapes[0] = { ...device.tapes[0]!, capacity: 128 * 1024 };
      },
    });
    try {
      const result = await engine.backup({ target: '/pictures', mode: 'mirrored', chunkSize: 256 * 1024 });
      expect(result.job.state).toBe('succeeded');
      expect(result.fragments.every((f) => !f.tape.endsWith('00001'))).toBe(true);
      const source = await sourceStreamSha(engine, '/pictures');
      expect([...(await copyShas(engine, result)).values()]).toEqual([source, source]);
    } finally {
      engine.close();
    }
  });
});
