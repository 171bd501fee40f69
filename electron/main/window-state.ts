// The main window's size, place and maximised state, remembered between runs in the user-data
// directory (`window-state.json`, written atomically when the window closes). A missing or bad
// file, or a size out of bounds, gives the default window; nothing else depends on it.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../engine';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };
/** The smallest window the console is laid out for, and a sane largest. */
export const MIN_WINDOW = { width: 900, height: 600 };
const MAX_SIDE = 20_000;

/** The remembered window, or the default one. */
export function loadWindowState(userData: string): WindowState {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(userData, WINDOW_STATE_FILE), 'utf8')) as Record<string, unknown>;
    const side = (v: unknown, min: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= MAX_SIDE ? v : null);
    const place = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_SIDE ? v : undefined);
    const width = side(raw.width, MIN_WINDOW.width);
    const height = side(raw.height, MIN_WINDOW.height);
    if (width === null || height === null) return DEFAULT_WINDOW;
    const x = place(raw.x);
    const y = place(raw.y);
    return { width, height, ...(x !== undefined && y !== undefined ? { x, y } : {}), maximized: raw.maximized === true };
  } catch {
    return DEFAULT_WINDOW;
  }
}

/** Remembers a window's normal (not maximised) bounds and whether it is maximised. */
export function saveWindowState(userData: string, window: { getNormalBounds(): { x: number; y: number; width: number; height: number }; isMaximized(): boolean }): void {
  const { x, y, width, height } = window.getNormalBounds();
  const state: WindowState = { width, height, x, y, maximized: window.isMaximized() };
  try {
    writeFileAtomic(path.join(userData, WINDOW_STATE_FILE), JSON.stringify(state) + '\n', { durable: false });
  } catch {
    // Not remembering the window never stops the app from closing.
  }
}
