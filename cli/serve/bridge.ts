// The WebSocket bridge of `mpbackup serve`: the contract over one WebSocket per page. The HTTP
// upgrade is checked before a socket exists: the path must be /api, the Origin header must be
// the server's own origin, and the `token` query parameter must equal the server's token (a
// timing-safe comparison); anything else is answered with a plain HTTP error (404, 403, 401) and
// the connection is closed, so nothing reaches the engine. On an accepted socket the client sends
// `{ id, method, input }` and gets `{ id, reply }` with the Reply of the engine's `dispatch`;
// engine events are pushed as `{ event, payload }`. A malformed message is answered with a
// bad-request reply (id null when it has none); a message over `maxPayload` closes the socket
// with 1009. The bridge decides nothing itself: every input goes to `dispatch`, which parses it.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Reply } from '../../engine/contract';
import { dispatch, type Service } from '../../engine/service';

/** Where the page opens its WebSocket. */
export const API_PATH = '/api';
/** The largest message a client may send (every input of the contract is far smaller). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Ids a client may give its calls: a number, or a short string. */
const MAX_ID_LENGTH = 128;

export interface BridgeOptions {
  service: Service;
  token: string;
  /** The server's own origin, `http://127.0.0.1:PORT`: the only Origin accepted. */
  origin: string;
  maxPayload?: number;
  /** Told about every refused upgrade (for the operator's log). */
  onRefused?: (status: number, reason: string) => void;
}

type Id = number | string | null;

export class WebSocketBridge {
  private readonly server: WebSocketServer;
  private readonly token: Buffer;

  constructor(private readonly options: BridgeOptions) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? MAX_MESSAGE_BYTES, perMessageDeflate: false });
    this.token = Buffer.from(options.token, 'utf8');
  }

  /** Why an upgrade request is refused (status and reason), or null when it may connect. */
  check(req: IncomingMessage): { status: 401 | 403 | 404; reason: string } | null {
    const url = new URL(req.url ?? '/', this.options.origin);
    if (url.pathname !== API_PATH) return { status: 404, reason: `the engine's WebSocket is at ${API_PATH}` };
    const origin = req.headers.origin;
    if (origin !== this.options.origin) return { status: 403, reason: `origin ${origin === undefined ? '(none)' : JSON.stringify(origin)} is not ${this.options.origin}` };
    const given = url.searchParams.getAll('token');
    if (given.length === 0) return { status: 401, reason: 'a token is required (the token query parameter)' };
    const candidate = Buffer.from(given[0]!, 'utf8');
    if (given.length > 1 || candidate.length !== this.token.length || !timingSafeEqual(candidate, this.token)) return { status: 401, reason: 'wrong token' };
    return null;
  }

  /** The http server's `upgrade` event: refuses with an HTTP error, or opens the WebSocket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.check(req);
    if (refusal) {
      this.options.onRefused?.(refusal.status, refusal.reason);
      refuse(socket, refusal.status, refusal.reason);
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.connect(ws));
  }

  /** How many pages are connected. */
  get connections(): number {
    return this.server.clients.size;
  }

  /** Closes every socket (1001, going away); one that does not finish its close in `graceMs` is cut. */
  async close(graceMs = 1000): Promise<void> {
    const sockets = [...this.server.clients];
    const closed = sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
    for (const ws of sockets) ws.close(1001, 'the engine is shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const ws of sockets) ws.terminate();
    this.server.close();
  }

  private connect(ws: WebSocket): void {
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = this.options.service.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate()); // e.g. a message over maxPayload: ws closes with 1009
    ws.on('message', (data, isBinary) => {
      void this.answer(data, isBinary).then(({ id, reply }) => send({ id, reply }));
    });
  }

  private async answer(data: RawData, isBinary: boolean): Promise<{ id: Id; reply: Reply }> {
    if (isBinary) return badRequest(null, 'messages are JSON text, not binary');
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return badRequest(null, 'a message is JSON: {"id": 1, "method": "describeSite", "input": {}}');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return badRequest(null, 'a message is a JSON object: {"id": 1, "method": "describeSite", "input": {}}');
    }
    const { id, method, input, ...rest } = message as { id?: unknown; method?: unknown; input?: unknown };
    const validId = (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH);
    if (!validId) return badRequest(null, `a message needs an "id": a whole number or a string of 1 to ${MAX_ID_LENGTH} characters`);
    const extra = Object.keys(rest);
    if (extra.length > 0) return badRequest(id, `a message has only "id", "method" and "input", not ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
    return { id, reply: await dispatch(this.options.service.handlers, method, input) };
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function badRequest(id: Id, message: string): { id: Id; reply: Reply } {
  return { id, reply: { ok: false, error: { code: 'bad-request', message } } };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' };

/** Answers an upgrade request with a plain HTTP error and closes the connection. */
export function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.once('finish', () => socket.destroy());
}
