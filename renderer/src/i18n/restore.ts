// The Restore view's words: targets and their backups.
export const restoreMessages = {
  en: {
    restore: {
      title: 'Restore',
      targets: 'Targets',
      noTargets: 'The catalog holds no backups yet.',
      noBackups: 'No backups of this target.',
      targetSummary: '{complete} of {total} backups complete',
      newest: 'newest data {at}',
      backupsOf: 'Backups of {target}',
      columns: { id: 'Backup', dataTime: 'Data time', outcome: 'Outcome', files: 'Files', copies: 'Copies', tapes: 'Tapes', restorable: 'Restore' },
      copies: '{complete} / {total}',
      jobLink: 'The job that made it: {job}',
      yes: 'Restorable',
      no: 'Not restorable',
    },
  },
};
