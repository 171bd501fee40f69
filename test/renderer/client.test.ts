// The renderer's API client picks its transport without the stores knowing: the preload's
// `window.backupApi` when present (its `[code] message` errors become ApiErrors again), else the
// WebSocket of the browser host with the page's token, which leaves the address bar at once;
// without a token every call fails with a readable "not connected" message and nothing connects.
import { describe, expect, it } from 'vitest';
import { ApiError, type BackupApi } from '../../engine/contract';
import { connectApi, describeFailure, NOT_CONNECTED, type PageHost } from '../../renderer/src/api/client';

function page(href: string, backupApi?: Partial<BackupApi>) {
  const sockets: string[] = [];
  const replaced: string[] = [];
  class FakeWebSocket {
    readyState = 0;
    constructor(url: string) {
      sockets.push(url);
    }
    send() {}
    close() {}
    addEventListener() {}
  }
  const host: PageHost = {
    location: { href },
    history: { replaceState: (_data, _unused, url) => replaced.push(url!) },
    WebSocket: FakeWebSocket,
    ...(backupApi ? { backupApi: backupApi as BackupApi } : {}),
  };
  return { host, sockets, replaced };
}

describe('the renderer API client', () => {
  it('uses the preload API when the desktop app provides it, with its errors as ApiErrors', async () => {
    const { host, sockets, replaced } = page('file:///opt/app/out/renderer/index.html', {
      describeSite: () => Promise.reject(new Error("Error invoking remote method 'mpb:describeSite': Error: [not-found] no site")),
    });
    const error = await connectApi(host).describeSite().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not-found', message: 'no site' });
    expect(sockets).toEqual([]);
    expect(replaced).toEqual([]);
  });

  it('connects to ws://<host>/api with the page token and takes the token out of the address', () => {
    const { host, sockets, replaced } = page('http://127.0.0.1:4321/?view=jobs&token=abc_DEF-123#devices');
    connectApi(host);
    expect(sockets).toEqual(['ws://127.0.0.1:4321/api?token=abc_DEF-123']);
    expect(replaced).toEqual(['/?view=jobs#devices']);
  });

  it('without a token, connects nowhere and every call says how to reach the engine', async () => {
    const { host, sockets } = page('http://127.0.0.1:4321/');
    const api = connectApi(host);
    const error = await api.describeSite().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(new RegExp(`^${NOT_CONNECTED}: .*mpbackup serve.*token`));
    expect(describeFailure('Could not read the site', error)).toBe((error as ApiError).message);
    expect(describeFailure('Could not read the site', new ApiError('not-found', 'no job 9'))).toBe('Could not read the site: no job 9');
    expect(sockets).toEqual([]);
    expect(api.on('job', () => {})).toBeTypeOf('function');
  });
});
