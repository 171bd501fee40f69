// The catalog database: sql.js in memory, made durable by the journal (every transaction) and
// by snapshots (the whole database, now and then). On open: the snapshot is loaded, the journal
// records it does not yet hold are replayed, pending migrations are applied.
//
// The snapshot's SHA-256 is kept beside it (`catalog.sqlite.sha256`): a snapshot whose bytes do
// not match it (damaged on disk) is refused, never opened with wrong data.
//
// What an interrupted run leaves behind: a snapshot that is complete (it is replaced by rename),
// a journal whose last record may be torn (ignored, then truncated), and possibly a stale lock, a
// `catalog.sqlite.tmp` and a `catalog.sqlite.sha256.tmp` (the checksum of a snapshot being put in
// place: taken on when it matches the snapshot, else removed). No committed transaction is lost.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type Statement as SqlStatement } from 'sql.js';
import { fsyncDir, writeFileAtomic } from '../durable';
import { CatalogError } from './errors';
import { Journal, type SqlValue, type Statement } from './journal';
import { acquireLock } from './lock';
import { MIGRATIONS } from './migrations';

export const SNAPSHOT_FILE = 'catalog.sqlite';
export const JOURNAL_FILE = 'catalog.journal';
/** The snapshot's checksum: `sha256 <hex>`. */
export const SUM_FILE = 'catalog.sqlite.sha256';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const DEFAULT_CHECKPOINT_BYTES = 16 * 2 ** 20;

let sqlJs: Promise<SqlJsStatic> | null = null;
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

export type Row = Record<string, SqlValue>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

/** What a transaction body may do: write (journaled) and read. */
export interface Transaction {
  run(sql: string, params?: SqlValue[]): RunResult;
  all<T = Row>(sql: string, params?: SqlValue[]): T[];
  get<T = Row>(sql: string, params?: SqlValue[]): T | undefined;
}

export interface OpenOptions {
  /** Journal size after which a snapshot is written (default 16 MiB). */
  checkpointBytes?: number;
}

export class CatalogDatabase {
  private readonly cache = new Map<string, SqlStatement>();
  private pending: Statement[] | null = null;
  private scheduled: NodeJS.Immediate | null = null;
  private closed = false;
  /** The error of the last background checkpoint, if it failed (the journal keeps everything). */
  checkpointError: Error | null = null;

  private constructor(
    readonly dir: string,
    private db: Database,
    private journal: Journal,
    private seq: number,
    private readonly releaseLock: () => void,
    private readonly checkpointBytes: number,
  ) {}

  static async open(dir: string, options: OpenOptions = {}): Promise<CatalogDatabase> {
    const releaseLock = acquireLock(dir);
    try {
      const { db, journal, seq } = await readFiles(dir);
      const catalog = new CatalogDatabase(dir, db, journal, seq, releaseLock, options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES);
      catalog.migrate();
      return catalog;
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  /**
   * Lets `replace` put new catalog files in place while this process keeps the site's lock (a
   * catalog rebuild): the database is checkpointed and closed, `replace` runs, and the files in
   * place then (the new ones, or the old ones when `replace` failed) are opened again. Nothing
   * can be read or written meanwhile.
   */
  async replaceFiles<T>(replace: () => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.pending) throw new Error('cannot replace the catalog files inside a transaction');
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.checkpoint();
    this.cache.clear();
    this.journal.close();
    this.db.close();
    this.closed = true;
    try {
      return await replace();
    } finally {
      const { db, journal, seq } = await readFiles(this.dir);
      this.db = db;
      this.journal = journal;
      this.seq = seq;
      this.closed = false;
      this.migrate();
    }
  }

  /** The schema version (the last migration applied). */
  get version(): number {
    return Number(this.get<{ user_version: number }>('PRAGMA user_version')!.user_version);
  }

  /** Bytes in the journal not yet in the snapshot. */
  get journalBytes(): number {
    return this.journal.bytes;
  }

  private migrate(): void {
    for (const migration of MIGRATIONS) {
      if (migration.version <= this.version) continue;
      this.transaction((tx) => {
        for (const sql of migration.sql) tx.run(sql);
        tx.run(`PRAGMA user_version = ${migration.version}`);
      });
    }
  }

  private statement(sql: string): SqlStatement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  all<T = Row>(sql: string, params: SqlValue[] = []): T[] {
    this.assertOpen();
    const statement = this.statement(sql);
    try {
      statement.bind(params);
      // get() and the column names once: getAsObject() reads every column's name again per row
      // (about three times slower on 100,000 rows).
      const columns = statement.getColumnNames();
      const rows: T[] = [];
      while (statement.step()) {
        const values = statement.get();
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i]!;
        rows.push(row as T);
      }
      return rows;
    } finally {
      statement.reset();
    }
  }

