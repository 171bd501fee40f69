// Part 3b of the reliability suite: fuzzing the contract's payloads with fast-check over the
// transports a page uses: Electron IPC (the real main-process handlers on a fake ipcMain, values
// cloned as IPC clones them) and the WebSocket bridge of `mpbackup serve` (the real server, the
// renderer's client wire, and raw frames that are not even calls). Every method gets any value at
// all, its valid input with one thing made wrong (a key dropped, an unknown key, a value replaced
// by anything), and well-formed inputs that name things the site does not have. Each call must be
// answered with a Reply whose error code is bad-request, not-found or conflict (never internal or
// a dropped call), with a readable message, and must change nothing: the site's files (catalog
// journal included), the catalog's contents and the open site stay as they were. A valid input
// of a method that would change the site is never sent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteSession, type Engine } from '../../engine';
import { CONTRACT, METHOD_NAMES, methodChannel, webSocketWire, type MethodName, type Reply, type WebSocketWire } from '../../engine/contract';
import { dispatch, sessionService } from '../../engine/service';
import { registerIpc } from '../../electron/main/ipc';
import { startServer, type RunningServer } from '../../cli/serve/server';
import { makeBackupSite } from '../helpers/backup-site';
import { originWebSocket, writeFakeRenderer } from '../helpers/serve';
import { FakeIpcMain } from '../electron/fake-electron';
import { announce, catalogDump, filesDigest, report, SEED, TRIALS } from './common';

const APP_URL = 'file:///opt/app/out/renderer/index.html';
const ALLOWED = ['bad-request', 'not-found', 'conflict'];
const NOWHERE = 1_000_000;

/** Methods that only read: any input they accept may be sent. */
const READ_ONLY = new Set<MethodName>([
  'describeSite',
  'getSiteConfig',
  'checkSiteConfig',
  'streamCapacity',
  'planStreams',
  'listJobs',
  'getJob',
  'getBackupJob',
  'listEvents',
  'catalogTargets',
  'catalogBackups',
  'catalogBackup',
  'catalogList',
  'catalogFind',
  'planRestore',
  'getRestoreJob',
  'getVerifyJob',
  'listSchedules',
  'scheduleRuns',
  'forecastSchedules',
]);

/** A valid input of every method, on the fuzzed site (mutations start from it). */
function validInputs(dir: string, destination: string): Record<MethodName, unknown> {
  return {
    describeSite: {},
    openSite: { dir },
    createSite: { dir: path.join(os.tmpdir(), 'mpb-rel-never-created'), demo: true },
    getSiteConfig: {},
    checkSiteConfig: { config: { format: 'mpbackup-site' } },
    saveSiteConfig: { config: JSON.parse(fs.readFileSync(path.join(dir, 'site.json'), 'utf8')) as unknown },
    setDeviceState: { id: 'library-A', state: 'unavailable' },
    injectFault: { device: 'copy-A', kind: 'crash' },
    labelTape: { library: 'library-A', tape: 'A00099', capacity: 1 << 20 },
    streamCapacity: {},
    planStreams: { streams: 2, mover: 'copy-device', constraints: [{ pin: ['library-A'], exclude: [] }], exclude: ['switch-4'] },
    runBackup: { target: '/pictures', mode: 'failover', streams: 2, chunkSize: 65536, timeoutMs: 1000, constraints: [], faults: [{ device: 'copy-A', kind: 'crash', at: { chunk: 1 } }] },
    startBackup: { target: '/pictures', mode: 'mirrored' },
    listJobs: { limit: 10 },
    getJob: { jobId: 1 },
    getBackupJob: { jobId: 1 },
    cancelJob: { jobId: 1 },
    listEvents: { limit: 10, jobId: 1, level: 'info' },
    catalogTargets: {},
    catalogBackups: { target: '/pictures', limit: 5 },
    catalogBackup: { backupId: 1 },
    catalogList: { backupId: 1, path: '', offset: 0, limit: 10 },
    catalogFind: { backupId: 1, name: 'img', limit: 10 },
    planRestore: { backupId: 1, destination, paths: [] },
    runRestore: { backupId: 1, destination, paths: [], onConflict: 'rename' },
    startRestore: { backupId: 1, destination },
    getRestoreJob: { jobId: 1 },
    runVerify: { backupId: 1 },
    startVerify: { backupId: 1 },
    getVerifyJob: { jobId: 1 },
    rebuildCatalog: {},
    listSchedules: {},
    createSchedule: { target: '/pictures', when: { kind: 'daily', time: '23:30' }, mode: 'failover', timeZone: 'Europe/Berlin' },
    editSchedule: { id: 1, edit: { enabled: false } },
    moveScheduleRun: { id: 1, dueAt: '2099-01-01T22:00:00Z', to: '2099-01-01T23:00:00Z' },
    deleteSchedule: { id: 1 },
    scheduleRuns: { scheduleId: 1, limit: 10 },
    forecastSchedules: { from: '2099-01-01T00:00:00Z', to: '2099-01-02T00:00:00Z' },
    runScheduleNow: { id: 1 },
  };
}

