// IPC between the window and the engine, generated from the contract: one handler per method.
// Each handler first checks that the call comes from the app's own top frame showing the app's
// page (anything else is refused as `forbidden`), then hands the payload to the engine's
// `dispatch`, which parses it with the method's schema. Events are pushed to the window.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL, METHOD_NAMES, methodChannel, type EventMessage, type Reply } from '../../engine/contract';
import { dispatch, type Handlers } from '../../engine/service';

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

export function registerIpc(ipcMain: IpcMain, handlers: () => Handlers, appUrl: string): void {
  for (const name of METHOD_NAMES) {
    ipcMain.handle(methodChannel(name), async (event, ...args: unknown[]): Promise<Reply> => {
      if (!isTrustedSender(event, appUrl)) return { ok: false, error: { code: 'forbidden', message: `a call from ${event.senderFrame?.url ?? 'an unknown frame'} was refused` } };
      if (args.length > 1) return { ok: false, error: { code: 'bad-request', message: `${name} takes one argument, not ${args.length}` } };
      return dispatch(handlers(), name, args[0]);
    });
  }
}

/** Sends an event to the window, unless it is gone. */
export function pushEvent(contents: WebContents, message: EventMessage): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, message);
}
