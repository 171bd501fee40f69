// Restore figures of `npm run bench -- restore`, on the backup benchmark's data set (1 GiB by
// default, $BENCH_RESTORE_SIZE to change it) backed up once, mirrored, on this machine's disk:
// - full_restore_vs_tar_ratio: restoring the whole backup against `tar -xf` of the same stream
//   (the backup's chunks concatenated), each followed by sync, alternately, in the same process,
//   each on a settled disk;
// - single_file_chunks_read: chunks read to restore the file closest to 1 MiB;
// - single_file_time_fraction: that restore's time over the full restore's.
// Medians over $BENCH_ROUNDS rounds (default 5).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, parseSize, readCopy } from '../../engine';
import { benchSite, writeDataSet } from './dataset';
import { median, report } from './report';

/** Time left for the disk to settle after an output is deleted. */
const SETTLE_MS = 1000;

export async function benchRestoreRun(): Promise<void> {
  const size = parseSize(process.env.BENCH_RESTORE_SIZE ?? '1GiB') ?? 2 ** 30;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-bench-restore-'));
  const data = path.join(work, 'data');
  const sync = () => execFileSync('sync');
  // This disk is mounted with `discard`: deleting a run's output trims its blocks after the next
  // journal commit, which would slow whichever run comes next. Each output is deleted, synced
  // and given time to settle before the next run is timed.
  const remove = async (dir: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    sync();
    await sleep(SETTLE_MS);
  };
  const engine = await Engine.open(await benchSite(work, data, size), { warmMovers: 1 });
  try {
    const files = writeDataSet(data, size);
    const backup = await engine.backup({ target: '/', mode: 'mirrored', chunkSize: 8 * 2 ** 20 });
    if (backup.job.state !== 'succeeded') throw new Error(`the backup ${backup.job.state}: ${backup.job.message}`);
    const id = backup.backup!.id;
    const stream = path.join(work, 'stream.tar');
    const fd = fs.openSync(stream, 'w');
    await readCopy(engine.site, id, backup.fragments, 0, (bytes) => fs.writeSync(fd, bytes));
    fs.closeSync(fd);
    const one = closestTo(data, 2 ** 20);
    process.stderr.write(`restore bench: ${files} files, ${size} bytes, ${rounds} rounds; single file ${one.path} (${one.size} bytes)\n`);

    const timeTar = async (): Promise<number> => {
      const out = fs.mkdtempSync(path.join(work, 'tar-'));
      sync();
      const start = performance.now();
      const run = spawnSync('sh', ['-c', `tar -xf "${stream}" -C "${out}" && sync`], { stdio: ['ignore', 'ignore', 'inherit'] });
      const ms = performance.now() - start;
      if (run.status !== 0) throw new Error('tar -xf failed');
      await remove(out);
      return ms;
    };
    const timeRestore = async (paths: string[] = []): Promise<{ ms: number; chunks: number }> => {
      const out = fs.mkdtempSync(path.join(work, 'restore-'));
      sync();
      const start = performance.now();
      const result = await engine.restore({ backupId: id, destination: out, paths });
      execFileSync('sync');
      const ms = performance.now() - start;
      if (result.job.state !== 'succeeded') throw new Error(`the restore ${result.job.state}: ${result.job.message}`);
      await remove(out); // meanwhile the mover pool refills after the job
      return { ms, chunks: result.chunksRead };
    };

    await timeTar();
    await timeRestore();
    const ratios: number[] = [];
    const fractions: number[] = [];
    const chunks: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let tar: number;
      let full: number;
      if (round % 2 === 0) {
        tar = await timeTar();
        full = (await timeRestore()).ms;
      } else {
        full = (await timeRestore()).ms;
        tar = await timeTar();
      }
      const single = await timeRestore([one.path]);
      process.stderr.write(`round ${round}: tar -xf ${tar.toFixed(0)} ms, restore ${full.toFixed(0)} ms, one file ${single.ms.toFixed(0)} ms (${single.chunks} chunks)\n`);
      ratios.push(full / tar);
      fractions.push(single.ms / full);
      chunks.push(single.chunks);
    }
    report('restore', 'full_restore_vs_tar_ratio', median(ratios), 'ratio');
    report('restore', 'single_file_chunks_read', median(chunks), 'chunks');
    report('restore', 'single_file_time_fraction', median(fractions), 'ratio');
  } finally {
    engine.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The data set's file whose size is closest to `target`, as a path inside the backup. */
function closestTo(data: string, target: number): { path: string; size: number } {
  let best = { path: '', size: -Infinity };
  for (const rel of fs.readdirSync(data, { recursive: true }).map(String)) {
    const stats = fs.statSync(path.join(data, rel));
    if (stats.isFile() && Math.abs(stats.size - target) < Math.abs(best.size - target)) best = { path: rel.split(path.sep).join('/'), size: stats.size };
  }
  return best;
}
