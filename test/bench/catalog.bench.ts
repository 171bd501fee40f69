// Catalog benchmark: a catalog holding 100,000 fragments and 1,000,000 file-index rows.
// Figures: open time (median of 3), durable commit latency of one fragment record (p50, p99
// over 2,000 commits), resident memory after open. The catalog is built in a child process so
// the measuring process starts clean.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { Catalog, MIGRATIONS, SNAPSHOT_FILE } from '../../engine/catalog';
import { median, percentile, report } from './report';

const FRAGMENTS = 100_000;
const FILES = 1_000_000;
const BACKUPS = 10;

async function build(dir: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('BEGIN');
  for (const migration of MIGRATIONS) for (const sql of migration.sql) db.run(sql);
  db.run(`PRAGMA user_version = ${MIGRATIONS.at(-1)!.version}`);
  for (let b = 1; b <= BACKUPS; b++) {
    db.run(`INSERT INTO job (id, kind, target, mode, streams, state, created_at) VALUES (?, 'backup', '/data', 'failover', 2, 'succeeded', ?)`, [b, `2026-11-${String(b).padStart(2, '0')}T22:00:00.000Z`]);
    db.run(`INSERT INTO backup (id, job_id, target, mode, data_time, started_at, size, state) VALUES (?, ?, '/data', 'failover', ?, ?, ?, 'succeeded')`, [b, b, 't', 't', FRAGMENTS / BACKUPS * 8 * 2 ** 20]);
  }
  const fragment = db.prepare('INSERT INTO fragment (backup_id, copy, chunk_index, stream_offset, size, library_id, tape_id, position, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const chunk = 8 * 2 ** 20;
  for (let i = 0; i < FRAGMENTS; i++) {
    const backup = 1 + (i % BACKUPS);
    const index = Math.floor(i / BACKUPS);
    fragment.run([backup, i % 2, index, index * chunk, chunk, `library-${'ABC'[i % 3]}`, `${'ABC'[i % 3]}${String(i % 800).padStart(5, '0')}`, (index % 30) * chunk, (i * 2654435761 >>> 0).toString(16).padStart(64, 'a')]);
  }
  fragment.free();
  const file = db.prepare('INSERT INTO file_index (backup_id, file_no, parent_no, name, type, size, mtime, mode, stream_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const perBackup = FILES / BACKUPS;
  for (let b = 1; b <= BACKUPS; b++) {
    // A tree: 10 top folders, 100 subfolders each, files below (about 100 per folder).
    let no = 1;
    let offset = 0;
    file.run([b, no, null, 'data', 'dir', 0, 1_700_000_000, 0o755, 0]);
    const root = no++;
    for (let top = 0; top < 10 && no <= perBackup; top++) {
      const topNo = no++;
      file.run([b, topNo, root, `department-${top}-archive`, 'dir', 0, 1_700_000_000, 0o755, (offset += 512)]);
      for (let sub = 0; sub < 100 && no <= perBackup; sub++) {
        const subNo = no++;
        file.run([b, subNo, topNo, `project ${sub} records`, 'dir', 0, 1_700_000_000, 0o755, (offset += 512)]);
        for (let f = 0; f < 98 && no <= perBackup; f++) {
          const size = 1000 + ((no * 7919) % 900_000);
          file.run([b, no++, subNo, `document-${f}-${(no * 31) % 1000}.pdf`, 'file', size, 1_700_000_000 + no, 0o644, (offset += 512 + size)]);
        }
      }
    }
  }
  file.free();
  db.run('COMMIT');
  fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), db.export());
  db.close();
}

async function measure(dir: string): Promise<void> {
  const opens: number[] = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const catalog = await Catalog.open(dir);
    opens.push(performance.now() - start);
    if (i === 0) rss = process.memoryUsage().rss / 2 ** 20;
    catalog.close();
  }
  report('catalog', 'open_ms', median(opens), 'ms');
  report('catalog', 'rss_mb', rss, 'MiB');

  const catalog = await Catalog.open(dir);
  const commits: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const start = performance.now();
    catalog.db.transaction((tx) =>
      tx.run('INSERT INTO fragment (backup_id, copy, chunk_index, stream_offset, size, library_id, tape_id, position, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        1, 0, 100_000 + i, i * 8388608, 8388608, 'library-A', 'A00001', i * 8388608, 'f'.repeat(64),
      ]),
    );
    commits.push(performance.now() - start);
  }
  catalog.close();
  commits.sort((a, b) => a - b);
  report('catalog', 'commit_p50_ms', percentile(commits, 50), 'ms');
  report('catalog', 'commit_p99_ms', percentile(commits, 99), 'ms');
  report('catalog', 'snapshot_mb', fs.statSync(path.join(dir, SNAPSHOT_FILE)).size / 2 ** 20, 'MiB');
}

if (process.argv[2] === '--build') {
  await build(process.argv[3]!);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-bench-catalog-'));
  try {
    const built = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--build', dir], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the benchmark catalog failed');
    await measure(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
