// Backup benchmark: a data set of incompressible files of mixed sizes (1 GiB by default,
// $BENCH_BACKUP_SIZE to change it) backed up on this machine's disk.
// - mirrored_vs_tar_tee_ratio: a mirrored backup over 2 streams against
//   `tar -cf - -C SRC . | tee A > B` followed by sync, run alternately in the same process;
// - failover_fault_penalty_ratio: failover with stream 0's copy device crashing at 50%, against
//   the same job without a fault;
// - mirrored_fault_penalty_ratio: mirrored with stream 0's backup server crashing at 50%, against
//   the same job without a fault;
// - mirrored_cold_vs_tar_tee_ratio: as the first, but the movers' processes are started by the job
//   (as in a one-shot `mpbackup backup` from a checkout, where tsx compiles them on start) instead
//   of kept ready by a long-running manager (the desktop app keeps 3, see electron/main/app.ts).
// Every figure is the median over ROUNDS rounds ($BENCH_ROUNDS, default 5); every run starts on a fresh site with blank
// tapes, after a sync, with the data set in the page cache for tar and the movers alike.
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, parseSize } from '../../engine';
import type { BackupMode, BackupResult, Fault, MoverKind } from '../../engine/contract';
import { benchSite, writeDataSet } from './dataset';
import { median, report } from './report';

const SIZE = parseSize(process.env.BENCH_BACKUP_SIZE ?? '1GiB') ?? 2 ** 30;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHUNK = 8 * 2 ** 20;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-bench-backup-'));
const data = path.join(work, 'data');

/** A fresh demo-topology site whose storage is the data set. */
function freshSite(): Promise<string> {
  return benchSite(work, data, SIZE);
}

function sync(): void {
  execFileSync('sync');
}

async function timeBackup(mode: BackupMode, crashAtHalf: boolean, warm = true): Promise<number> {
  const dir = await freshSite();
  const engine = await Engine.open(dir, { warmMovers: warm ? 2 : 0 });
  // Let the idle movers start, as they have long done in a manager that stays up.
  if (warm) await sleep(1500);
  let result: BackupResult;
  let ms: number;
  try {
    const mover: MoverKind = mode === 'mirrored' ? 'backup-server' : 'copy-device';
    const first = engine.plan({ streams: 2, mover }).streams[0]!.mover;
    const faults: Fault[] = crashAtHalf ? [{ device: first, kind: 'crash', at: { chunk: Math.floor(SIZE / CHUNK / 2) } }] : [];
    sync();
    const start = performance.now();
    result = await engine.backup({ target: '/', mode, chunkSize: CHUNK, faults });
    ms = performance.now() - start;
  } finally {
    engine.close();
  }
  const expected = crashAtHalf && mode === 'mirrored' ? 'succeeded-degraded' : 'succeeded';
  if (result.job.state !== expected) throw new Error(`${mode} backup ${result.job.state}: ${result.job.message}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

function timeTarTee(): number {
  const out = fs.mkdtempSync(path.join(work, 'tar-'));
  sync();
  const start = performance.now();
  const run = spawnSync('sh', ['-c', `tar -cf - -C "${data}" . | tee "${out}/A" > "${out}/B" && sync`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error('tar | tee failed');
  fs.rmSync(out, { recursive: true, force: true });
  return ms;
}

try {
  const files = writeDataSet(data, SIZE);
  sync();
  process.stderr.write(`backup bench: ${files} files, ${SIZE} bytes, ${ROUNDS} rounds\n`);
  // Warm the page cache and the module cache once, untimed.
  timeTarTee();
  await timeBackup('mirrored', false);

  const mirroredVsTar: number[] = [];
  const failoverPenalty: number[] = [];
  const mirroredPenalty: number[] = [];
  const coldVsTar: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // The two runs of each pair take turns going first, so neither always meets the disk right
    // after the other's deletions.
    const pair = async <A, B>(a: () => A | Promise<A>, b: () => B | Promise<B>): Promise<[A, B]> => {
      if (round % 2 === 0) return [await a(), await b()];
      const second = await b();
      return [await a(), second];
    };
    const [tar, mirrored] = await pair(timeTarTee, () => timeBackup('mirrored', false));
    const [cold, mirroredFault] = await pair(() => timeBackup('mirrored', false, false), () => timeBackup('mirrored', true));
    const [failover, failoverFault] = await pair(() => timeBackup('failover', false), () => timeBackup('failover', true));
    process.stderr.write(
      `round ${round}: tar|tee ${tar.toFixed(0)} ms, mirrored ${mirrored.toFixed(0)} (cold ${cold.toFixed(0)}), mirrored+crash ${mirroredFault.toFixed(0)}, failover ${failover.toFixed(0)}, failover+crash ${failoverFault.toFixed(0)}\n`,
    );
    mirroredVsTar.push(mirrored / tar);
    coldVsTar.push(cold / tar);
    mirroredPenalty.push(mirroredFault / mirrored);
    failoverPenalty.push(failoverFault / failover);
  }
  report('backup', 'mirrored_vs_tar_tee_ratio', median(mirroredVsTar), 'ratio');
  report('backup', 'failover_fault_penalty_ratio', median(failoverPenalty), 'ratio');
  report('backup', 'mirrored_fault_penalty_ratio', median(mirroredPenalty), 'ratio');
  report('backup', 'mirrored_cold_vs_tar_tee_ratio', median(coldVsTar), 'ratio');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
