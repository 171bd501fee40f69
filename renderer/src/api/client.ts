// The renderer's one way to the engine, whichever host it runs in: the Electron preload's
// `window.backupApi` when it is there, else the WebSocket of `mpbackup serve` at
// ws://<this page's host>/api with the token from the page's address (`?token=`), which is then
// taken out of the address bar. Stores call `useApi()` and never know which transport it is; every
// failure is an ApiError with a readable message.
import type { BackupApi } from '../../../engine/contract/api';
import { ApiError, bridgedApi, METHOD_NAMES, remoteApi } from '../../../engine/contract/wire';
import { webSocketWire, type WebSocketConstructor } from '../../../engine/contract/websocket';

/** What the client needs of the page's window (a fake one in tests). */
export interface PageHost {
  backupApi?: BackupApi;
  location: { href: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  WebSocket?: WebSocketConstructor;
}

/** How a message about a missing engine starts. */
export const NOT_CONNECTED = 'The engine is not connected';

/** The query parameter that carries the browser host's token. */
export const TOKEN_PARAMETER = 'token';

/** Where the browser host's WebSocket is, relative to the page. */
export const API_PATH = '/api';

/** An API whose every call fails with `message` (no engine to reach). */
function unconnectedApi(message: string): BackupApi {
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) api[name] = () => Promise.reject(new ApiError('forbidden', message));
  api.on = () => () => {};
  return api as BackupApi;
}

/** The API of the page in `host`; takes the token out of its address. */
export function connectApi(host: PageHost): BackupApi {
  if (host.backupApi) return bridgedApi(host.backupApi);
  const page = new URL(host.location.href);
  const token = page.searchParams.get(TOKEN_PARAMETER);
  if (token !== null) {
    page.searchParams.delete(TOKEN_PARAMETER);
    host.history.replaceState(null, '', `${page.pathname}${page.search}${page.hash}`);
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') {
    return unconnectedApi(`${NOT_CONNECTED}: start the desktop app with "npm start", or run "mpbackup serve" and open the address it prints.`);
  }
  if (!token) {
    return unconnectedApi(`${NOT_CONNECTED}: this page needs the address "mpbackup serve" printed, with its ?token=..., to reach the engine.`);
  }
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${page.host}${API_PATH}?${TOKEN_PARAMETER}=${encodeURIComponent(token)}`;
  try {
    return remoteApi(webSocketWire(url, host.WebSocket));
  } catch (error) {
    return unconnectedApi(`${NOT_CONNECTED}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A failure as one line for the operator: `doing` says what was being tried. */
export function describeFailure(doing: string, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.startsWith(NOT_CONNECTED) ? message : `${doing}: ${message}`;
}

let api: BackupApi | null = null;

/** The page's API (made on first use). */
export function useApi(): BackupApi {
  return (api ??= connectApi(globalThis as unknown as PageHost));
}

/** Puts `replacement` in the page's place (component and store tests use a fake engine). */
export function provideApi(replacement: BackupApi): void {
  api = replacement;
}