  get<T = Row>(sql: string, params: SqlValue[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /**
   * Runs `work` as one transaction. Its writes become visible only after the journal record
   * holding them is on disk; if `work` or the journal fails, nothing of it remains.
   */
  transaction<T>(work: (tx: Transaction) => T): T {
    this.assertOpen();
    if (this.pending) throw new Error('catalog transactions do not nest');
    const statements: Statement[] = [];
    this.pending = statements;
    this.db.run('BEGIN');
    try {
      const result = work({
        run: (sql, params = []) => {
          statements.push([sql, params]);
          return this.execute(sql, params);
        },
        all: (sql, params) => this.all(sql, params),
        get: (sql, params) => this.get(sql, params),
      });
      if (statements.length > 0) this.journal.append({ seq: this.seq + 1, statements });
      this.db.run('COMMIT');
      if (statements.length > 0) this.seq += 1;
      this.pending = null;
      this.scheduleCheckpoint();
      return result;
    } catch (error) {
      this.pending = null;
      this.db.run('ROLLBACK');
      throw error;
    }
  }

  private execute(sql: string, params: SqlValue[]): RunResult {
    const statement = this.statement(sql);
    statement.run(params);
    const changes = this.db.getRowsModified();
    const lastInsertRowid = Number(this.get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id);
    return { changes, lastInsertRowid };
  }

  private scheduleCheckpoint(): void {
    if (this.scheduled || this.journal.bytes < this.checkpointBytes) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      if (this.closed || this.pending) return;
      try {
        this.checkpoint();
        this.checkpointError = null;
      } catch (error) {
        this.checkpointError = error as Error;
      }
    });
    this.scheduled.unref();
  }

  /**
   * Writes the whole database as the new snapshot (temp file, fsync, rename, fsync of the
   * directory), then empties the journal. The snapshot records the last journal sequence number
   * it holds, so a crash before the journal is emptied never replays a record twice.
   */
  checkpoint(): void {
    this.assertOpen();
    if (this.pending) throw new Error('cannot checkpoint inside a transaction');
    this.db.run(`INSERT OR REPLACE INTO catalog_meta (key, value) VALUES ('journal_seq', ?)`, [String(this.seq)]);
    this.cache.clear(); // export() frees every prepared statement
    const data = this.db.export();
    this.db.run('PRAGMA foreign_keys = ON'); // export() resets pragmas
    writeSnapshot(this.dir, data);
    this.journal.reset();
  }

