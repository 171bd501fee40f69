// The Log view's words: columns, filters, paging.
export const logMessages = {
  en: {
    log: {
      title: 'Event log',
      filters: 'Filter the log',
      level: 'Level',
      levels: { all: 'All levels', warning: 'Warnings and errors', error: 'Errors only' },
      job: 'Job',
      anyJob: 'any job',
      badJob: 'A job is a number such as 12.',
      device: 'Device',
      anyDevice: 'Any device',
      none: 'Nothing logged matches this filter.',
      older: 'Show older entries',
      columns: { at: 'Time', level: 'Level', job: 'Job', device: 'Device', message: 'Message' },
    },
  },
};
