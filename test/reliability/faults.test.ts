// Part 2 of the reliability suite: the fault matrix beyond test/jobs/fault-matrix.ts (which
// covers one fault on stream 0 of a two-stream job). Here, for both modes:
// - every device kind (backup server, copy device, library, tape, FC switch, storage, host) x every
//   fault kind: the kinds a device cannot have are refused before anything starts and change
//   nothing; a host's fault fails the job before any data moves;
// - a second fault on the stream that takes over (every role, every kind it can have, at its first,
//   a middle and its last chunk), after stream 0 has failed, with two and three streams: with no
//   stream left the job fails and nothing is offered; with one left, mirrored ends degraded with
//   that copy and failover succeeds on it;
// - faults while restoring (the mover, the library, the tape, a switch; first, middle, last chunk)
//   from a mirrored backup (the other copy serves) and a failover one (split over two libraries):
//   only complete files identical to the source land, a succeeded restore is whole, a degraded or
//   failed one names what it could not restore.
// After every job nothing is reserved and every complete copy reads back identical to the source.
// Locally every case runs; with RELIABILITY_TRIALS < 100 (CI) each role x kind x mode runs at one
// moment drawn from the seed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, JobRequestError } from '../../engine';
import type { BackupMode, DeviceKind, Fault, FaultKind, MoverKind, PlannedStream } from '../../engine/contract';
import { FaultKind as FaultKinds } from '../../engine/contract';
import { LABEL_SIZE, RECORD_OVERHEAD } from '../../engine/media';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';
import { describeTree, type TreeEntry } from '../helpers/trees';
import { announce, Random, report, SEED, TRIALS } from './common';

const CHUNK = 64 * 1024;
const TIMEOUT_MS = 1500;
const TARGET = '/pictures';
const TEMPORARY = /^\..*\.mpb-.*\.tmp$/;
const FULL = TRIALS >= 100;

type Role = 'mover' | 'library' | 'switch' | 'tape';
const KINDS: Record<Role, FaultKind[]> = {
  mover: ['crash', 'io-error', 'hang', 'slow'],
  library: ['crash', 'io-error', 'hang', 'slow'],
  switch: ['down', 'slow'],
  tape: ['media-error'],
};
/** What each kind of device can have (docs/site-config.md, "Fault drills"). */
const CAN_HAVE: Record<DeviceKind | 'tape', FaultKind[]> = {
  host: ['crash', 'io-error', 'hang'],
  storage: ['crash', 'io-error', 'hang', 'slow'],
  'backup-server': ['crash', 'io-error', 'hang', 'slow'],
  'copy-device': ['crash', 'io-error', 'hang', 'slow'],
  library: ['crash', 'io-error', 'hang', 'slow'],
  switch: ['down', 'slow'],
  tape: ['media-error'],
};
const EXAMPLE: Record<DeviceKind | 'tape', string> = {
  host: 'host-1',
  storage: 'storage-1',
  'backup-server': 'server-A',
  'copy-device': 'copy-A',
  library: 'library-A',
  switch: 'switch-1',
  tape: 'A00001',
};
const MOMENTS = ['first', 'middle', 'last'] as const;
type Moment = (typeof MOMENTS)[number];

