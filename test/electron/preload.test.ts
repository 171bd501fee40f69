// The preload script against a fake `electron`: it exposes `backupApi` with one function per
// contract method and `on`, nothing else; each function calls exactly its own channel with its
// one input, gives back the value, and rejects with the code in front of the message; `on`
// listens to the event channel for its event only, until unsubscribed. `desktopHost` has the
// folder chooser (its own channel), the path of a dropped file (webUtils) and the unsaved-changes
// flag (its own channel, a boolean), and nothing else.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHOOSE_FOLDER_CHANNEL, CONTRACT, EVENT_CHANNEL, fromBridgeError, methodChannel, UNSAVED_CHANNEL } from '../../engine/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 'answer' }));
const listeners = new Map<string, (event: unknown, message: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  webUtils: { getPathForFile: (file: { name: string }) => `/home/operator/${file.name}` },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

describe('preload', () => {
  beforeAll(async () => {
    await import('../../electron/preload/index');
  });

  it('exposes backupApi with one function per contract method, `on`, and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['backupApi', 'desktopHost']);
    const api = exposed.backupApi as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CONTRACT), 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const name of ['invoke', 'send', 'ipcRenderer', 'process', 'require']) expect(api).not.toHaveProperty(name);
  });

  it('calls exactly its own channel and unwraps the reply', async () => {
    const api = exposed.backupApi as { getJob(input: unknown): Promise<unknown> };
    await expect(api.getJob({ jobId: 3 })).resolves.toBe('answer');
    expect(invoke).toHaveBeenLastCalledWith(methodChannel('getJob'), { jobId: 3 });
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'not-found', message: 'no job 3' } });
    const error = await api.getJob({ jobId: 3 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('[not-found] no job 3');
    expect(fromBridgeError(error)).toMatchObject({ code: 'not-found', message: 'no job 3' });
  });

  it('delivers its own event until unsubscribed, and refuses unknown events', () => {
    const api = exposed.backupApi as { on(event: string, listener: (payload: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.on('job', (payload) => got.push(payload));
    listeners.get(EVENT_CHANNEL)!({}, { event: 'job', payload: { type: 'job-state', jobId: 1 } });
    listeners.get(EVENT_CHANNEL)!({}, { event: 'other', payload: 1 });
    expect(got).toEqual([{ type: 'job-state', jobId: 1 }]);
    off();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
    expect(() => api.on('everything', () => {})).toThrow(/no event/);
  });

  it('desktopHost chooses a folder over its own channel and gives the path of a dropped file', async () => {
    const host = exposed.desktopHost as { chooseFolder(options?: object): Promise<string | null>; pathForFile(file: object): string; setUnsavedChanges(unsaved: unknown): Promise<void> };
    expect(Object.keys(host).sort()).toEqual(['chooseFolder', 'pathForFile', 'setUnsavedChanges']);
    invoke.mockResolvedValueOnce({ ok: true, value: null });
    await expect(host.setUnsavedChanges(true)).resolves.toBeUndefined();
    expect(invoke).toHaveBeenLastCalledWith(UNSAVED_CHANNEL, true);
    // Anything but true is "none".
    invoke.mockResolvedValueOnce({ ok: true, value: null });
    await host.setUnsavedChanges('yes');
    expect(invoke).toHaveBeenLastCalledWith(UNSAVED_CHANNEL, false);
    invoke.mockResolvedValueOnce({ ok: true, value: '/srv/restore' });
    await expect(host.chooseFolder({ title: 'Restore into' })).resolves.toBe('/srv/restore');
    expect(invoke).toHaveBeenLastCalledWith(CHOOSE_FOLDER_CHANNEL, { title: 'Restore into' });
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'bad-request', message: 'chooseFolder: defaultPath is an absolute path' } });
    await expect(host.chooseFolder({ defaultPath: 'x' })).rejects.toThrow('[bad-request] chooseFolder: defaultPath is an absolute path');
    expect(host.pathForFile({ name: 'photos' })).toBe('/home/operator/photos');
  });
});
