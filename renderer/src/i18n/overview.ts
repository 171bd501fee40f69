// The Overview's words: site health, running jobs, next runs, recent failures.
export const overviewMessages = {
  en: {
    overview: {
      title: 'Overview',
      health: {
        title: 'Site health',
        toSan: 'SAN graph',
        streams: { mirrored: 'independent streams over backup servers', failover: 'independent streams over copy devices' },
        canRun: 'Backups can run',
        cannotRun: 'Backups cannot run: fewer than {min}',
        available: '{n} available',
        inUse: '{n} in use',
        unavailable: '{n} unavailable',
      },
      running: {
        title: 'Running jobs',
        all: 'All jobs',
        none: 'No job is running.',
        progress: 'Progress of job {id}',
      },
      next: {
        title: 'Next scheduled runs',
        all: 'Schedule',
        none: 'No schedule will run.',
        later: 'Nothing is due in the next {hours} hours; next: {target} at {at}.',
        due: 'Due',
        expected: 'Expected',
        outlook: 'Outlook',
        conflict: 'Conflict',
        ok: 'OK',
        okHint: '{n} independent streams free now',
        mode: 'Mode · streams',
      },
      problems: {
        title: 'Recent failures',
        log: 'Event log',
        jobs: 'Jobs',
        events: 'Warnings and errors',
        noJobs: 'No failed or degraded jobs.',
        noEvents: 'No warnings or errors logged.',
      },
    },
  },
};
