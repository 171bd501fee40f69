// A small fake of the parts of `electron` the main process and preload use, so they run in
// plain Vitest: it records what was registered and lets a test fire events and IPC calls.
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  /** Calls a handler as a frame at `url` would (`parent` set for a subframe). */
  async invoke(channel: string, url: string, args: unknown[] = [], parent: object | null = null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url, parent } }, ...args);
  }
}

export class FakeWebContents extends EventEmitter {
  /** What the main process pushed to the page, by channel. */
  readonly sent: Array<{ channel: string; message: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly session = {
    webRequest: {
      headerListener: null as null | ((details: object, callback: (r: object) => void) => void),
      onHeadersReceived(listener: (details: object, callback: (r: object) => void) => void) {
        this.headerListener = listener;
      },
    },
  };
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Fires a cancellable event; returns whether a listener prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.emit('ready-to-show');
  }
  show(): void {
    this.shown = true;
  }
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
  maximized = false;
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  /** The bounds the operator left the window at (a test sets them). */
  bounds = { x: 10, y: 20, width: 1280, height: 800 };
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.bounds;
  }
  /** Fires a cancellable window event; returns whether a listener prevented it. */
  fire(name: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) });
    return prevented;
  }
  restore(): void {}
  focus(): void {}
  closed = false;
  /** Closes the window as Electron does: its `close` event may prevent it. */
  close(): void {
    if (!this.fire('close')) this.closed = true;
  }
}

export class FakeApp extends EventEmitter {
  quitCalled = false;
  constructor(
    private readonly userData: string,
    private readonly gotLock = true,
  ) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  /** As Electron's: `before-quit` may prevent it; otherwise `will-quit` follows. */
  quit(): void {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.quitCalled = true;
    this.emit('will-quit');
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`unexpected path ${name}`);
    return this.userData;
  }
}

export class FakeNotification {
  static shown: Array<{ title: string; body: string }> = [];
  static supported = true;
  constructor(private readonly options: { title: string; body: string }) {}
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

/** A message box that answers with the responses a test gives it, in turn, and records what it asked. */
export class FakeDialog {
  readonly asked: Array<{ message: string; detail: string; buttons: string[] }> = [];
  /** What the folder chooser answers next: a folder, or null (cancelled). */
  folder: string | null = null;
  readonly opened: Array<Record<string, unknown>> = [];
  constructor(private readonly responses: number[]) {}
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.opened.push(args.at(-1) as Record<string, unknown>);
    return Promise.resolve(this.folder === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [this.folder] });
  }
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const options = args.at(-1) as { message: string; detail: string; buttons: string[] };
    this.asked.push({ message: options.message, detail: options.detail, buttons: options.buttons });
    return Promise.resolve({ response: this.responses.shift() ?? 0, checkboxChecked: false });
  }
}
