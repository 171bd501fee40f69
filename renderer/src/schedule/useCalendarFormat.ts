// Dates and times as the calendar writes them, in the operator's language (vue-i18n's locale)
// and local time zone, or in a schedule's own zone: an hour, a time of day, a day, a month, a
// date-time. The Intl formatters are made once per language and kept for every component (making
// one costs as much as drawing a run), not once per event drawn.
import { useI18n } from 'vue-i18n';

const STYLES = {
  hour: { hour: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
  /** A shorter time where room is scarce (the grids' blocks). */
  clock: { hour: 'numeric', minute: '2-digit' },
  weekday: { weekday: 'short' },
  dayNumber: { day: 'numeric' },
  dayShort: { weekday: 'short', day: 'numeric', month: 'short' },
  dayLong: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  month: { month: 'long', year: 'numeric' },
  dateTime: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export type CalendarStyle = keyof typeof STYLES;

/** Where a language writes a style otherwise: a Japanese day as `2026年12月1日(火)`. */
const LOCALE_STYLES: Record<string, Partial<Record<CalendarStyle, Intl.DateTimeFormatOptions>>> = {
  ja: { dayLong: { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' } },
};

/** The options of a style in a language (`ja-JP` takes `ja`'s). */
export function calendarStyle(locale: string, style: CalendarStyle): Intl.DateTimeFormatOptions {
  return LOCALE_STYLES[locale.split('-')[0]!]?.[style] ?? STYLES[style];
}

const made = new Map<string, Intl.DateTimeFormat>();

/** The formatter of a language and style (and zone, for a schedule's own), made on first use. */
function formatter(locale: string, style: CalendarStyle, timeZone?: string): Intl.DateTimeFormat {
  const key = `${locale} ${style} ${timeZone ?? ''}`;
  let format = made.get(key);
  if (!format) {
    const options = calendarStyle(locale, style);
    format = new Intl.DateTimeFormat(locale, timeZone ? { ...options, timeZone, timeZoneName: 'short' } : options);
    made.set(key, format);
  }
  return format;
}

export function useCalendarFormat() {
  const { locale } = useI18n();

  /** An instant in the operator's local time. */
  function format(at: number | Date, style: CalendarStyle): string {
    return formatter(locale.value, style).format(at);
  }

  /** An instant as the wall clock of an IANA zone shows it, with the zone's short name. */
  function formatIn(at: number | Date, timeZone: string): string {
    return formatter(locale.value, 'dateTime', timeZone).format(at);
  }

  return { format, formatIn };
}
