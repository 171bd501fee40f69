// Small parts of the backup machinery on their own: fault specs as operators write them, the
// progress meter's rate limit, the mover's fault plan, and how stored chunks become fragments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../engine/catalog';
import { formatFault, parseFault, type Fault, type JobEvent } from '../../engine/contract';
import { ProgressMeter } from '../../engine/jobs/progress';
import { FaultPlan } from '../../engine/movers/faults';
import { useTempDirs } from '../helpers/temp';

describe('fault specs', () => {
  const fault = fc.record(
    {
      device: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
      kind: fc.constantFrom('crash', 'io-error', 'hang', 'slow', 'down', 'media-error') as fc.Arbitrary<Fault['kind']>,
      at: fc.oneof(
        fc.nat().map((chunk) => ({ chunk })),
        fc.nat().map((byte) => ({ byte })),
        fc.nat().map((position) => ({ position })),
      ) as fc.Arbitrary<Fault['at']>,
      rate: fc.integer({ min: 1, max: 2 ** 40 }),
    },
    { requiredKeys: ['device', 'kind', 'at'] },
  ).map((f) => (f.kind === 'slow' ? { ...f, rate: f.rate ?? 1024 * 1024 } : { device: f.device, kind: f.kind, at: f.at }));

  it('parse(format(f)) is f', () => {
    fc.assert(
      fc.property(fault, (f) => {
        expect(parseFault(formatFault(f))).toEqual(f);
      }),
    );
  });

  it('reads the forms operators write', () => {
    expect(parseFault('copy-A:crash@chunk=2')).toEqual({ device: 'copy-A', kind: 'crash', at: { chunk: 2 } });
    expect(parseFault('switch-2:down')).toEqual({ device: 'switch-2', kind: 'down', at: { chunk: 0 } });
    expect(parseFault('A00001:media-error@position=1MiB')).toEqual({ device: 'A00001', kind: 'media-error', at: { position: 2 ** 20 } });
    expect(parseFault('server-B:slow@byte=8MiB,rate=4MiB')).toEqual({ device: 'server-B', kind: 'slow', at: { byte: 8 * 2 ** 20 }, rate: 4 * 2 ** 20 });
  });

  it.each([
    ['copy-A', /expected DEVICE:KIND/],
    ['copy-A:explode', /unknown fault "explode"/],
    ['copy-A:crash@chunk=x', /chunk must be a whole number/],
    ['copy-A:crash@byte=lots', /byte must be a byte count/],
    ['copy-A:crash@chunk=1,rate=1MiB', /only a slow fault takes a rate/],
    ['copy-A:slow,rate=0', /rate must be a size/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFault(text)).toThrow(message);
  });
});

describe('progress meter', () => {
  it('sends at most one event per 100 ms whatever the number of chunks, with the rate over the interval', () => {
    let now = 0;
    const events: JobEvent[] = [];
    const meter = new ProgressMeter(7, 10_000, [0, 1], (e) => events.push(e), () => now);
    for (let i = 0; i < 50; i++) {
      now += 10; // 50 chunks in 500 ms
      meter.add(i % 2, 100);
    }
    expect(events).toHaveLength(5);
    const last = events.at(-1)!;
    expect(last).toEqual({ type: 'progress', jobId: 7, size: 10_000, streams: [
      { stream: 0, bytes: 2500, chunks: 25, throughput: 5000 },
      { stream: 1, bytes: 2500, chunks: 25, throughput: 5000 },
    ] });
    meter.flush();
    expect(events).toHaveLength(6);
  });
});

