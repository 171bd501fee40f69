// For the SAN view's tests: a site shaped like the demo site (one host and storage, four FC
// switches, three backup servers, copy devices and libraries, links between ports), a fake
// BackupApi whose calls are spies and whose events the test pushes, and the console's i18n with
// a record of every message key that is missing.
import { vi } from 'vitest';
import type { BackupApi, BackupResult, DeviceView, EventName, EventPayload, SiteView, StreamOutcome, StreamPlan } from '../../../engine/contract';
import { createConsoleI18n } from '../../../renderer/src/i18n';

const LETTERS = ['A', 'B', 'C'] as const;

export function demoLikeSite(overrides: Partial<SiteView> = {}): SiteView {
  const device = (id: string, kind: DeviceView['kind'], name: string, ports: number, extra: Partial<DeviceView> = {}): DeviceView => ({
    id,
    kind,
    name,
    state: 'available',
    holder: null,
    ports,
    ...extra,
  });
  const devices: DeviceView[] = [device('host-1', 'host', 'Application host', 2), device('storage-1', 'storage', 'Disk array', 4)];
  const links: SiteView['links'] = [
    { a: 'host-1:0', b: 'switch-1:0' },
    { a: 'host-1:1', b: 'switch-2:0' },
  ];
  for (let s = 1; s <= 4; s++) {
    devices.push(device(`switch-${s}`, 'switch', `FC switch ${s}`, 16));
    links.push({ a: `storage-1:${s - 1}`, b: `switch-${s}:1` });
  }
  LETTERS.forEach((letter, i) => {
    const tapes = [1, 2].map((t) => ({ id: `${letter}0000${t}`, state: 'available' as const, holder: null, capacity: 256 * 2 ** 20, usedBytes: t === 1 ? 64 * 2 ** 20 : 0, full: false }));
    devices.push(
      device(`server-${letter}`, 'backup-server', `Backup server ${letter}`, 2),
      device(`copy-${letter}`, 'copy-device', `Copy device ${letter}`, 2),
      device(`library-${letter}`, 'library', `Tape library ${letter}`, 2, { tapes }),
    );
    const spare = 2 + i * 3;
    links.push(
      { a: `server-${letter}:0`, b: `switch-${i + 1}:2` },
      { a: `server-${letter}:1`, b: `switch-4:${spare}` },
      { a: `copy-${letter}:0`, b: `switch-${i + 1}:3` },
      { a: `copy-${letter}:1`, b: `switch-4:${spare + 1}` },
      { a: `library-${letter}:0`, b: `switch-${i + 1}:4` },
      { a: `library-${letter}:1`, b: `switch-4:${spare + 2}` },
    );
  });
  return {
    name: 'Demo site',
    dir: '/sites/demo',
    demo: true,
    devices,
    links,
    targets: [
      { name: 'X:', kind: 'volume', storage: 'storage-1' },
      { name: '/pictures', kind: 'directory', storage: 'storage-1' },
    ],
    zones: [],
    ...overrides,
  };
}

/** A feasible plan of two streams through switches 1 and 2. */
export function twoStreamPlan(): StreamPlan {
  return {
    feasible: true,
    reason: null,
    streams: ['A', 'B'].map((letter, stream) => ({
      stream,
      mover: `server-${letter}`,
      library: `library-${letter}`,
      tape: `${letter}00001`,
      switches: [`switch-${stream + 1}`],
      path: [
        { from: { device: 'storage-1', port: stream }, to: { device: `switch-${stream + 1}`, port: 1 } },
        { from: { device: `switch-${stream + 1}`, port: 2 }, to: { device: `server-${letter}`, port: 0 } },
        { from: { device: `server-${letter}`, port: 0 }, to: { device: `switch-${stream + 1}`, port: 2 } },
        { from: { device: `switch-${stream + 1}`, port: 4 }, to: { device: `library-${letter}`, port: 0 } },
      ],
    })),
  };
}

export function runningBackup(jobId: number, streams: Partial<StreamOutcome>[] = [{}, {}]): BackupResult {
  return {
    job: { id: jobId, kind: 'backup', target: 'X:', mode: 'mirrored', streams: streams.length, state: 'running', createdAt: '2026-12-02T10:00:00Z', startedAt: '2026-12-02T10:00:01Z', endedAt: null, message: null, scheduleId: null },
    backup: null,
    streams: streams.map((s, stream) => {
      const letter = LETTERS[stream]!;
      return { stream, mover: `server-${letter}`, library: `library-${letter}`, tapes: [`${letter}00001`], switches: [`switch-${stream + 1}`], status: 'running', bytes: 0, error: null, ...s };
    }),
    fragments: [],
  };
}

export interface FakeApi {
  api: BackupApi;
  /** Pushes an event to every listener, as the engine would. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listeners(event: EventName): number;
}

export function fakeApi(site: SiteView, methods: Partial<Record<keyof BackupApi, (...args: never[]) => unknown>> = {}): FakeApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const api = {
    describeSite: vi.fn(async () => structuredClone(site)),
    streamCapacity: vi.fn(async () => ({ mirrored: 3, failover: 3 })),
    planStreams: vi.fn(async () => twoStreamPlan()),
    startBackup: vi.fn(async () => ({ jobId: 7 })),
    getBackupJob: vi.fn(async ({ jobId }: { jobId: number }) => runningBackup(jobId)),
    listJobs: vi.fn(async () => []),
    setDeviceState: vi.fn(async ({ id, state }: { id: string; state: 'available' | 'unavailable' }) => ({ id, state, holder: null })),
    injectFault: vi.fn(async (fault: { device: string; kind: string }) => ({ fault, reached: [] })),
    cancelJob: vi.fn(),
    ...methods,
    on: (event: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  } as unknown as BackupApi;
  return {
    api,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    listeners: (event) => listeners.get(event)?.size ?? 0,
  };
}

/** The console's i18n (its messages and the SAN view's); `missing` collects unknown keys. */
export function testI18n() {
  const missing: string[] = [];
  const i18n = createConsoleI18n({ missing: (_locale, key) => void missing.push(key) });
  return { i18n, missing };
}
