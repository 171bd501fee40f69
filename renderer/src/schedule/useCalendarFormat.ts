// Dates and times as the calendar writes them, in the operator's language (vue-i18n's locale)
// and local time zone, or in a schedule's own zone: an hour, a time of day, a day, a month, a
// date-time. The Intl formatters are made once per language, not once per event drawn.
import { computed } from 'vue';
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

export function useCalendarFormat() {
  const { locale } = useI18n();
  const formats = computed(() => {
    const made = {} as Record<CalendarStyle, Intl.DateTimeFormat>;
    for (const [style, options] of Object.entries(STYLES)) made[style as CalendarStyle] = new Intl.DateTimeFormat(locale.value, options);
    return made;
  });

  /** An instant in the operator's local time. */
  function format(at: number | Date, style: CalendarStyle): string {
    return formats.value[style].format(at);
  }

  /** An instant as the wall clock of an IANA zone shows it, with the zone's short name. */
  function formatIn(at: number | Date, timeZone: string): string {
    return new Intl.DateTimeFormat(locale.value, { ...STYLES.dateTime, timeZone, timeZoneName: 'short' }).format(at);
  }

  return { format, formatIn };
}
