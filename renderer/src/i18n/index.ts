// vue-i18n for the console: messages in per-feature modules (this folder, and the SAN graph's
// own `san/messages.ts` when it is built), merged per language; English and Japanese, each a key
// (`en`, `ja`) in every module. Dates are formatted in the workstation's time zone, as the
// language in use writes them; which language the console opens in is `locale.ts`'s.
// The esm-bundler build compiles messages without eval, so it runs under the page's CSP.
import { createI18n } from 'vue-i18n';
import { commonMessages } from './common';
import { guideMessages } from './guide';
import { inventoryMessages } from './inventory';
import { jobsMessages } from './jobs';
import { logMessages } from './log';
import { overviewMessages } from './overview';
import { restoreMessages } from './restore';
import { scheduleMessages } from './schedule';
import { siteMessages } from './site';
import { shellMessages } from './shell';

export type MessageTree = { [key: string]: string | MessageTree };
export type MessageModule = { [locale: string]: MessageTree };

/** The console's own modules. */
export const OWN_MESSAGES: readonly MessageModule[] = [commonMessages, shellMessages, overviewMessages, jobsMessages, inventoryMessages, scheduleMessages, restoreMessages, logMessages, siteMessages, guideMessages];

// The SAN graph is built beside the console; its messages join when its module is there.
const sanModules = import.meta.glob<MessageModule>('../san/messages.ts', { eager: true, import: 'sanMessages' });
export const SAN_MESSAGES: readonly MessageModule[] = Object.values(sanModules);

export interface Merged {
  messages: Record<string, MessageTree>;
  /** Keys defined twice with different texts (the first module's text is kept). */
  conflicts: string[];
}

function mergeTree(into: MessageTree, from: MessageTree, prefix: string, conflicts: string[]): void {
  for (const [key, value] of Object.entries(from)) {
    const have = into[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (have === undefined && typeof value === 'string') into[key] = value;
    else if (have === undefined) mergeTree((into[key] = {}), value as MessageTree, path, conflicts);
    else if (typeof have !== 'string' && typeof value !== 'string') mergeTree(have, value, path, conflicts);
    else if (have !== value) conflicts.push(path);
  }
}

/** Merges message modules per language, deeply; earlier modules win a conflict. */
export function mergeMessages(modules: readonly MessageModule[]): Merged {
  const messages: Record<string, MessageTree> = {};
  const conflicts: string[] = [];
  for (const module of modules) {
    for (const [locale, tree] of Object.entries(module)) mergeTree((messages[locale] ??= {}), tree, '', conflicts);
  }
  return { messages, conflicts };
}

const DATE_FORMATS = {
  short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** Within the year: tables with many dates. */
  medium: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Where a language writes dates otherwise: Japanese names the weekday in a full date, `2026年12月1日(火) 22:00:00`. */
const LOCALE_DATE_FORMATS: Record<string, Partial<Record<keyof typeof DATE_FORMATS, Intl.DateTimeFormatOptions>>> = {
  ja: { long: { ...DATE_FORMATS.long, weekday: 'short' } },
};

/** The named date formats of a language (`d(date, 'long')`). */
export function dateFormatsOf(locale: string): Record<keyof typeof DATE_FORMATS, Intl.DateTimeFormatOptions> {
  return { ...DATE_FORMATS, ...LOCALE_DATE_FORMATS[locale] };
}

export function createConsoleI18n(options: { locale?: string; modules?: readonly MessageModule[]; missing?: (locale: string, key: string) => void } = {}) {
  const { messages } = mergeMessages(options.modules ?? [...OWN_MESSAGES, ...SAN_MESSAGES]);
  return createI18n({
    legacy: false,
    locale: options.locale ?? 'en',
    fallbackLocale: 'en',
    messages,
    datetimeFormats: Object.fromEntries(Object.keys(messages).map((locale) => [locale, dateFormatsOf(locale)])),
    ...(options.missing ? { missing: options.missing } : {}),
  });
}