/** Well-formed inputs of the methods that change the site, naming what it does not have: refused, nothing changes. */
function missingThings(root: string): Partial<Record<MethodName, unknown[]>> {
  return {
    openSite: [{ dir: path.join(root, 'not-a-site') }, { dir: '/' }],
    createSite: [{ dir: '/' }, { dir: root }],
    setDeviceState: [{ id: 'no-such-device', state: 'unavailable' }, { id: 'Z99999', state: 'available' }],
    injectFault: [{ device: 'no-such-device', kind: 'crash' }, { device: 'copy-A', kind: 'crash' }, { device: 'switch-1', kind: 'crash' }, { device: 'host-1', kind: 'hang' }],
    labelTape: [{ library: 'no-such-library' }, { library: 'switch-1' }, { library: 'library-A', tape: 'A00001' }],
    runBackup: [{ target: '/no/such/target' }, { target: 'Q:' }, { target: '/pictures', faults: [{ device: 'no-such', kind: 'crash', at: { chunk: 0 } }] }],
    startBackup: [{ target: '/no/such/target' }, { target: '/pictures', faults: [{ device: 'library-A', kind: 'down', at: { chunk: 0 } }] }],
    cancelJob: [{ jobId: 1 }, { jobId: NOWHERE }],
    runRestore: [{ backupId: NOWHERE, destination: path.join(root, 'never') }, { backupId: 1, destination: path.join(root, 'never'), paths: ['no/such/file'] }, { backupId: 1, destination: 'relative/dir' }],
    startRestore: [{ backupId: NOWHERE, destination: path.join(root, 'never') }, { backupId: 1, destination: path.join(root, 'never'), paths: ['../escape'] }],
    runVerify: [{ backupId: NOWHERE }],
    startVerify: [{ backupId: NOWHERE }],
    createSchedule: [{ target: '/no/such', when: { kind: 'daily', time: '22:00' } }, { target: '/pictures', when: { kind: 'cron', expression: 'every full moon' } }, { target: '/pictures', when: { kind: 'daily', time: '22:00' }, timeZone: 'Mars/Olympus' }],
    editSchedule: [{ id: NOWHERE, edit: { enabled: false } }, { id: 1, edit: { timeZone: 'Nowhere/Else' } }],
    moveScheduleRun: [{ id: NOWHERE, dueAt: '2099-01-01T22:00:00Z', to: '2099-01-01T23:00:00Z' }, { id: 1, dueAt: '2020-01-01T00:00:00Z', to: '2099-01-01T23:00:00Z' }],
    deleteSchedule: [{ id: NOWHERE }],
    runScheduleNow: [{ id: NOWHERE }],
    saveSiteConfig: [{ config: null }, { config: { format: 'mpbackup-site', version: 2 } }],
  };
}

/** Any value, or the method's valid input with one thing made wrong. */
function inputsOf(valid: unknown): fc.Arbitrary<unknown> {
  const anything = fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true });
  if (valid === null || typeof valid !== 'object') return anything;
  const keys = Object.keys(valid);
  const variants: Array<fc.Arbitrary<unknown>> = [
    anything,
    fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), anything).map(([k, v]) => ({ ...valid, [`zz${k}`]: v })),
    fc.constantFrom(...[null, [], [valid], JSON.stringify(valid), 7, true, 'describeSite']),
  ];
  if (keys.length > 0) {
    variants.push(
      fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
      fc.tuple(fc.constantFrom(...keys), anything).map(([k, v]) => ({ ...valid, [k]: v })),
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(-1, 0, 1.5, NaN, 2 ** 60, '', 'x'.repeat(5000), '../..', '\0', {}, [])).map(([k, v]) => ({ ...valid, [k]: v })),
    );
  }
  return fc.oneof(...variants);
}

