// The console's languages: every message module (the SAN graph's too, and any module registered
// later) has a Japanese text for each English one and no other, with the same placeholders and a
// plural form vue-i18n can pick; every Japanese text compiles, renders without warnings and is
// Japanese (not the English left in place). Which language the console opens in: the remembered
// choice, else the system's first language it speaks, else English.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleI18n, dateFormatsOf, mergeMessages, OWN_MESSAGES, SAN_MESSAGES, type MessageModule, type MessageTree } from '../../renderer/src/i18n';
import { initialLocale, LOCALE_STORAGE_KEY, LOCALES, localeOf, rememberedLocale, rememberLocale, systemLocale } from '../../renderer/src/i18n/locale';

const MODULES: readonly MessageModule[] = [...OWN_MESSAGES, ...SAN_MESSAGES];

function texts(tree: MessageTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of texts(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The named placeholders of a message, `{n}` and `{ target }` alike, sorted and once each. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\s*([A-Za-z_$][\w$]*)\s*\}/g)].map((m) => m[1]!))].sort();
}

/** How many plural forms a message has (`a | b` is two). */
function forms(text: string): number {
  return text.split('|').length;
}

/** A module's name for the failure messages: its top-level keys. */
function nameOf(module: MessageModule): string {
  return Object.keys(module.en ?? {}).join('+');
}

// Texts that are the same in both languages: names, symbols and placeholders only.
const SAME_IN_BOTH = new Set([
  'shell.product',
  'shell.views.san',
  'san.title',
  'common.dash',
  'overview.next.ok',
  'jobs.page.backupValue',
  'jobs.page.scheduleValue',
  'jobs.chart.tick',
  'schedule.columns.id',
  'schedule.windowSameDay',
  'schedule.calendar.weekTitle',
  'schedule.grid.more',
  'schedule.details.scheduleValue',
  'schedule.event.label',
  'restore.plan.facts.chunksValue',
  // A backup in the catalog tree, beside its mode: the word would crowd out the number.
  'restore.tree.backup',
  'san.details.id',
  'san.plan.streamShort',
  'san.live.streamLine',
  'san.live.withRate',
]);

