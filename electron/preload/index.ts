// Preload: exposes `window.backupApi`, one function per declared channel and nothing else
// (no generic invoke, no ipcRenderer, no process).
import { contextBridge, ipcRenderer } from 'electron';
import type { BackupApi } from '../../engine/contract/api';
import { IPC_CHANNELS } from '../../engine/contract/channels';

export const backupApi: BackupApi = {
  describeSite: () => ipcRenderer.invoke(IPC_CHANNELS.describeSite),
};

contextBridge.exposeInMainWorld('backupApi', backupApi);
