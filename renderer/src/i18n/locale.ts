// The console's languages and which one it opens in: the operator's remembered choice
// (localStorage), else the first of the system's languages (navigator.languages, in the order the
// operator ranked them) that the console speaks, else English. vue-i18n's global locale holds the
// language in use; the header's switch (shell/LanguageSwitch.vue) changes it and remembers it.
// The Japanese texts keep to one word per term of the spec: stream 系統, mover ムーバー, backup
// server バックアップサーバー, copy device コピー装置, library テープライブラリ, fragment
// フラグメント, chunk チャンク, target 対象, data time データ時点, mirrored ミラー, failover
// フェイルオーバー, degraded 縮退, folder フォルダー (long-vowel forms throughout).
import { recall, remember } from '../stores/browserStorage';

export const LOCALES = ['en', 'ja'] as const;
export type ConsoleLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: ConsoleLocale = 'en';
export const LOCALE_STORAGE_KEY = 'mpbackup.locale';

/** Each language's name in itself, as the switch offers it whatever language is in use. */
export const LOCALE_NAMES: Record<ConsoleLocale, string> = { en: 'English', ja: '日本語' };

export function isConsoleLocale(value: unknown): value is ConsoleLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The console's language for a BCP 47 tag (`ja`, `ja-JP`, `en-GB`); null when it has none. */
export function localeOf(tag: string): ConsoleLocale | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isConsoleLocale(primary) ? primary : null;
}

/** The first of the system's languages the console speaks, else English. */
export function systemLocale(languages: readonly string[]): ConsoleLocale {
  for (const tag of languages) {
    const locale = localeOf(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** The language the operator chose before, if any. */
export function rememberedLocale(): ConsoleLocale | null {
  const saved = recall(LOCALE_STORAGE_KEY);
  return isConsoleLocale(saved) ? saved : null;
}

export function rememberLocale(locale: ConsoleLocale): void {
  remember(LOCALE_STORAGE_KEY, locale);
}

/** What the console opens in: the remembered choice, else the system's language. */
export function initialLocale(nav: { language?: string; languages?: readonly string[] } | undefined = globalThis.navigator): ConsoleLocale {
  const languages = nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
  return rememberedLocale() ?? systemLocale(languages);
}