describe("a mover's fault plan", () => {
  const moment = (chunk: number, tape = 'A00001', position = 4096 + chunk * 1000) => ({ chunk, offset: chunk * 100, length: 100, tape, position, end: position + 1000 });

  it('fires each fault once, at its chunk, byte or tape position', () => {
    const plan = new FaultPlan([
      { device: 'copy-A', kind: 'crash', at: { chunk: 2 } },
      { device: 'storage-1', kind: 'io-error', at: { byte: 350 } },
      { device: 'A00001', kind: 'media-error', at: { position: 4096 + 4 * 1000 + 5 } },
      { device: 'A00002', kind: 'media-error', at: { chunk: 1 } },
    ]);
    expect(plan.fire(moment(0))).toEqual([]);
    expect(plan.fire(moment(1))).toEqual([]); // the media error is on another tape
    expect(plan.fire(moment(2)).map((f) => f.device)).toEqual(['copy-A']);
    expect(plan.fire(moment(2))).toEqual([]);
    expect(plan.fire(moment(3)).map((f) => f.device)).toEqual(['storage-1']);
    expect(plan.fire(moment(4)).map((f) => f.device)).toEqual(['A00001']);
    expect(plan.fire(moment(1, 'A00002')).map((f) => f.device)).toEqual(['A00002']);
  });

  it('an armed fault fires at the next chunk (a media error at the next one on its tape), once', () => {
    const plan = new FaultPlan([]);
    plan.fire(moment(0));
    plan.arm({ device: 'A00002', kind: 'media-error' });
    plan.arm({ device: 'switch-1', kind: 'down' });
    expect(plan.fire(moment(5))).toEqual([{ device: 'switch-1', kind: 'down', at: { chunk: 5 } }]);
    expect(plan.fire(moment(6))).toEqual([]);
    expect(plan.fire(moment(7, 'A00002'))).toEqual([{ device: 'A00002', kind: 'media-error', at: { chunk: 7 } }]);
    expect(plan.fire(moment(8, 'A00002'))).toEqual([]);
  });

  it('caps the rate once a slow fault fired', () => {
    const plan = new FaultPlan([{ device: 'server-A', kind: 'slow', at: { chunk: 1 }, rate: 1000 }]);
    plan.fire(moment(0));
    expect(plan.minimumMs(500)).toBe(0);
    plan.fire(moment(1));
    expect(plan.minimumMs(500)).toBe(500);
  });
});

describe('stored chunks become fragments', () => {
  const tempDir = useTempDirs('mpb-fragments-');

  it('consecutive records of one stream on one tape extend one fragment; anything else starts another', async () => {
    const catalog = await Catalog.open(tempDir());
    try {
      const job = catalog.jobs.create({ kind: 'backup', target: '/x', mode: 'failover', streams: 2, createdAt: 't' });
      const hop = { from: { device: 'a', port: 0 }, to: { device: 'b', port: 0 } };
      catalog.jobs.recordStreams(job.id, [
        { stream: 0, mover: 'copy-A', library: 'library-A', tape: 'A00001', switches: [], path: [hop] },
        { stream: 1, mover: 'copy-B', library: 'library-B', tape: 'B00001', switches: [], path: [hop] },
      ]);
      const backupId = catalog.backups.create({ jobId: job.id, target: '/x', mode: 'failover', sourceKind: 'directory', dataTime: 't', startedAt: 't', size: 500, chunkSize: 100, files: 0, copies: [0] });
      const chunk = (index: number, stream: number, tape: string, position: number, runStart: number) => ({
        backupId, jobId: job.id, copy: 0, stream, chunkIndex: index, offset: index * 100, size: 100,
        library: `library-${tape[0]}`, tape, position, end: position + 244, run: { position: runStart, sha256: `${index}`.padStart(64, '0') },
      });
      catalog.backups.commitChunk(chunk(0, 0, 'A00001', 4096, 4096));
      catalog.backups.commitChunk(chunk(1, 0, 'A00001', 4340, 4096));
      catalog.backups.commitChunk(chunk(2, 0, 'A00002', 4096, 4096)); // spanned onto another tape
      catalog.backups.commitChunk(chunk(3, 1, 'B00001', 4096, 4096)); // failed over to stream 1
      catalog.backups.commitChunk(chunk(4, 1, 'B00001', 4340, 4096));
      expect(catalog.backups.fragments(backupId).map((f) => [f.tape, f.stream, f.offset, f.size, f.chunks, f.position, f.sha256.slice(-1)])).toEqual([
        ['A00001', 0, 0, 200, 2, 4096, '1'],
        ['A00002', 0, 200, 100, 1, 4096, '2'],
        ['B00001', 1, 300, 200, 2, 4096, '4'],
      ]);
      expect(catalog.inventory.load().tapes.map((t) => [t.id, t.usedBytes])).toEqual([
        ['A00001', 4584],
        ['A00002', 4340],
        ['B00001', 4584],
      ]);
      expect(catalog.jobs.streams(job.id).map((s) => s.bytes)).toEqual([300, 200]);
    } finally {
      catalog.close();
    }
  });
});
