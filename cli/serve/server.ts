// The headless host's HTTP server: the built renderer as static files and the contract's
// WebSocket at /api, on 127.0.0.1 only. `startServer` takes the service it carries, so the `serve`
// command and the tests build the very same server. Every request must name the server itself
// in its Host header (a page on another name that resolves to 127.0.0.1 gets nothing); static
// files need no token (the page must load before it can read its token), the WebSocket does.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contentSecurityPolicy } from '../../engine/contract';
import type { Service } from '../../engine/service';
import { API_PATH, refuse, WebSocketBridge } from './bridge';
import { serveStatic } from './static';

/** The only address the host listens on. */
export const LOOPBACK = '127.0.0.1';

/** The renderer's build directory in a checkout (electron-vite builds it there). */
export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

export class RendererNotBuiltError extends Error {
  override name = 'RendererNotBuiltError';
}

/** The build directory's real path, or a one-line error when the renderer is not built. */
export function builtRenderer(dir: string = RENDERER_DIR): string {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new RendererNotBuiltError(`the renderer is not built (no ${path.join(dir, 'index.html')}): run npm run build`);
  }
  return fs.realpathSync(dir);
}

/** A fresh secret for one run: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface ServerOptions {
  /** The contract it carries (hosts: a session's). */
  service: Service;
  /** Default: 0, a free port. */
  port?: number;
  /** Default: the checkout's out/renderer. */
  rendererDir?: string;
  /** Default: a new random token. */
  token?: string;
  onRefused?: (status: number, reason: string) => void;
}

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  /** The page's address with its token: what the operator opens. */
  url: string;
  /** The WebSocket's address with its token. */
  apiUrl: string;
  bridge: WebSocketBridge;
  server: http.Server;
  /** Closes every socket and stops listening (the engine stays open: its owner closes it). */
  close(): Promise<void>;
}

export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`a port is a whole number from 0 to 65535, not ${port}`);
  return port;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const root = builtRenderer(options.rendererDir);
  const port = checkPort(options.port ?? 0);
  const token = options.token ?? newToken();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${actualPort}`;
  const host = `${LOOPBACK}:${actualPort}`;
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy([`ws://${host}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  const bridge = new WebSocketBridge({
    service: options.service,
    token,
    origin,
    ...(options.onRefused ? { onRefused: options.onRefused } : {}),
  });

  server.on('request', (req, res) => {
    if (req.headers.host !== host) {
      res.writeHead(421, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`this server answers only as ${host}\n`);
      return;
    }
    void serveStatic(root, req, res, headers);
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (req.headers.host !== host) {
      options.onRefused?.(421, `host ${JSON.stringify(req.headers.host ?? '')} is not ${host}`);
      refuse(socket, 421, `this server answers only as ${host}`);
      return;
    }
    bridge.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    port: actualPort,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    apiUrl: `ws://${host}${API_PATH}?token=${token}`,
    bridge,
    server,
    close: async () => {
      await bridge.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
