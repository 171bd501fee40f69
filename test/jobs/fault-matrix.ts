// The fault matrix of the backup tests: for a mode, every device kind x fault kind x moment (the
// first, a middle and the last chunk), injected into stream 0's devices (or the shared storage),
// with the outcome SPEC.md calls for, checked on real bytes read back from the tapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../engine';
import type { BackupMode, Fault, FaultKind, PlannedStream } from '../../engine/contract';
import { LABEL_SIZE, RECORD_OVERHEAD } from '../../engine/media';
import { copyShas, makeBackupSite, sourceStreamSha } from '../helpers/backup-site';

export const CHUNK = 64 * 1024;
export const TIMEOUT_MS = 2000;
const TARGET = '/pictures';

type Role = 'mover' | 'library' | 'switch' | 'storage' | 'tape';

const KINDS: Record<Role, FaultKind[]> = {
  mover: ['crash', 'io-error', 'hang', 'slow'],
  library: ['crash', 'io-error', 'hang', 'slow'],
  switch: ['down', 'slow'],
  storage: ['crash', 'io-error', 'hang', 'slow'],
  tape: ['media-error'],
};

function deviceOf(role: Role, stream: PlannedStream, storage: string): string {
  if (role === 'mover') return stream.mover;
  if (role === 'library') return stream.library;
  if (role === 'switch') return stream.switches[0]!;
  if (role === 'tape') return stream.tape;
  return storage;
}

/** Where the next record goes on a tape. */
function tapeEnd(engine: Engine, tape: string): number {
  return Math.max(engine.inventory.tapeUsage(tape).usedBytes, LABEL_SIZE);
}

export function faultMatrix(mode: BackupMode): void {
  describe(`${mode} backup: a fault at any moment costs no rerun`, () => {
    let dir: string;
    let engine: Engine;
    let source: string;
    let chunks: number;

    beforeAll(async () => {
      dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `mpb-${mode}-`)), 'site');
      await makeBackupSite(dir);
      engine = await Engine.open(dir);
      source = await sourceStreamSha(engine, TARGET);
      const probe = await engine.backup({ target: TARGET, mode, chunkSize: CHUNK, timeoutMs: TIMEOUT_MS });
      expect(probe.job.state).toBe('succeeded');
      chunks = Math.ceil(probe.backup!.size / CHUNK);
      expect(chunks).toBeGreaterThanOrEqual(4);
      expect([...(await copyShas(engine, probe)).values()]).toEqual(mode === 'mirrored' ? [source, source] : [source]);
    });

    afterAll(() => {
      engine?.close();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    const cases = (Object.keys(KINDS) as Role[]).flatMap((role) =>
      KINDS[role].flatMap((kind) => (['first', 'middle', 'last'] as const).map((moment) => ({ role, kind, moment }))),
    );

    it.each(cases)('$role $kind at the $moment chunk', async ({ role, kind, moment }) => {
      const mover = mode === 'mirrored' ? 'backup-server' : 'copy-device';
      const plan = engine.plan({ streams: 2, mover });
      expect(plan.feasible).toBe(true);
      const [first, second] = plan.streams as [PlannedStream, PlannedStream];
      const chunk = moment === 'first' ? 0 : moment === 'middle' ? Math.floor(chunks / 2) : chunks - 1;
      // Tape faults are given by position on the tape, the others by chunk (or, mid-stream, by byte).
      const at: Fault['at'] =
        role === 'tape' ? { position: tapeEnd(engine, first.tape) + chunk * (CHUNK + RECORD_OVERHEAD) + 10 } : moment === 'middle' ? { byte: chunk * CHUNK + 7 } : { chunk };
      const fault: Fault = { device: deviceOf(role, first, 'storage-1'), kind, at, ...(kind === 'slow' ? { rate: 4 * 2 ** 20 } : {}) };

      const result = await engine.backup({ target: TARGET, mode, chunkSize: CHUNK, timeoutMs: TIMEOUT_MS, faults: [fault] });
      const streams = result.streams;
      expect(streams.map((s) => s.mover)).toEqual([first.mover, second.mover]);

      if (kind === 'slow') {
        expect(result.job.state).toBe('succeeded');
      } else if (role === 'storage') {
        // Both streams read the same storage: when it fails, every stream fails.
        expect(result.job.state).toBe('failed');
        expect(result.backup!.state).toBe('failed');
        expect(streams.every((s) => s.status === 'failed')).toBe(true);
      } else if (mode === 'mirrored') {
        expect(result.job.state).toBe('succeeded-degraded');
        expect(streams.map((s) => s.status)).toEqual(['failed', 'completed']);
        expect(result.backup!.copies).toEqual([
          { copy: 0, state: 'failed' },
          { copy: 1, state: 'complete' },
        ]);
      } else {
        expect(result.job.state).toBe('succeeded');
        expect(streams.map((s) => s.status)).toEqual(['failed', 'completed']);
        // Chunks before the fault stay on stream 0's tape; the rest went to stream 1's.
        const tapes = [...new Set(result.fragments.map((f) => f.tape))];
        expect(tapes).toEqual(chunk === 0 ? [second.tape] : [first.tape, second.tape]);
        expect(result.fragments.find((f) => f.stream === 1)!.offset).toBe(chunk * CHUNK);
      }
      if (streams[0]!.status === 'failed') expect(streams[0]!.error).toMatch(kind === 'hang' ? /timeout/ : /./);

      // Every complete copy holds exactly the source's bytes; failed copies are never offered.
      const shas = await copyShas(engine, result);
      for (const sha of shas.values()) expect(sha).toBe(source);
      if (result.job.state === 'failed') expect(shas.size).toBe(0);
      // Nothing stays reserved.
      expect(engine.describe().devices.filter((d) => d.state === 'in-use')).toEqual([]);
    });
  });
}
