// The catalog schema, as numbered migrations. `PRAGMA user_version` is the number of the last
// one applied; each runs in one journaled transaction on open. Never edit a released migration:
// add the next one. docs/catalog.md describes every table.

export interface Migration {
  version: number;
  name: string;
  sql: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'resources, zones, tapes, schedules, jobs, backups, fragments, file index, event log',
    sql: [
      `CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
      // Tables [420] [430] [440] [450] [470]: only resources that are not available have a row.
      `CREATE TABLE resource_state (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('in-use', 'unavailable')),
        job_id INTEGER,
        stream INTEGER,
        changed_at TEXT NOT NULL,
        CHECK ((state = 'in-use') = (job_id IS NOT NULL AND stream IS NOT NULL))
      ) WITHOUT ROWID`,
      `CREATE INDEX resource_state_job ON resource_state (job_id)`,
      `CREATE TABLE zone (
        job_id INTEGER NOT NULL,
        stream INTEGER NOT NULL,
        name TEXT NOT NULL,
        switches TEXT NOT NULL,
        members TEXT NOT NULL,
        PRIMARY KEY (job_id, stream)
      ) WITHOUT ROWID`,
      `CREATE TABLE tape (
        id TEXT PRIMARY KEY,
        library_id TEXT NOT NULL,
        used_bytes INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
        full INTEGER NOT NULL DEFAULT 0 CHECK (full IN (0, 1)),
        labeled_at TEXT
      ) WITHOUT ROWID`,
      `CREATE TABLE schedule (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('mirrored', 'failover')),
        streams INTEGER NOT NULL CHECK (streams >= 2),
        start_at TEXT NOT NULL,
        recurrence TEXT NOT NULL,
        window_minutes INTEGER,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
      )`,
      `CREATE TABLE job (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        mode TEXT,
        streams INTEGER NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        message TEXT
      )`,
      `CREATE INDEX job_state ON job (state)`,
      `CREATE TABLE job_stream (
        job_id INTEGER NOT NULL REFERENCES job (id),
        stream INTEGER NOT NULL,
        mover TEXT NOT NULL,
        library_id TEXT NOT NULL,
        tape_id TEXT NOT NULL,
        switches TEXT NOT NULL,
        state TEXT NOT NULL,
        bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, stream)
      ) WITHOUT ROWID`,
      `CREATE TABLE backup (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id INTEGER NOT NULL REFERENCES job (id),
        target TEXT NOT NULL,
        mode TEXT NOT NULL,
        data_time TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL
      )`,
      `CREATE INDEX backup_target ON backup (target, data_time)`,
      // Table [460]: one row per stored piece of a backup stream on one tape.
      `CREATE TABLE fragment (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        backup_id INTEGER NOT NULL REFERENCES backup (id),
        copy INTEGER NOT NULL,
        chunk_index INTEGER NOT NULL,
        stream_offset INTEGER NOT NULL,
        size INTEGER NOT NULL,
        library_id TEXT NOT NULL,
        tape_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        sha256 TEXT NOT NULL
      )`,
      `CREATE INDEX fragment_backup ON fragment (backup_id, copy, stream_offset)`,
      `CREATE INDEX fragment_tape ON fragment (tape_id)`,
      `CREATE TABLE file_index (
        backup_id INTEGER NOT NULL,
        file_no INTEGER NOT NULL,
        parent_no INTEGER,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        mode INTEGER NOT NULL,
        stream_offset INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'ok',
        PRIMARY KEY (backup_id, file_no)
      ) WITHOUT ROWID`,
      `CREATE INDEX file_index_dir ON file_index (backup_id, parent_no, name)`,
      `CREATE TABLE event_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
        job_id INTEGER,
        device_id TEXT,
        message TEXT NOT NULL
      )`,
      `CREATE INDEX event_log_job ON event_log (job_id)`,
    ],
  },
  {
    version: 2,
    name: 'backup copies, stream errors and spanned tapes, fragment runs',
    sql: [
      `ALTER TABLE job_stream ADD COLUMN tapes TEXT NOT NULL DEFAULT '[]'`,
      `ALTER TABLE job_stream ADD COLUMN error TEXT`,
      `ALTER TABLE backup ADD COLUMN chunk_size INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE backup ADD COLUMN source_kind TEXT NOT NULL DEFAULT 'directory'`,
      `ALTER TABLE backup ADD COLUMN files INTEGER NOT NULL DEFAULT 0`,
      // A fragment is a run of consecutive records on one tape: it ends where its last record ends.
      `ALTER TABLE fragment ADD COLUMN stream INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE fragment ADD COLUMN chunks INTEGER NOT NULL DEFAULT 1`,
      `ALTER TABLE fragment ADD COLUMN end_position INTEGER NOT NULL DEFAULT 0`,
      `CREATE TABLE backup_copy (
        backup_id INTEGER NOT NULL REFERENCES backup (id),
        copy INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('writing', 'complete', 'failed')),
        size INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (backup_id, copy)
      ) WITHOUT ROWID`,
    ],
  },
  {
    version: 3,
    name: 'symlink targets in the file index',
    sql: [`ALTER TABLE file_index ADD COLUMN link_target TEXT`],
  },
  {
    version: 4,
    name: 'schedules with time zones, chunk size, timeout and window end; schedule runs; the schedule of a job',
    sql: [
      `ALTER TABLE schedule RENAME TO schedule_v1`,
      // Table [410]. \`timing\` is the JSON of ScheduleWhen; a one-time run's \`at\` is a UTC instant.
      `CREATE TABLE schedule (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('mirrored', 'failover')),
        streams INTEGER NOT NULL CHECK (streams BETWEEN 2 AND 8),
        chunk_size INTEGER,
        timeout_ms INTEGER,
        timing TEXT NOT NULL,
        window_end TEXT,
        time_zone TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // Version 1 rows (the demo schedule) carried local wall-clock times and no zone: '' is
      // replaced by the machine's zone when the catalog is next opened (ScheduleRepository).
      `INSERT INTO schedule (id, target, mode, streams, chunk_size, timeout_ms, timing, window_end, time_zone, enabled, created_at, updated_at)
       SELECT id, target, mode, streams, NULL, NULL,
         CASE json_extract(recurrence, '$.every')
           WHEN 'day' THEN CASE WHEN json_extract(recurrence, '$.interval') = 1
             THEN json_object('kind', 'daily', 'time', substr(start_at, 12, 5))
             ELSE json_object('kind', 'cron', 'expression', printf('%d %d */%d * *', CAST(substr(start_at, 15, 2) AS INTEGER), CAST(substr(start_at, 12, 2) AS INTEGER), json_extract(recurrence, '$.interval'))) END
           WHEN 'week' THEN json_object('kind', 'weekly', 'time', substr(start_at, 12, 5), 'days',
             json((SELECT json_group_array(CASE d.value WHEN 0 THEN 'sun' WHEN 1 THEN 'mon' WHEN 2 THEN 'tue' WHEN 3 THEN 'wed' WHEN 4 THEN 'thu' WHEN 5 THEN 'fri' ELSE 'sat' END) FROM json_each(recurrence, '$.days') AS d)))
           ELSE json_object('kind', 'once', 'at', start_at || ':00.000Z')
         END,
         CASE WHEN window_minutes IS NULL THEN NULL ELSE
           printf('%02d:%02d%s',
             ((CAST(substr(start_at, 12, 2) AS INTEGER) * 60 + CAST(substr(start_at, 15, 2) AS INTEGER) + min(window_minutes, 2879)) / 60) % 24,
             (CAST(substr(start_at, 12, 2) AS INTEGER) * 60 + CAST(substr(start_at, 15, 2) AS INTEGER) + min(window_minutes, 2879)) % 60,
             CASE WHEN CAST(substr(start_at, 12, 2) AS INTEGER) * 60 + CAST(substr(start_at, 15, 2) AS INTEGER) + min(window_minutes, 2879) >= 1440 THEN '+1' ELSE '' END)
         END,
         '', enabled, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       FROM schedule_v1`,
      `DROP TABLE schedule_v1`,
      // One row per run that fell due (or was started by "run now"): planned while it waits for
      // streams, then started (with its job), missed (with the reason) or skipped.
      `CREATE TABLE schedule_run (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schedule_id INTEGER NOT NULL,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('planned', 'started', 'missed', 'skipped')),
        reason TEXT,
        job_id INTEGER,
        manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
        recorded_at TEXT NOT NULL,
        CHECK ((state = 'started') = (job_id IS NOT NULL))
      )`,
      `CREATE UNIQUE INDEX schedule_run_due ON schedule_run (schedule_id, due_at) WHERE manual = 0`,
      `CREATE INDEX schedule_run_state ON schedule_run (state)`,
      `ALTER TABLE job ADD COLUMN schedule_id INTEGER`,
    ],
  },
  {
    version: 5,
    name: 'runs of a schedule moved to another time; the reports of restore and verify jobs',
    sql: [
      // One row per run dragged away from its regular due time (UTC instants both).
      `CREATE TABLE schedule_move (
        schedule_id INTEGER NOT NULL REFERENCES schedule (id),
        due_at TEXT NOT NULL,
        moved_to TEXT NOT NULL,
        PRIMARY KEY (schedule_id, due_at)
      )`,
      // What a restore or verification reported at its end (RestoreResult / VerifyResult as JSON),
      // so it can be shown again after the job, and after a restart.
      `CREATE TABLE job_report (
        job_id INTEGER PRIMARY KEY REFERENCES job (id),
        kind TEXT NOT NULL CHECK (kind IN ('restore', 'verify')),
        report TEXT NOT NULL
      )`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
