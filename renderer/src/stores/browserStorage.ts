// What the console remembers between runs in the page's localStorage (the desktop window and the
// browser host both keep it): the theme, the language, the last view, the first-run guide. A
// storage that refuses (private mode, a quota, none at all) costs the memory, never an error.
export function recall(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Remembers `value` under `key`; null forgets it. */
export function remember(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    // Kept for this session only.
  }
}
