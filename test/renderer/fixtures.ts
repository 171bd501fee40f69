// Test data shaped like the demo site: devices with states and tapes, jobs, a failover backup
// whose copy moved from stream 0 to stream 1 at chunk 3, schedules, log entries.
import type { BackupResult, BackupSummary, DeviceView, ForecastEntry, Job, LogEvent, Schedule, SiteView, TapeView, TargetSummary } from '../../engine/contract';
import type { Handlers } from './fakeApi';

const MiB = 2 ** 20;

export function tape(id: string, usedBytes = 0, over: Partial<TapeView> = {}): TapeView {
  return { id, state: 'available', holder: null, capacity: 256 * MiB, usedBytes, full: false, ...over };
}

export function device(id: string, kind: DeviceView['kind'], over: Partial<DeviceView> = {}): DeviceView {
  return { id, kind, name: id.replace(/-/g, ' '), state: 'available', holder: null, ports: 2, ...over };
}

export function site(over: Partial<SiteView> = {}): SiteView {
  return {
    name: 'Demo site',
    dir: '/tmp/demo',
    demo: true,
    devices: [
      device('host-1', 'host'),
      device('storage-1', 'storage', { ports: 4 }),
      device('switch-1', 'switch', { ports: 16 }),
      device('switch-2', 'switch', { ports: 16, state: 'unavailable' }),
      device('server-A', 'backup-server'),
      device('server-B', 'backup-server'),
      device('copy-A', 'copy-device'),
      device('copy-B', 'copy-device'),
      device('library-A', 'library', { tapes: [tape('A00001', 12 * MiB), tape('A00002')] }),
      device('library-B', 'library', { tapes: [tape('B00001', 256 * MiB, { full: true }), tape('B00002', 3 * MiB)] }),
    ],
    links: [],
    targets: [
      { name: 'X:', kind: 'volume', storage: 'storage-1' },
      { name: '/pictures', kind: 'directory', storage: 'storage-1' },
    ],
    zones: [],
    ...over,
  };
}

export function job(id: number, over: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'backup',
    target: '/pictures',
    mode: 'mirrored',
    streams: 2,
    state: 'succeeded',
    createdAt: '2026-12-01T07:00:00.000Z',
    startedAt: '2026-12-01T07:00:01.000Z',
    endedAt: '2026-12-01T07:02:01.000Z',
    message: null,
    scheduleId: null,
    ...over,
  };
}

/** A failover backup of 10 chunks of 1 MiB: chunks 0-2 on A00001 (stream 0), 3-9 on B00002 (stream 1). */
export function failoverBackup(jobId = 7, over: Partial<BackupResult> = {}): BackupResult {
  return {
    job: job(jobId, { mode: 'failover', target: '/movies', message: 'failed over: stream 0 crashed at chunk 3' }),
    backup: {
      id: 3,
      jobId,
      target: '/movies',
      mode: 'failover',
      state: 'complete',
      dataTime: '2026-12-01T07:00:02.000Z',
      startedAt: '2026-12-01T07:00:02.000Z',
      endedAt: '2026-12-01T07:02:00.000Z',
      size: 10 * MiB,
      chunkSize: MiB,
      sourceKind: 'directory',
      files: 5,
      copies: [{ copy: 0, state: 'complete' }],
    },
    streams: [
      { stream: 0, mover: 'copy-A', library: 'library-A', tapes: ['A00001'], switches: ['switch-1'], status: 'failed', bytes: 3 * MiB, error: 'crashed at chunk 3: copy-A was killed' },
      { stream: 1, mover: 'copy-B', library: 'library-B', tapes: ['B00002'], switches: ['switch-2'], status: 'completed', bytes: 7 * MiB, error: null },
    ],
    fragments: [
      { copy: 0, stream: 0, library: 'library-A', tape: 'A00001', position: 4096, size: 3 * MiB, offset: 0, chunks: 3, sha256: 'a'.repeat(64) },
      { copy: 0, stream: 1, library: 'library-B', tape: 'B00002', position: 4096, size: 7 * MiB, offset: 3 * MiB, chunks: 7, sha256: 'b'.repeat(64) },
    ],
    ...over,
  };
}

export function backupSummary(id: number, jobId: number, over: Partial<BackupSummary> = {}): BackupSummary {
  return {
    id,
    jobId,
    target: '/pictures',
    mode: 'mirrored',
    state: 'complete',
    dataTime: '2026-12-01T07:00:02.000Z',
    startedAt: '2026-12-01T07:00:02.000Z',
    endedAt: '2026-12-01T07:02:00.000Z',
    size: 4 * MiB,
    chunkSize: 8 * MiB,
    sourceKind: 'directory',
    files: 48,
    copies: [
      { copy: 0, state: 'complete' },
      { copy: 1, state: 'complete' },
    ],
    outcome: 'succeeded',
    completeCopies: 2,
    tapes: ['A00001', 'B00002'],
    restorable: true,
    ...over,
  };
}

export function targetSummary(target: string, backups = 1): TargetSummary {
  return { target, backups, completeBackups: backups, newestDataTime: '2026-12-01T07:00:02.000Z' };
}

export function schedule(id: number, over: Partial<Schedule> = {}): Schedule {
  return {
    id,
    target: 'X:',
    mode: 'mirrored',
    streams: 2,
    chunkSize: null,
    timeoutMs: null,
    when: { kind: 'daily', time: '22:00' },
    windowEnd: '00:00+1',
    timeZone: 'UTC',
    enabled: true,
    moves: [],
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    nextDueAt: '2026-12-01T22:00:00.000Z',
    ...over,
  } as Schedule;
}

export function forecastEntry(scheduleId: number, over: Partial<ForecastEntry> = {}): ForecastEntry {
  return {
    scheduleId,
    target: 'X:',
    mode: 'mirrored',
    streams: 2,
    dueAt: '2026-12-01T22:00:00.000Z',
    expectedDurationMs: 300_000,
    durationBasis: 'history',
    expectedEndAt: '2026-12-01T22:05:00.000Z',
    windowEndAt: '2026-12-02T00:00:00.000Z',
    streamsAvailable: 3,
    streamsNeeded: 2,
    overlapsWith: [],
    conflict: false,
    reasons: [],
    ...over,
  };
}

export function logEvent(id: number, over: Partial<LogEvent> = {}): LogEvent {
  return { id, at: '2026-12-01T07:00:00.000Z', level: 'info', jobId: null, deviceId: null, message: `entry ${id}`, ...over };
}

/** An engine answering every read the console's views make, from the data above. */
export function demoHandlers(): Handlers {
  return {
    describeSite: () => site(),
    streamCapacity: () => ({ mirrored: 2, failover: 1 }),
    listJobs: () => [job(7, { mode: 'failover', target: '/movies', state: 'failed', endedAt: new Date().toISOString(), message: 'every stream failed' }), job(6)],
    listSchedules: () => [schedule(1)],
    forecastSchedules: () => [forecastEntry(1)],
    listEvents: () => [logEvent(2, { level: 'warning', jobId: 7, message: 'failover at chunk 3' }), logEvent(1)],
    catalogTargets: () => [targetSummary('/pictures')],
    catalogBackups: () => [backupSummary(1, 6)],
    getJob: ({ jobId }) => ({ job: job(jobId), log: [] }),
    getBackupJob: ({ jobId }) => failoverBackup(jobId),
  };
}