describe('the fault matrix, beyond one fault on stream 0', () => {
  const random = new Random(SEED ^ 0x0f4017);
  let root: string;
  let engine: Engine;
  let source: string;
  let tree: Map<string, TreeEntry>;
  let chunks: number;
  const counts = { injected: 0, refused: 0, jobs: 0 };

  beforeAll(async () => {
    announce('faults');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-faults-'));
    engine = await Engine.open(await makeBackupSite(path.join(root, 'site')));
    source = await sourceStreamSha(engine, TARGET);
    tree = describeTree(path.join(engine.site.dir, 'storage', TARGET));
    const probe = await engine.backup({ target: TARGET, mode: 'failover', chunkSize: CHUNK });
    chunks = Math.ceil(probe.backup!.size / CHUNK);
    expect(chunks).toBeGreaterThanOrEqual(8);
  });

  afterAll(() => {
    engine?.close();
    fs.rmSync(root, { recursive: true, force: true });
    process.stdout.write(`reliability: faults: ${counts.jobs} backup and restore jobs with faults; ${counts.refused} faults a device cannot have refused before anything started\n`);
    report('faults', { 'faults injected': counts.injected, 'data lost': 0 });
  });

  function held(): string[] {
    return engine.describe().devices.flatMap((d) => [d, ...(d.tapes ?? [])]).filter((x) => x.state === 'in-use' || x.holder !== null).map((x) => x.id);
  }

  /** Where the next record goes on a tape. */
  function tapeEnd(tape: string): number {
    return Math.max(engine.inventory.tapeUsage(tape).usedBytes, LABEL_SIZE);
  }

  function deviceOf(role: Role, stream: PlannedStream): string {
    return role === 'mover' ? stream.mover : role === 'library' ? stream.library : role === 'switch' ? stream.switches[0]! : stream.tape;
  }

  /** A fault on a stream's device as it handles chunk `chunk`, the `nth` chunk that stream writes (tapes: by position). */
  function faultAt(role: Role, kind: FaultKind, stream: PlannedStream, chunk: number, nth: number): Fault {
    const at: Fault['at'] = role === 'tape' ? { position: tapeEnd(stream.tape) + nth * (CHUNK + RECORD_OVERHEAD) + 10 } : { chunk };
    return { device: deviceOf(role, stream), kind, at, ...(kind === 'slow' ? { rate: 4 * 2 ** 20 } : {}) };
  }

  it('refuses every fault a device cannot have, before anything starts, and changes nothing', async () => {
    for (const [device, allowed] of Object.entries(CAN_HAVE) as Array<[DeviceKind | 'tape', FaultKind[]]>) {
      for (const kind of FaultKinds.options.filter((k) => !allowed.includes(k))) {
        for (const mode of ['mirrored', 'failover'] as const) {
          const jobs = engine.jobs({ limit: 10_000 }).length;
          const at = device === 'tape' ? { position: 5000 } : { chunk: 0 };
          await expect(engine.backup({ target: TARGET, mode, chunkSize: CHUNK, faults: [{ device: EXAMPLE[device], kind, at }] })).rejects.toThrow(JobRequestError);
          await expect(engine.backup({ target: TARGET, mode, chunkSize: CHUNK, faults: [{ device: EXAMPLE[device], kind, at }] })).rejects.toThrow(new RegExp(`cannot have a "${kind}" fault`));
          expect(engine.jobs({ limit: 10_000 }).length).toBe(jobs);
          expect(held()).toEqual([]);
          counts.refused += 2;
        }
      }
    }
  });

  it.each(['mirrored', 'failover'] as const)("%s: a host's agent failing (crash, io-error, hang) fails the job before any data moves", async (mode) => {
    for (const kind of CAN_HAVE.host) {
      const result = await engine.backup({ target: TARGET, mode, chunkSize: CHUNK, timeoutMs: TIMEOUT_MS, faults: [{ device: 'host-1', kind, at: { chunk: 0 } }] });
      counts.injected += 1;
      counts.jobs += 1;
      expect(result.job.state).toBe('failed');
      expect(result.fragments).toEqual([]);
      expect(result.backup === null || result.backup.state === 'failed').toBe(true);
      expect(held()).toEqual([]);
    }
  });

  const cases = (['mirrored', 'failover'] as const).flatMap((mode) =>
    (Object.keys(KINDS) as Role[]).flatMap((role) =>
      KINDS[role].flatMap((kind) => {
        const all = MOMENTS.flatMap((moment) => [2, 3].map((streams) => ({ mode, role, kind, moment, streams })));
        return FULL ? all : [random.pick(all)];
      }),
    ),
  );

  it.each(cases)('$mode, $streams streams: stream 0 fails, then $role $kind on the stream that takes over, at its $moment chunk', async ({ mode, role, kind, moment, streams }) => {
    const mover: MoverKind = mode === 'mirrored' ? 'backup-server' : 'copy-device';
    const plan = engine.plan({ streams, mover });
    expect(plan.feasible).toBe(true);
    const [first, second] = plan.streams as [PlannedStream, PlannedStream];
    // Stream 0 stores chunk 0 and fails at chunk 1, by a fault of a role drawn from the seed.
    const firstRole = random.pick<Role>(['mover', 'library', 'switch', 'tape']);
    const firstKind = random.pick(KINDS[firstRole].filter((k) => k !== 'slow'));
    const firstFault = faultAt(firstRole, firstKind, first, 1, 1);
    // Stream 1 writes every chunk (mirrored) or the chunks from 1 on (failover).
    const from = mode === 'mirrored' ? 0 : 1;
    const last = chunks - 1;
    const chunk = moment === 'first' ? from : moment === 'middle' ? Math.floor((from + last) / 2) : last;
    const secondFault = faultAt(role, kind, second, chunk, chunk - from);
    // Pinned to the plan: among equally good streams the allocator prefers devices recent jobs used
    // least, and the new job itself moves that window, so an unpinned run may take others.
    const constraints = plan.streams.map((s) => ({ pin: [s.mover, s.library, s.tape, ...s.switches], exclude: [] }));
    const result = await engine.backup({ target: TARGET, mode, streams, chunkSize: CHUNK, timeoutMs: TIMEOUT_MS, constraints, faults: [firstFault, secondFault] });
    counts.injected += 2;
    counts.jobs += 1;
    const what = `${JSON.stringify(firstFault)} then ${JSON.stringify(secondFault)}: ${result.job.state} (${result.job.message ?? ''}) ${JSON.stringify(result.streams.map((s) => [s.status, s.error]))}`;

    expect(result.streams.map((s) => [s.mover, s.library, s.tapes[0]]), what).toEqual(plan.streams.map((s) => [s.mover, s.library, s.tape]));
    const statuses = result.streams.map((s) => s.status);
    expect(statuses[0], what).toBe('failed');
    const secondFails = kind !== 'slow';
    if (streams === 2 && secondFails) {
      // No stream is left: the job fails and nothing is offered for restore.
      expect(result.job.state, what).toBe('failed');
      expect(result.backup!.state, what).toBe('failed');
      expect(result.backup!.copies.every((c) => c.state === 'failed'), what).toBe(true);
    } else if (mode === 'mirrored') {
      expect(result.job.state, what).toBe('succeeded-degraded');
      expect(statuses, what).toEqual(streams === 2 ? ['failed', 'completed'] : secondFails ? ['failed', 'failed', 'completed'] : ['failed', 'completed', 'completed']);
      expect(result.backup!.copies.filter((c) => c.state === 'complete').map((c) => c.copy), what).toEqual(statuses.flatMap((s, i) => (s === 'completed' ? [i] : [])));
    } else {
      expect(result.job.state, what).toBe('succeeded');
      expect(statuses, what).toEqual(streams === 2 ? ['failed', 'completed'] : secondFails ? ['failed', 'failed', 'completed'] : ['failed', 'completed', 'unused']);
      // Chunk 0 stays on stream 0's tape; stream 1 wrote the chunks before its fault; the last stream the rest.
      const starts = result.fragments.map((f) => [f.stream, f.offset / CHUNK]);
      expect(starts[0], what).toEqual([0, 0]);
      if (secondFails) expect(result.fragments.find((f) => f.stream === 2)?.offset, what).toBe(chunk * CHUNK);
    }
    if (kind === 'hang' && secondFails && result.streams[1]!.status === 'failed') expect(result.streams[1]!.error, what).toMatch(/timeout/);

    const shas = await copyShas(engine, result);
    for (const sha of shas.values()) expect(sha, what).toBe(source);
    expect(shas.size, what).toBe(result.backup!.copies.filter((c) => c.state === 'complete').length);
    expect(held(), what).toEqual([]);
  });

  describe('faults while restoring', () => {
    const backups = new Map<BackupMode, number>();

    beforeAll(async () => {
      for (const mode of ['mirrored', 'failover'] as const) {
        // The failover backup is split over two libraries (its first copy device crashes half way).
        const [first] = engine.plan({ streams: 2, mover: mode === 'mirrored' ? 'backup-server' : 'copy-device' }).streams;
        const faults: Fault[] = mode === 'failover' ? [{ device: first!.mover, kind: 'crash', at: { chunk: Math.floor(chunks / 2) } }] : [];
        const result = await engine.backup({ target: TARGET, mode, chunkSize: CHUNK, faults });
        expect(result.job.state).toBe('succeeded');
        backups.set(mode, result.backup!.id);
      }
    });

    const restoreRoles: Record<Role, FaultKind[]> = KINDS;
    const restoreCases = (['mirrored', 'failover'] as const).flatMap((mode) =>
      (Object.keys(restoreRoles) as Role[]).flatMap((role) =>
        restoreRoles[role].flatMap((kind) => {
          const all = MOMENTS.map((moment) => ({ mode, role, kind, moment }));
          return FULL ? all : [random.pick(all)];
        }),
      ),
    );

    it.each(restoreCases)('from a $mode backup: $role $kind at the $moment chunk', async ({ mode, role, kind, moment }: { mode: BackupMode; role: Role; kind: FaultKind; moment: Moment }) => {
      const backupId = backups.get(mode)!;
      const to = path.join(root, `restored-${mode}-${role}-${kind}-${moment}`);
      const plan = engine.restorePlan({ backupId, destination: to });
      const index = moment === 'first' ? 0 : moment === 'middle' ? Math.floor(plan.chunks.length / 2) : plan.chunks.length - 1;
      const chunk = plan.chunks[index]!;
      const from = chunk.sources[0]!;
      // The mover is not known before it is reserved: every mover gets the fault (one that is not used never feels it).
      const devices =
        role === 'mover'
          ? engine.site.devices.filter((d) => d.kind === 'backup-server' || d.kind === 'copy-device').map((d) => d.id)
          : role === 'library'
            ? [from.library]
            : role === 'tape'
              ? [from.tape]
              : [random.pick(engine.site.devicesOfKind('switch').map((d) => d.id))];
      const faults: Fault[] = devices.map((device) => ({
        device,
        kind,
        at: role === 'tape' ? { position: from.position + 10 } : { chunk: chunk.index },
        ...(kind === 'slow' ? { rate: 4 * 2 ** 20 } : {}),
      }));
      const result = await engine.restore({ backupId, destination: to, timeoutMs: TIMEOUT_MS, faults });
      counts.injected += faults.length;
      counts.jobs += 1;
      const what = `${JSON.stringify(faults)}: ${result.job.state} (${result.job.message ?? ''}) ${JSON.stringify(result.files)}`;

      // Only complete files identical to the source, never a temporary one.
      const restored = describeTree(to);
      for (const [rel, entry] of restored) {
        expect(TEMPORARY.test(path.posix.basename(rel)), `${what}: ${rel}`).toBe(false);
        const original = tree.get(rel);
        expect(original, `${what}: ${rel} is not in the source`).toBeDefined();
        expect(entry.type, `${what}: ${rel}`).toBe(original!.type);
        if (entry.type !== 'directory') expect(entry.content, `${what}: ${rel} differs from the source`).toBe(original!.content);
      }
      // Succeeded: everything came back; degraded: some entries failed, by name; failed: nothing could be read.
      expect(['succeeded', 'succeeded-degraded', 'failed'], what).toContain(result.job.state);
      if (result.job.state === 'succeeded') {
        expect(restored, what).toEqual(tree);
        expect(result.files.failed, what).toBe(0);
      } else {
        expect(result.files.failed + result.errors.length + (result.job.message ? 1 : 0), what).toBeGreaterThan(0);
      }
      // A slow device only slows; with a second copy on another library, a bad library or tape costs nothing.
      if (kind === 'slow' || (mode === 'mirrored' && (role === 'library' || role === 'tape'))) expect(result.job.state, what).toBe('succeeded');
      expect(held(), what).toEqual([]);
      fs.rmSync(to, { recursive: true, force: true });
    });
  });
});
