// The Schedule view's words: recurrences, windows, run now.
export const scheduleMessages = {
  en: {
    schedule: {
      title: 'Schedule',
      none: 'No schedules. Add one with "mpbackup schedule add".',
      columns: { id: 'No.', when: 'When', window: 'Window ends', next: 'Next run', lastRun: 'Last manual run' },
      streams: '{n} streams',
      when: {
        once: 'Once, {at}',
        daily: 'Daily at {time}',
        weekly: 'Weekly on {days} at {time}',
        monthly: 'Monthly on day {day} at {time}',
        cron: 'Cron {expression}',
      },
      days: { sun: 'Sun', mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat' },
      noWindow: 'no window',
      windowSameDay: '{time}',
      windowNextDay: '{time} next day',
      runNow: 'Run now',
      runNowFor: 'Run schedule {id} ({target}) now',
      running: 'Running…',
    },
  },
};
