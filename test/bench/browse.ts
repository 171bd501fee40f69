// Browse figures of `npm run bench -- restore`: a catalog of 1,000,000 file-index rows, built
// straight with SQL (sql.js) and opened as a site's catalog:
// - backup 1 of /big: a folder `photos` of 100,000 files, then 100 folders of about 1,000;
// - target /nightly: 1,000 backups (mirrored, 2 complete copies, 2 tapes each) of 800 entries.
// Figures, medians of ROUNDS runs after one warm-up:
// - browse_dir_ms: the first page (1,000 entries, the default) of the 100,000-file folder, with
//   its total; browse_dir_last_page_ms: its last page (offset 99,000);
// - list_backups_ms: the 1,000 backups of /nightly in one call, with outcome, copies and tapes;
// - find_ms: a name search in backup 1 (200,000 entries); find_target_ms: across /nightly;
// - subtree_ms: every entry of the 100,000-file folder with its path (what a restore selects).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { Catalog, MIGRATIONS, SNAPSHOT_FILE } from '../../engine/catalog';
import { median, report } from './report';

const TOTAL_FILES = 1_000_000;
const BIG_DIR = 100_000;
const NIGHTLY = 1_000;
const NIGHTLY_ENTRIES = 800;
const ROUNDS = 7;

