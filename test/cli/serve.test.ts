// `mpbackup serve`, the headless host: it listens on 127.0.0.1 only; the WebSocket refuses a
// missing or wrong token (401) and a foreign Origin (403) before anything reaches the engine;
// static files never leave the build directory (`..`, encoded, symlinks out); malformed and
// oversize messages are answered or closed and the server keeps serving; a lost connection
// rejects the calls still waiting; and the real process prints its URL, serves the page and
// closes the site cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine, initSite } from '../../engine';
import { ApiError, CONNECTION_LOST, remoteApi, webSocketWire } from '../../engine/contract';
import { engineHandlers, engineService, type Handlers } from '../../engine/service';
import { MAX_MESSAGE_BYTES } from '../../cli/serve/bridge';
import { startServer, type RunningServer } from '../../cli/serve/server';
import { ROOT, waitForExit, waitForLine } from '../helpers/child';
import { originWebSocket, writeFakeRenderer } from '../helpers/serve';
import { useTempDirs } from '../helpers/temp';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with its target sent exactly as given (no normalisation of `..`). */
function request(port: number, target: string, options: { method?: string; headers?: Record<string, string>; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: options.host ?? '127.0.0.1', port, path: target, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket upgrade request: 101 when accepted, else the status it was refused with. */
function upgrade(port: number, target: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: target,
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An open `ws` socket to the server, and the messages it receives, parsed. */
async function openSocket(server: RunningServer): Promise<{ ws: WebSocket; next(): Promise<unknown>; closed: Promise<number> }> {
  const ws = new WebSocket(server.apiUrl, { origin: server.origin });
  const queue: unknown[] = [];
  const waiting: Array<(m: unknown) => void> = [];
  ws.on('message', (data) => {
    const message: unknown = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))) };
}

describe('the serve bridge', () => {
  let root: string;
  let build: string;
  let engine: Engine;
  let server: RunningServer;
  let calls: string[];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'mpb-serve-'));
    await initSite(path.join(root, 'site'), { demo: true, demoSize: 256 * 1024 });
    engine = await Engine.open(path.join(root, 'site'));
    build = writeFakeRenderer(path.join(root, 'build'));
    fs.writeFileSync(path.join(root, 'secret.txt'), 'SECRET outside the build\n');
    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(path.join(root, 'outside', 'secret.txt'), 'SECRET in a folder outside\n');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(build, 'leak.txt'));
    fs.symlinkSync(path.join(root, 'outside'), path.join(build, 'linked'));
    fs.symlinkSync('assets/app.js', path.join(build, 'inside-link.js'));
    // Every call that reaches the engine is counted.
    calls = [];
    const real = engineHandlers(engine);
    const handlers = Object.fromEntries(
      Object.entries(real).map(([name, handler]) => [name, (input: unknown) => (calls.push(name), (handler as (i: unknown) => unknown)(input))]),
    ) as Handlers;
    server = await startServer({ service: { ...engineService(engine), handlers }, port: 0, rendererDir: build });
  });

  afterAll(async () => {
    await server?.close();
    engine?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, on a free port, with a 32-byte base64url token', async () => {
    const address = server.server.address() as net.AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${address.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another address of this machine, if it has one, gets no answer on that port.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const other of [...others, '::1']) {
      await expect(request(address.port, '/', { host: other }), other).rejects.toThrow();
    }
  });

  it('serves the build with content types, the CSP with its WebSocket, and nosniff', async () => {
    const index = await request(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toBe(fs.readFileSync(path.join(build, 'index.html'), 'utf8'));
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const csp = index.headers['content-security-policy'] as string;
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port};`);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect((await request(server.port, '/index.html?token=abc')).status).toBe(200);
    expect((await request(server.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(server.port, '/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(server.port, '/icon.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await request(server.port, '/inside-link.js')).body).toContain('console.log');
    const head = await request(server.port, '/', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    const missing = await request(server.port, '/no-such-file.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(server.port, '/assets')).status).toBe(404);
    expect((await request(server.port, '/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses every path that would leave the build directory', async () => {
    const targets = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      `/${root}/secret.txt`,
      `/%2f${root.slice(1)}/secret.txt`,
      '/leak.txt',
      '/linked/secret.txt',
      'http://127.0.0.1/../secret.txt',
      '/%zz',
    ];
    for (const target of targets) {
      const answer = await request(server.port, target);
      expect([400, 403, 404], target).toContain(answer.status);
      expect(answer.body, target).not.toContain('SECRET');
    }
    expect((await request(server.port, '/../package.json')).status).toBe(403);
    expect((await request(server.port, '/%2e%2e/package.json')).status).toBe(403);
    expect((await request(server.port, '/leak.txt')).status).toBe(403);
    expect((await request(server.port, '/linked/secret.txt')).status).toBe(403);
  });

  it('answers only as 127.0.0.1:PORT (another Host, as after DNS rebinding, gets nothing)', async () => {
    const answer = await request(server.port, '/', { headers: { Host: `evil.example:${server.port}` } });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('<html');
    const ws = await upgrade(server.port, `/api?token=${server.token}`, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    expect(ws.status).toBe(421);
  });

  it('refuses the WebSocket without the token, or with a wrong one, with 401 and nothing reaches the engine', async () => {
    const origin = { Origin: server.origin };
    const before = calls.length;
    expect(await upgrade(server.port, '/api', origin)).toMatchObject({ status: 401, body: expect.stringContaining('token is required') });
    expect(await upgrade(server.port, '/api?token=', origin)).toMatchObject({ status: 401 });
    expect(await upgrade(server.port, '/api?token=wrong', origin)).toMatchObject({ status: 401, body: expect.stringContaining('wrong token') });
    const sameLength = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await upgrade(server.port, `/api?token=${sameLength}`, origin)).toMatchObject({ status: 401 });
    expect(await upgrade(server.port, `/api?token=${server.token}&token=${server.token}`, origin)).toMatchObject({ status: 401 });
    expect(await upgrade(server.port, `/other?token=${server.token}`, origin)).toMatchObject({ status: 404 });
    // A client that ignores the refusal gets no socket at all.
    const wire = webSocketWire(`ws://127.0.0.1:${server.port}/api?token=wrong`, originWebSocket(server.origin));
    const error = await remoteApi(wire).describeSite().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/could not connect to the engine at ws:\/\/127\.0\.0\.1:\d+\/api \(/);
    expect((error as ApiError).message).not.toContain('wrong');
    expect(calls.length).toBe(before);
    expect(await upgrade(server.port, `/api?token=${server.token}`, origin)).toMatchObject({ status: 101 });
  });

  it('refuses a foreign Origin, or none, with 403 even with the right token', async () => {
    const before = calls.length;
    const target = `/api?token=${server.token}`;
    for (const origin of ['http://evil.example', `http://localhost:${server.port}`, `https://127.0.0.1:${server.port}`, 'null', `http://127.0.0.1:${server.port + 1}`]) {
      expect(await upgrade(server.port, target, { Origin: origin }), origin).toMatchObject({ status: 403 });
    }
    expect(await upgrade(server.port, target, {})).toMatchObject({ status: 403 });
    expect(calls.length).toBe(before);
  });

  it('answers malformed and unknown messages with errors and keeps serving', async () => {
    const { ws, next } = await openSocket(server);
    const before = calls.length;
    const badRequest = (id: unknown, message: RegExp) => ({ id, reply: { ok: false, error: { code: 'bad-request', message: expect.stringMatching(message) } } });
    ws.send('not json');
    expect(await next()).toEqual(badRequest(null, /^a message is JSON/));
    ws.send('[1, 2]');
    expect(await next()).toEqual(badRequest(null, /JSON object/));
    ws.send('null');
    expect(await next()).toEqual(badRequest(null, /JSON object/));
    ws.send(JSON.stringify({ method: 'describeSite' }));
    expect(await next()).toEqual(badRequest(null, /needs an "id"/));
    ws.send(JSON.stringify({ id: 1.5, method: 'describeSite' }));
    expect(await next()).toEqual(badRequest(null, /needs an "id"/));
    ws.send(JSON.stringify({ id: 'x'.repeat(200), method: 'describeSite' }));
    expect(await next()).toEqual(badRequest(null, /needs an "id"/));
    ws.send(JSON.stringify({ id: 2, method: 'describeSite', extra: true }));
    expect(await next()).toEqual(badRequest(2, /not "extra"/));
    ws.send(JSON.stringify({ id: 3, method: 'dropCatalog', input: {} }));
    expect(await next()).toEqual(badRequest(3, /there is no method "dropCatalog"/));
    ws.send(JSON.stringify({ id: 4, method: 'constructor' }));
    expect(await next()).toEqual(badRequest(4, /there is no method/));
    ws.send(JSON.stringify({ id: 5, method: 'getJob', input: { jobId: 'one' } }));
    expect(await next()).toEqual(badRequest(5, /^getJob: /));
    ws.send(Buffer.from('{"id":6,"method":"describeSite"}'), { binary: true });
    expect(await next()).toEqual(badRequest(null, /not binary/));
    expect(calls.length).toBe(before);
    ws.send(JSON.stringify({ id: 'seven', method: 'describeSite' }));
    expect(await next()).toMatchObject({ id: 'seven', reply: { ok: true, value: { name: engine.site.name } } });
    ws.close();
  });

  it('closes a socket that sends a message over the limit (1009), and keeps serving others', async () => {
    const { ws, closed } = await openSocket(server);
    ws.send(JSON.stringify({ id: 1, method: 'describeSite', input: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    expect(await closed).toBe(1009);
    const wire = webSocketWire(server.apiUrl, originWebSocket(server.origin));
    await expect(remoteApi(wire).describeSite()).resolves.toMatchObject({ name: engine.site.name });
    wire.close();
  });
});

describe('the WebSocket wire when the connection goes', () => {
  const tempDir = useTempDirs('mpb-serve-wire-');

  it('rejects the calls still waiting, and every later call, with ApiError internal', async () => {
    const dir = tempDir();
    await initSite(path.join(dir, 'site'), { demo: true, demoSize: 256 * 1024 });
    const engine = await Engine.open(path.join(dir, 'site'));
    let started!: () => void;
    const callStarted = new Promise<void>((resolve) => (started = resolve));
    const handlers = { ...engineHandlers(engine), listJobs: () => (started(), new Promise<never>(() => {})) } as Handlers;
    const server = await startServer({ service: { ...engineService(engine), handlers }, port: 0, rendererDir: writeFakeRenderer(path.join(dir, 'build')) });
    try {
      const api = remoteApi(webSocketWire(server.apiUrl, originWebSocket(server.origin)));
      const waiting = api.listJobs().then(
        () => null,
        (e: unknown) => e,
      );
      await callStarted;
      await server.close();
      const error = await waiting;
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'internal', message: CONNECTION_LOST });
      await expect(api.describeSite()).rejects.toMatchObject({ code: 'internal', message: CONNECTION_LOST });
    } finally {
      await server.close();
      engine.close();
    }
  });
});

