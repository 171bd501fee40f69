// What the benchmark's in-page functions (sent to Chromium by Playwright) use of the page, typed
// here because the Node type-check has no DOM types. Each such function starts with
// `const page = globalThis as unknown as PageGlobals`.
export interface PageElement {
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  dispatchEvent(event: unknown): boolean;
  closest?(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
}

export interface PageGlobals {
  document: PageElement & {
    querySelector(selector: string): PageElement | null;
    addEventListener(type: string, listener: (event: { target: unknown }) => void, capture: boolean): void;
  };
  window: PageElement;
  MouseEvent: new (type: string, init: Record<string, unknown>) => unknown;
  requestAnimationFrame(callback: (now: number) => void): number;
  performance: { mark(name: string): void; now(): number; getEntriesByName(name: string): { startTime: number }[] };
}
