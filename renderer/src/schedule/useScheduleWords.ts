// A schedule in words: when it runs (once at a date-time shown in its own zone, daily, weekly on
// its days, monthly on its day, a cron expression) and when its window ends.
import { useI18n } from 'vue-i18n';
import type { Schedule } from '../../../engine/contract';
import { useCalendarFormat } from './useCalendarFormat';

export function useScheduleWords() {
  const { t, locale } = useI18n();
  const { formatIn } = useCalendarFormat();
  /** Days as the language lists them: `Mon, Wed, Fri`, `月、水、金`. */
  const listDays = (days: readonly string[]) => new Intl.ListFormat(locale.value, { type: 'conjunction', style: 'narrow' }).format(days);

  function describeWhen(schedule: Schedule): string {
    const when = schedule.when;
    switch (when.kind) {
      case 'once':
        return t('schedule.when.once', { at: formatIn(Date.parse(when.at), schedule.timeZone) });
      case 'daily':
        return t('schedule.when.daily', { time: when.time });
      case 'weekly':
        return t('schedule.when.weekly', { days: listDays(when.days.map((day) => t(`schedule.days.${day}`))), time: when.time });
      case 'monthly':
        return t('schedule.when.monthly', { day: when.day, time: when.time });
      case 'cron':
        return t('schedule.when.cron', { expression: when.expression });
    }
  }

  function windowText(windowEnd: string | null): string {
    if (windowEnd === null) return t('schedule.noWindow');
    return windowEnd.endsWith('+1') ? t('schedule.windowNextDay', { time: windowEnd.slice(0, -2) }) : t('schedule.windowSameDay', { time: windowEnd });
  }

  return { describeWhen, windowText };
}
