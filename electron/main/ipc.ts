// IPC between the window and the engine, generated from the contract: one handler per method.
// Each handler first checks that the call comes from the app's own top frame showing the app's
// page (anything else is refused as `forbidden`), then hands the payload to the engine's
// `dispatch`, which parses it with the method's schema. Events are pushed to the window.
import path from 'node:path';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHOOSE_FOLDER_CHANNEL, EVENT_CHANNEL, METHOD_NAMES, methodChannel, UNSAVED_CHANNEL, type EventMessage, type Reply } from '../../engine/contract';
import { dispatch, type Handlers } from '../../engine/service';

/** A call is trusted only from the main frame of our window, showing our page. */
export function isTrustedSender(event: IpcMainInvokeEvent, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return sameDocument(frame.url, appUrl);
}

/** The answer to a call from any other frame. */
function refused(event: IpcMainInvokeEvent): Reply {
  return { ok: false, error: { code: 'forbidden', message: `a call from ${event.senderFrame?.url ?? 'an unknown frame'} was refused` } };
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
      if (!isTrustedSender(event, appUrl)) return refused(event);
      if (args.length > 1) return { ok: false, error: { code: 'bad-request', message: `${name} takes one argument, not ${args.length}` } };
      return dispatch(handlers(), name, args[0]);
    });
  }
}

/** The desktop's folder chooser for the page (DesktopHost.chooseFolder), with the same sender check. */
export function registerFolderChooser(ipcMain: IpcMain, dialog: Pick<Dialog, 'showOpenDialog'>, window: () => BrowserWindow | null, appUrl: string): void {
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event, ...args: unknown[]): Promise<Reply> => {
    if (!isTrustedSender(event, appUrl)) return refused(event);
    const options = folderOptions(args);
    if (typeof options === 'string') return { ok: false, error: { code: 'bad-request', message: `chooseFolder: ${options}` } };
    const dialogOptions = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>, ...options };
    const parent = window();
    const result = parent ? await dialog.showOpenDialog(parent, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
    return { ok: true, value: result.canceled ? null : (result.filePaths[0] ?? null) };
  });
}

/** The page saying whether it holds unsaved changes (DesktopHost.setUnsavedChanges), with the same sender check. */
export function registerUnsavedFlag(ipcMain: IpcMain, appUrl: string, onChange: (unsaved: boolean) => void): void {
  ipcMain.handle(UNSAVED_CHANNEL, (event, ...args: unknown[]): Reply => {
    if (!isTrustedSender(event, appUrl)) return refused(event);
    if (args.length !== 1 || typeof args[0] !== 'boolean') return { ok: false, error: { code: 'bad-request', message: 'setUnsavedChanges takes one boolean' } };
    onChange(args[0]);
    return { ok: true, value: null };
  });
}

/** The chooser's options, checked, or what is wrong with them. */
function folderOptions(args: unknown[]): { title?: string; defaultPath?: string } | string {
  if (args.length > 1) return `it takes one argument, not ${args.length}`;
  const input = args[0] ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'its options are an object';
  const { title, defaultPath, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `unknown option ${Object.keys(rest)[0]}`;
  if (title !== undefined && (typeof title !== 'string' || title.length > 200)) return 'title is a text of at most 200 characters';
  if (defaultPath !== undefined && (typeof defaultPath !== 'string' || defaultPath.length > 4096 || !path.isAbsolute(defaultPath))) return 'defaultPath is an absolute path';
  return { ...(title !== undefined ? { title } : {}), ...(defaultPath !== undefined ? { defaultPath } : {}) };
}

/** Sends an event to the window, unless it is gone. */
export function pushEvent(contents: WebContents, message: EventMessage): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, message);
}
