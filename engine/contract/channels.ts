// Every IPC channel between the Electron window and the main process, declared in one place.
export const IPC_CHANNELS = {
  describeSite: 'site.describe',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];
