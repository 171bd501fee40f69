// Words every run on the calendar repeats, its outcome and its mode and streams, worded once per
// language and kept for all of them: a month draws a hundred runs, and each wording through
// vue-i18n costs about as much as drawing the run.
import { useI18n } from 'vue-i18n';
import type { BackupMode } from '../../../engine/contract';
import type { Outcome } from './outcomes';

const worded = new Map<string, string>();

export function useRunWords() {
  const { t, locale } = useI18n();
  const once = (key: string, word: () => string): string => {
    const cached = `${locale.value} ${key}`;
    let text = worded.get(cached);
    if (text === undefined) worded.set(cached, (text = word()));
    return text;
  };
  return {
    outcome: (outcome: Outcome) => once(`outcome ${outcome}`, () => t(`schedule.outcomes.${outcome}`)),
    how: (mode: BackupMode, streams: number) => once(`how ${mode} ${streams}`, () => t('schedule.event.how', { mode: t(`modes.${mode}`), streams })),
  };
}
