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
  ja: {
    log: {
      title: 'イベントログ',
      filters: 'ログの絞り込み',
      level: 'レベル',
      levels: { all: 'すべてのレベル', warning: '警告とエラー', error: 'エラーのみ' },
      job: 'ジョブ',
      anyJob: 'すべてのジョブ',
      badJob: 'ジョブは 12 のような番号で指定します。',
      device: 'デバイス',
      anyDevice: 'すべてのデバイス',
      none: 'この条件に一致するログはありません。',
      older: '古いエントリを表示',
      columns: { at: '日時', level: 'レベル', job: 'ジョブ', device: 'デバイス', message: 'メッセージ' },
    },
  },
};