describe('the mpbackup serve process', () => {
  const tempDir = useTempDirs('mpb-serve-process-');
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  function mpbackup(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => { out: string; err: string } } {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/mpbackup'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    return { child, output: () => ({ out, err }) };
  }

  it('prints its URL, serves the page and the engine, and closes the site on SIGTERM', async () => {
    const dir = tempDir();
    const site = path.join(dir, 'site');
    await initSite(site, { demo: true, demoSize: 256 * 1024 });
    const build = writeFakeRenderer(path.join(dir, 'build'));
    const { child, output } = mpbackup(['serve', '--port', '0', '--site', site], { MPBACKUP_RENDERER_DIR: build });
    const [line, url, port] = await waitForLine(child, /^serving .* at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{43}) \(Ctrl\+C stops\)\n/m);
    expect(line.split('\n').filter(Boolean)).toHaveLength(1);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(fs.readFileSync(path.join(build, 'index.html'), 'utf8'));
    expect(page.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${port}`);

    // While it runs the site is its own: another engine cannot open it.
    await expect(Engine.open(site)).rejects.toThrow();
    const token = new URL(url!).searchParams.get('token');
    const origin = `http://127.0.0.1:${port}`;
    const wire = webSocketWire(`ws://127.0.0.1:${port}/api?token=${token}`, originWebSocket(origin));
    const api = remoteApi(wire);
    expect((await api.describeSite()).name).toBe('Demo site');
    await api.setDeviceState({ id: 'library-B', state: 'unavailable' });

    child.kill('SIGTERM');
    await waitForExit(child);
    expect(child.exitCode, output().err).toBe(0);
    await expect(api.describeSite()).rejects.toMatchObject({ code: 'internal' });

    // The lock is released and what the operator changed was persisted.
    const engine = await Engine.open(site);
    try {
      expect(engine.inventory.status('library-B').state).toBe('unavailable');
    } finally {
      engine.close();
    }
  });

  it('says "run npm run build" when the renderer is not built, and refuses a bad port, opening nothing', async () => {
    const dir = tempDir();
    const site = path.join(dir, 'site');
    await initSite(site, { demo: true, demoSize: 256 * 1024 });
    const notBuilt = mpbackup(['serve', '--site', site], { MPBACKUP_RENDERER_DIR: path.join(dir, 'no-build') });
    await waitForExit(notBuilt.child);
    expect(notBuilt.child.exitCode).toBe(1);
    expect(notBuilt.output().err.trim().split('\n')).toEqual([expect.stringMatching(/^mpbackup: the renderer is not built .*: run npm run build$/)]);
    expect(notBuilt.output().out).toBe('');

    const badPort = mpbackup(['serve', '--site', site, '--port', '70000'], { MPBACKUP_RENDERER_DIR: writeFakeRenderer(path.join(dir, 'build')) });
    await waitForExit(badPort.child);
    expect(badPort.child.exitCode).toBe(2);
    expect(badPort.output().err).toMatch(/--port: a whole number from 0 to 65535/);
    const engine = await Engine.open(site);
    engine.close();
  });
});