describe('fuzzing the contract over IPC and WebSocket', () => {
  let root: string;
  let dir: string;
  let session: SiteSession;
  let engine: Engine;
  let server: RunningServer;
  let wire: WebSocketWire;
  const ipcMain = new FakeIpcMain();
  const tried = { ipc: 0, websocket: 0, raw: 0, skipped: 0, answered: new Map<string, number>() };

  beforeAll(async () => {
    announce('fuzz contract');
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-contract-')));
    dir = await makeBackupSite(path.join(root, 'site'), { size: 512 * 1024 });
    session = await SiteSession.open(dir);
    engine = session.engine;
    expect((await engine.backup({ target: '/pictures', chunkSize: 64 * 1024 })).job.state).toBe('succeeded');
    expect((await engine.restore({ backupId: 1, destination: path.join(root, 'restored') })).job.state).toBe('succeeded');
    const service = sessionService(session);
    registerIpc(ipcMain as never, () => service.handlers, APP_URL);
    server = await startServer({ service, port: 0, rendererDir: writeFakeRenderer(path.join(root, 'renderer')) });
    wire = webSocketWire(server.apiUrl, originWebSocket(server.origin));
    await wire.opened;
  });

  afterAll(async () => {
    wire?.close();
    await server?.close();
    session?.close();
    fs.rmSync(root, { recursive: true, force: true });
    const codes = [...tried.answered].map(([k, n]) => `${k} ${n}`).join(', ');
    process.stdout.write(`reliability: fuzz contract: ${tried.ipc} calls over IPC, ${tried.websocket} over WebSocket, ${tried.raw} raw frames; answers: ${codes}; ${tried.skipped} valid inputs of changing methods not sent\n`);
    report('fuzz contract', { 'inputs tried': tried.ipc + tried.websocket + tried.raw });
  });

  const transports: Array<{ name: 'ipc' | 'websocket'; call: (method: MethodName, input: unknown) => Promise<Reply> }> = [
    { name: 'ipc', call: async (method, input) => structuredClone((await ipcMain.invoke(methodChannel(method), APP_URL, structuredClone([input]))) as Reply) },
    { name: 'websocket', call: (method, input) => wire.call(method, input) },
  ];

  /** Checks one answer: a Reply, an error of an allowed code with a message, or (read-only methods only) a value. */
  function checkReply(method: MethodName, input: unknown, reply: Reply): void {
    const what = `${method}(${safeText(input)}) answered ${safeText(reply)}`;
    expect(reply, what).toHaveProperty('ok');
    tried.answered.set(reply.ok ? 'ok' : reply.error.code, (tried.answered.get(reply.ok ? 'ok' : reply.error.code) ?? 0) + 1);
    if (reply.ok) {
      expect(READ_ONLY.has(method), what).toBe(true);
      return;
    }
    expect(ALLOWED, what).toContain(reply.error.code);
    expect(reply.error.message.trim().length, what).toBeGreaterThan(0);
    expect(reply.error.message, what).not.toMatch(/\n\s+at |Cannot read propert|is not a function|undefined is not/);
  }

  for (const transport of transports) {
    it(`${transport.name}: every method answers any payload with a clear refusal and changes nothing`, async () => {
      const files = filesDigest(dir);
      const catalog = catalogDump(engine.catalog);
      const valid = validInputs(dir, path.join(root, 'never-restored'));
      const missing = missingThings(root);
      for (const method of METHOD_NAMES) {
        await fc.assert(
          fc.asyncProperty(inputsOf(valid[method]), async (input) => {
            // The same value as it arrives (IPC clones, the WebSocket sends JSON): a valid input of a changing method is not sent.
            const arrived = transport.name === 'ipc' ? structuredClone(input) : (JSON.parse(JSON.stringify({ input }) ?? '{}') as { input?: unknown }).input;
            if (!READ_ONLY.has(method) && CONTRACT[method].input.safeParse(arrived).success) {
              tried.skipped += 1;
              return;
            }
            tried[transport.name] += 1;
            checkReply(method, input, await transport.call(method, input));
          }),
          { seed: SEED, numRuns: 10 * TRIALS },
        );
        for (const input of missing[method] ?? []) {
          expect(CONTRACT[method].input.safeParse(input).success, `${method}(${safeText(input)}) is well-formed`).toBe(true);
          tried[transport.name] += 1;
          checkReply(method, input, await transport.call(method, input));
        }
        expect(session.engine, `${method} changed the open site`).toBe(engine);
        expect(catalogDump(engine.catalog), `${method} changed the catalog`).toEqual(catalog);
      }
      expect(filesDigest(dir)).toEqual(files);
      expect(fs.existsSync(path.join(root, 'never-restored'))).toBe(false);
      expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
      expect(fs.existsSync(path.join(os.tmpdir(), 'mpb-rel-never-created'))).toBe(false);
    });
  }

  it('websocket: frames that are not calls are answered with bad-request, and the bridge goes on', async () => {
    const files = filesDigest(dir);
    const catalog = catalogDump(engine.catalog);
    const socket = new WebSocket(server.apiUrl, { origin: server.origin });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const replies: Array<{ id: unknown; reply: Reply }> = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: unknown; reply?: Reply };
      if (message.reply) replies.push(message as { id: unknown; reply: Reply });
    });
    const frames = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ id: fc.oneof(fc.anything({ maxDepth: 1 }), fc.string({ minLength: 129, maxLength: 200 })), method: fc.oneof(fc.string(), fc.constantFrom(...METHOD_NAMES)), input: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    try {
      await fc.assert(
        fc.asyncProperty(frames, async (frame) => {
          const parsed = parseFrame(frame);
          const method = parsed?.method;
          // A well-formed call of a changing method with a valid input would do something: not sent.
          if (typeof method === 'string' && Object.hasOwn(CONTRACT, method) && !READ_ONLY.has(method as MethodName) && CONTRACT[method as MethodName].input.safeParse(parsed!.input).success) {
            tried.skipped += 1;
            return;
          }
          tried.raw += 1;
          const before = replies.length;
          socket.send(frame);
          const end = Date.now() + 10_000;
          while (replies.length === before && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 1));
          expect(replies.length, `no answer to ${frame.slice(0, 200)}`).toBe(before + 1);
          const { reply } = replies.at(-1)!;
          if (typeof method === 'string' && Object.hasOwn(CONTRACT, method)) checkReply(method as MethodName, parsed!.input, reply);
          else expect(reply, frame.slice(0, 200)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
        }),
        { seed: SEED, numRuns: 20 * TRIALS },
      );
      // The bridge still answers a proper call on the same socket.
      socket.send(JSON.stringify({ id: 'last', method: 'streamCapacity', input: {} }));
      const end = Date.now() + 10_000;
      while (!replies.some((r) => r.id === 'last') && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(replies.find((r) => r.id === 'last')?.reply).toEqual({ ok: true, value: { mirrored: 3, failover: 3 } });
    } finally {
      socket.close();
    }
    expect(catalogDump(engine.catalog)).toEqual(catalog);
    expect(filesDigest(dir)).toEqual(files);
  });

  // Found by this suite: labelTape takes any positive capacity, writes the tape into site.json,
  // then fails (internal) when the library refuses a tape smaller than its label; the tape stays in
  // site.json and from then on every backup of the site is refused ("a chunk ... does not fit on
  // tape A00009"), after a restart too.
  it('labelTape with a capacity smaller than a tape label is refused as bad-request and changes nothing', async () => {
    const other = await makeBackupSite(path.join(root, 'label-site'), { size: 256 * 1024 });
    const config = fs.readFileSync(path.join(other, 'site.json'), 'utf8');
    const otherSession = await SiteSession.open(other);
    try {
      const answer = await dispatch(sessionService(otherSession).handlers, 'labelTape', { library: 'library-A', capacity: 10 });
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(fs.readFileSync(path.join(other, 'site.json'), 'utf8')).toBe(config);
      expect((await otherSession.engine.backup({ target: '/pictures', chunkSize: 64 * 1024 })).job.state).toBe('succeeded');
    } finally {
      otherSession.close();
    }
  });
});

/** A frame as the bridge reads it: an object with a method and an input, or null. */
function parseFrame(frame: string): { method?: unknown; input?: unknown } | null {
  try {
    const value: unknown = JSON.parse(frame);
    return value !== null && typeof value === 'object' ? (value as { method?: unknown; input?: unknown }) : null;
  } catch {
    return null;
  }
}

function safeText(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 300);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