/** Japanese script: its punctuation, hiragana, katakana, kanji, full-width forms. */
const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe('the Japanese messages', () => {
  it('exist in every module, for exactly the keys of its English ones', () => {
    for (const module of MODULES) {
      expect(module.ja, `${nameOf(module)}: no ja`).toBeDefined();
      const en = [...texts(module.en ?? {}).keys()].sort();
      const ja = [...texts(module.ja ?? {}).keys()].sort();
      expect(
        en.filter((key) => !ja.includes(key)),
        `${nameOf(module)}: English keys without a Japanese text`,
      ).toEqual([]);
      expect(
        ja.filter((key) => !en.includes(key)),
        `${nameOf(module)}: Japanese keys without an English text`,
      ).toEqual([]);
    }
  });

  it('keep the placeholders of the English text, and a plural vue-i18n can pick', () => {
    const { messages } = mergeMessages(MODULES);
    const en = texts(messages.en!);
    const ja = texts(messages.ja!);
    const problems: string[] = [];
    for (const [key, english] of en) {
      const japanese = ja.get(key);
      if (japanese === undefined) continue;
      if (placeholders(japanese).join() !== placeholders(english).join()) {
        problems.push(`${key}: {${placeholders(japanese).join('}, {')}} instead of {${placeholders(english).join('}, {')}}`);
      }
      // Japanese has no plural: one form for every count, or as many as the English when the
      // English has a form of its own for none (`No job running | 1 job running | {n} jobs running`).
      if (forms(japanese) !== 1 && forms(japanese) !== forms(english)) problems.push(`${key}: ${forms(japanese)} plural forms for ${forms(english)}`);
      // `@` links to another message, `|` splits plural forms: vue-i18n would read them so.
      if (japanese.includes('@')) problems.push(`${key}: holds @`);
    }
    expect(problems).toEqual([]);
  });

  it('are Japanese, not the English text left in place', () => {
    const { messages } = mergeMessages(MODULES);
    const en = texts(messages.en!);
    const untranslated: string[] = [];
    for (const [key, japanese] of texts(messages.ja!)) {
      if (SAME_IN_BOTH.has(key)) continue;
      if (japanese === en.get(key) || !JAPANESE.test(japanese)) untranslated.push(`${key}: ${japanese}`);
    }
    expect(untranslated).toEqual([]);
  });

  it('all compile and render without warnings, whatever the count', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const missing: string[] = [];
    try {
      const i18n = createConsoleI18n({ locale: 'ja', modules: MODULES, missing: (locale, key) => void missing.push(`${locale} ${key}`) });
      const { messages } = mergeMessages(MODULES);
      expect(texts(messages.ja!).size).toBeGreaterThan(500);
      for (const [key, japanese] of texts(messages.ja!)) {
        const params = Object.fromEntries(placeholders(japanese).map((name) => [name, `<${name}>`]));
        for (const count of [0, 1, 2, 7]) {
          const text = i18n.global.t(key, params, count);
          expect(text, key).not.toBe(key);
          expect(text, key).not.toMatch(/[{}|]/);
          expect(text.trim(), key).not.toBe('');
        }
      }
      expect(missing).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('say none, one and many apart where the English does', () => {
    const i18n = createConsoleI18n({ locale: 'ja', modules: MODULES });
    const t = i18n.global.t;
    expect([0, 1, 3].map((n) => t('shell.status.running', n))).toEqual(['実行中のジョブなし', '実行中のジョブ 1 件', '実行中のジョブ 3 件']);
    expect([1, 3].map((n) => t('shell.status.unavailable', n))).toEqual(['使用不可のデバイス 1 台', '使用不可のデバイス 3 台']);
    expect(t('restore.basket.count', { n: 5 }, 5)).toBe('5 項目');
  });

  it('write dates as Japanese does, with the weekday in a full date', () => {
    const at = new Date(2026, 11, 1, 22, 5, 9);
    const en = createConsoleI18n({ locale: 'en', modules: MODULES });
    const ja = createConsoleI18n({ locale: 'ja', modules: MODULES });
    expect(ja.global.d(at, 'long')).toBe('2026年12月1日(火) 22:05:09');
    expect(ja.global.d(at, 'short')).toBe('12月1日 22:05');
    expect(ja.global.d(at, 'time')).toBe('22:05:09');
    expect(en.global.d(at, 'long')).toBe('Dec 1, 2026, 10:05:09 PM');
    expect(en.global.d(at, 'short')).toBe('Dec 1, 10:05 PM');
    // Every language has the same named formats.
    for (const locale of LOCALES) expect(Object.keys(dateFormatsOf(locale)).sort()).toEqual(Object.keys(dateFormatsOf('en')).sort());
  });
});

describe('the language the console opens in', () => {
  afterEach(() => localStorage.clear());

  it('is the first of the system\'s languages the console speaks, else English', () => {
    expect(systemLocale(['ja-JP', 'en-US'])).toBe('ja');
    expect(systemLocale(['ja'])).toBe('ja');
    expect(systemLocale(['de-DE', 'ja', 'en'])).toBe('ja');
    expect(systemLocale(['en-GB', 'ja-JP'])).toBe('en');
    expect(systemLocale(['fr-FR', 'de'])).toBe('en');
    expect(systemLocale([])).toBe('en');
    expect(localeOf('JA_jp')).toBe('ja');
    expect(localeOf('jam')).toBeNull();
  });

  it('follows navigator.languages, or navigator.language without them', () => {
    expect(initialLocale({ language: 'en-US', languages: ['ja-JP', 'en-US'] })).toBe('ja');
    expect(initialLocale({ language: 'ja-JP', languages: [] })).toBe('ja');
    expect(initialLocale({ language: 'en-US' })).toBe('en');
    expect(initialLocale(undefined)).toBe('en');
  });

  it('is the operator\'s remembered choice over the system\'s', () => {
    rememberLocale('en');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(initialLocale({ languages: ['ja-JP'] })).toBe('en');
    rememberLocale('ja');
    expect(initialLocale({ languages: ['en-US'] })).toBe('ja');
    // Something else stored there is not a choice.
    localStorage.setItem(LOCALE_STORAGE_KEY, 'klingon');
    expect(rememberedLocale()).toBeNull();
    expect(initialLocale({ languages: ['ja'] })).toBe('ja');
  });

  it('is English in tests unless one is set', () => {
    expect(createConsoleI18n().global.locale.value).toBe('en');
  });
});
