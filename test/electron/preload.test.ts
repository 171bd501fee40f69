import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../engine/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => 'answer');

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke: (...args: unknown[]) => invoke(...args) },
}));

describe('preload', () => {
  beforeEach(async () => {
    await import('../../electron/preload/index');
  });

  it('exposes backupApi with one function per channel and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['backupApi']);
    const api = exposed.backupApi as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
  });

  it('calls exactly its own channel', async () => {
    const api = exposed.backupApi as { describeSite(): Promise<unknown> };
    await expect(api.describeSite()).resolves.toBe('answer');
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNELS.describeSite);
  });
});
