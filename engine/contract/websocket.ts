// The contract over a WebSocket, the client's side (the browser page of `mpbackup serve`, and
// Node tests with the `ws` package): a `Wire` that sends `{ id, method, input }`, matches each
// `{ id, reply }` to its call by id, and hands `{ event, payload }` messages to the event
// listeners. No reconnection: when the socket closes, every call still waiting is rejected with
// an ApiError ('internal'), and so is every later call. No Node, no zod.
import type { MethodName } from './api';
import { ApiError, type EventMessage, type Reply, type Wire } from './wire';

/** What the wire needs of a WebSocket: the browser's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** A wire on one WebSocket, which can also be closed by its owner. */
export interface WebSocketWire extends Wire {
  /** Resolves when the socket is open; rejects with an ApiError if it never opens. */
  readonly opened: Promise<void>;
  close(): void;
}

/** The message of a call that cannot be answered because the socket went away. */
export const CONNECTION_LOST = 'the connection to the engine was lost';

const OPEN = 1;

/** `url` with its query left out (it may hold a token, which error messages must not show). */
function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function webSocketWire(url: string, WebSocketImpl?: WebSocketConstructor): WebSocketWire {
  const Impl = WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Impl) throw new ApiError('internal', 'this runtime has no WebSocket');
  const socket = new Impl(url);
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: ApiError): void }>();
  const listeners = new Set<(message: EventMessage) => void>();
  let nextId = 1;
  let everOpened = false;
  let closedError: ApiError | null = null;

  let settleOpened: { resolve(): void; reject(error: ApiError): void };
  const opened = new Promise<void>((resolve, reject) => (settleOpened = { resolve, reject }));
  opened.catch(() => {}); // a caller that never waits for it must not see an unhandled rejection

  socket.addEventListener('open', () => {
    everOpened = true;
    settleOpened.resolve();
  });
  // A failed handshake or a broken socket: 'close' follows and says what it means for the calls.
  socket.addEventListener('error', () => {});
  socket.addEventListener('close', () => {
    closedError = everOpened
      ? new ApiError('internal', CONNECTION_LOST)
      : new ApiError('internal', `could not connect to the engine at ${withoutQuery(url)} (is the host running, and was the page opened with its token?)`);
    settleOpened.reject(closedError);
    for (const call of pending.values()) call.reject(closedError);
    pending.clear();
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as { id?: unknown; reply?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.id === 'number' && isReply(m.reply)) {
      const call = pending.get(m.id);
      pending.delete(m.id);
      call?.resolve(m.reply);
    } else if (typeof m.event === 'string' && 'payload' in m) {
      for (const listener of [...listeners]) listener({ event: m.event, payload: m.payload } as EventMessage);
    }
  });

  return {
    opened,
    async call(method: MethodName, input: unknown): Promise<Reply> {
      if (closedError) throw closedError;
      const id = nextId++;
      const reply = new Promise<Reply>((resolve, reject) => pending.set(id, { resolve, reject }));
      reply.catch(() => {}); // rejected by a close while this call still waits for the socket to open
      try {
        await opened;
      } catch (error) {
        pending.delete(id);
        throw error;
      }
      if (closedError || socket.readyState !== OPEN) {
        pending.delete(id);
        throw closedError ?? new ApiError('internal', CONNECTION_LOST);
      }
      socket.send(JSON.stringify({ id, method, input }));
      return reply;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      socket.close(1000, 'closed by the client');
    },
  };
}

function isReply(value: unknown): value is Reply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (reply.ok === true) return true;
  return reply.ok === false && typeof reply.error === 'object' && reply.error !== null && typeof reply.error.code === 'string' && typeof reply.error.message === 'string';
}
