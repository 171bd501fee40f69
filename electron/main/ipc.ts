// IPC between the window and the engine. Every channel is declared in engine/contract's
// channel list; each handler checks that the call comes from the app's own top frame before it
// runs, and parses its payload with the channel's schema.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Engine } from '../../engine';
import { IPC_CHANNELS } from '../../engine/contract';

export class ForbiddenSenderError extends Error {
  override name = 'ForbiddenSenderError';
}

/** A call is trusted only from the main frame of our window, showing our page. */
export function isTrustedSender(event: IpcMainInvokeEvent, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return sameDocument(frame.url, appUrl);
}

function sameDocument(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: IpcMain, engine: () => Engine, appUrl: string): void {
  const guard = (event: IpcMainInvokeEvent) => {
    if (!isTrustedSender(event, appUrl)) throw new ForbiddenSenderError(`IPC from ${event.senderFrame?.url ?? 'an unknown frame'} refused`);
  };
  ipcMain.handle(IPC_CHANNELS.describeSite, (event, ...args: unknown[]) => {
    guard(event);
    if (args.length !== 0) throw new TypeError(`${IPC_CHANNELS.describeSite} takes no arguments`);
    return engine().describe();
  });
}