  /** Writes a snapshot if anything changed since the last one, and releases the site. */
  close(): void {
    if (this.closed) return;
    if (this.scheduled) clearImmediate(this.scheduled);
    try {
      if (this.journal.bytes > 0) this.checkpoint();
    } finally {
      this.closed = true;
      this.cache.clear();
      this.journal.close();
      this.db.close();
      this.releaseLock();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the catalog is closed');
  }
}

/** The database of a site's catalog files: the snapshot, with the journal's later records replayed. */
async function readFiles(dir: string): Promise<{ db: Database; journal: Journal; seq: number }> {
  const SQL = await loadSqlJs();
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  const db = readSnapshot(SQL, snapshotFile);
  try {
    db.run('PRAGMA foreign_keys = ON');
    const snapshotSeq = Number(metaValue(db, 'journal_seq') ?? 0);
    fs.rmSync(`${snapshotFile}.tmp`, { force: true });
    const { journal, records } = Journal.open(path.join(dir, JOURNAL_FILE));
    let seq = snapshotSeq;
    try {
      for (const record of records) {
        if (record.seq <= snapshotSeq) continue;
        replay(db, record.statements, record.seq, path.join(dir, JOURNAL_FILE));
        seq = record.seq;
      }
    } catch (error) {
      journal.close();
      throw error;
    }
    return { db, journal, seq };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Puts a snapshot in place with its checksum, so that whatever instant a crash comes at the
 * files left pair up: the new checksum is written aside first, the snapshot replaced by rename,
 * then the checksum (see checkSnapshot for how an open reads what a crash left).
 */
export function writeSnapshot(dir: string, data: Uint8Array): void {
  writeFileAtomic(path.join(dir, `${SUM_FILE}.tmp`), sumText(data));
  writeFileAtomic(path.join(dir, SNAPSHOT_FILE), data);
  fs.renameSync(path.join(dir, `${SUM_FILE}.tmp`), path.join(dir, SUM_FILE));
  fsyncDir(dir);
}

function sumText(data: Uint8Array): string {
  return `sha256 ${createHash('sha256').update(data).digest('hex')}\n`;
}

/**
 * Checks a snapshot's bytes against its checksum. A pending checksum that matches (a crash came
 * after the snapshot was replaced, before its checksum was) is taken on; one that does not is a
 * leftover and removed. A catalog from before checksums gets one now.
 */
function checkSnapshot(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const actual = sumText(data);
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : null);
  const pending = read(`${SUM_FILE}.tmp`);
  if (pending === actual) {
    fs.renameSync(path.join(dir, `${SUM_FILE}.tmp`), path.join(dir, SUM_FILE));
    fsyncDir(dir);
    return;
  }
  if (pending !== null) fs.rmSync(path.join(dir, `${SUM_FILE}.tmp`), { force: true });
  const recorded = read(SUM_FILE);
  if (recorded === null) return writeFileAtomic(path.join(dir, SUM_FILE), actual);
  if (recorded !== actual) {
    throw new CatalogError(`catalog file ${file} is corrupt: its bytes do not match its checksum in ${SUM_FILE} (rebuild the catalog from the tapes: mpbackup catalog rebuild)`);
  }
}

function readSnapshot(SQL: SqlJsStatic, file: string): Database {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SQL.Database();
    throw new CatalogError(`catalog file ${file} cannot be read: ${(error as Error).message}`);
  }
  if (data.length < SQLITE_HEADER.length || !data.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
    throw new CatalogError(`catalog file ${file} is corrupt: it is not an SQLite database`);
  }
  checkSnapshot(file, data);
  let db: Database | null = null;
  try {
    db = new SQL.Database(data);
    db.exec('SELECT count(*) FROM sqlite_master');
    const [check] = db.exec('PRAGMA quick_check');
    const verdict = String(check?.values[0]?.[0] ?? 'no answer');
    if (verdict !== 'ok') throw new Error(verdict);
    return db;
  } catch (error) {
    db?.close();
    throw new CatalogError(`catalog file ${file} is corrupt: ${(error as Error).message}`);
  }
}

function metaValue(db: Database, key: string): string | null {
  const table = db.exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'catalog_meta'`);
  if (table.length === 0) return null;
  const [result] = db.exec('SELECT value FROM catalog_meta WHERE key = ?', [key]);
  const value = result?.values[0]?.[0];
  return value === undefined || value === null ? null : String(value);
}

function replay(db: Database, statements: Statement[], seq: number, file: string): void {
  db.run('BEGIN');
  try {
    for (const [sql, params] of statements) db.run(sql, params);
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw new CatalogError(`catalog journal ${file} record ${seq} cannot be replayed: ${(error as Error).message}`);
  }
}