export async function buildBrowseCatalog(dir: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('BEGIN');
  for (const migration of MIGRATIONS) for (const sql of migration.sql) db.run(sql);
  db.run(`PRAGMA user_version = ${MIGRATIONS.at(-1)!.version}`);
  const job = db.prepare(`INSERT INTO job (id, kind, target, mode, streams, state, created_at) VALUES (?, 'backup', ?, 'mirrored', 2, 'succeeded', ?)`);
  const backup = db.prepare(
    `INSERT INTO backup (id, job_id, target, mode, data_time, started_at, ended_at, size, state, chunk_size, source_kind, files)
     VALUES (?, ?, ?, 'mirrored', ?, ?, ?, ?, 'complete', 8388608, 'directory', ?)`,
  );
  const copy = db.prepare(`INSERT INTO backup_copy (backup_id, copy, state, size) VALUES (?, ?, 'complete', ?)`);
  const fragment = db.prepare(
    `INSERT INTO fragment (backup_id, copy, stream, chunk_index, stream_offset, size, chunks, library_id, tape_id, position, end_position, sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const file = db.prepare('INSERT INTO file_index (backup_id, file_no, parent_no, name, type, size, mtime, mode, stream_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const size = 4 * 8388608;
  const addBackup = (id: number, target: string, dataTime: string, files: number) => {
    job.run([id, target, dataTime]);
    backup.run([id, id, target, dataTime, dataTime, dataTime, size, files]);
    for (const c of [0, 1]) {
      copy.run([id, c, size]);
      const library = c === 0 ? 'A' : 'B';
      for (const half of [0, 1]) {
        const tape = `${library}${String((id * 2 + half) % 900).padStart(5, '0')}`;
        fragment.run([id, c, c, half * 2, half * 2 * 8388608, 2 * 8388608, 2, `library-${library}`, tape, 4096, 4096 + 2 * 8388700, 'ab'.repeat(32)]);
      }
    }
  };

  // Backup 1 of /big: photos/ with 100,000 files, then docs/ with folders of up to 1,000 files.
  const bigFiles = TOTAL_FILES - NIGHTLY * NIGHTLY_ENTRIES;
  addBackup(1, '/big', '2026-01-01T22:00:00.000Z', bigFiles);
  let no = 0;
  let offset = 0;
  const add = (backupId: number, parent: number | null, name: string, type: 'file' | 'directory', bytes: number) => {
    file.run([backupId, no, parent, name, type, bytes, 1_700_000_000_000 + no, type === 'file' ? 0o644 : 0o755, offset]);
    offset += 512 + Math.ceil(bytes / 512) * 512;
    return no++;
  };
  const photos = add(1, null, 'photos', 'directory', 0);
  for (let i = 0; i < BIG_DIR; i++) add(1, photos, `IMG_${String((i * 7919) % BIG_DIR).padStart(5, '0')} ${i % 3 === 0 ? 'Ürlaub' : 'home'}.jpg`, 'file', 100_000 + (i % 5000));
  const docs = add(1, null, 'docs', 'directory', 0);
  for (let d = 0; no < bigFiles; d++) {
    const folder = add(1, docs, `project ${d}`, 'directory', 0);
    for (let f = 0; f < 999 && no < bigFiles; f++) add(1, folder, `document-${f}.pdf`, 'file', 2000 + f);
  }

  // /nightly: 1,000 backups of 8 folders of 99 files.
  for (let b = 0; b < NIGHTLY; b++) {
    const id = 2 + b;
    addBackup(id, '/nightly', new Date(Date.UTC(2026, 0, 1) + b * 86_400_000).toISOString(), NIGHTLY_ENTRIES);
    no = 0;
    offset = 0;
    for (let d = 0; d < NIGHTLY_ENTRIES / 100; d++) {
      const folder = add(id, null, `department ${d}`, 'directory', 0);
      for (let f = 0; f < 99; f++) add(id, folder, `report-${d}-${f}.xlsx`, 'file', 10_000 + f);
    }
  }
  for (const statement of [job, backup, copy, fragment, file]) statement.free();
  const count = Number(db.exec('SELECT count(*) FROM file_index')[0]!.values[0]![0]);
  if (count !== TOTAL_FILES) throw new Error(`built ${count} file-index rows, not ${TOTAL_FILES}`);
  db.run('COMMIT');
  fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), db.export());
  db.close();
}

function time(work: () => unknown): number {
  work();
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    work();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`browse bench: ${what}`);
}

export async function benchBrowse(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-bench-browse-'));
  try {
    const started = performance.now();
    await buildBrowseCatalog(dir);
    const catalog = await Catalog.open(dir);
    process.stderr.write(`browse bench: ${TOTAL_FILES} file-index rows built and opened in ${Math.round(performance.now() - started)} ms\n`);
    try {
      const browse = catalog.browse;
      const first = browse.list(1, 'photos');
      check(first.total === BIG_DIR && first.entries.length === 1000, 'the first page of photos/');
      report('restore', 'browse_dir_ms', time(() => browse.list(1, 'photos')), 'ms');
      check(browse.list(1, 'photos', { offset: BIG_DIR - 1000 }).entries.length === 1000, 'the last page of photos/');
      report('restore', 'browse_dir_last_page_ms', time(() => browse.list(1, 'photos', { offset: BIG_DIR - 1000 })), 'ms');

      const backups = browse.backups('/nightly', { limit: NIGHTLY });
      check(backups.length === NIGHTLY && backups.every((b) => b.restorable && b.tapes.length === 4), 'the backups of /nightly');
      report('restore', 'list_backups_ms', time(() => browse.backups('/nightly', { limit: NIGHTLY })), 'ms');

      check(browse.find({ backupId: 1 }, 'img_04242').length === 1, 'find in backup 1');
      report('restore', 'find_ms', time(() => browse.find({ backupId: 1 }, 'img_04242')), 'ms');
      check(browse.find({ target: '/nightly' }, 'REPORT-7-98').length === 100, 'find across /nightly');
      report('restore', 'find_target_ms', time(() => browse.find({ target: '/nightly' }, 'REPORT-7-98')), 'ms');

      const photos = browse.resolve(1, 'photos')!;
      check(browse.subtree(1, photos.no).length === BIG_DIR + 1, 'the subtree of photos/');
      report('restore', 'subtree_ms', time(() => browse.subtree(1, browse.resolve(1, 'photos')!.no)), 'ms');
    } finally {
      catalog.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
