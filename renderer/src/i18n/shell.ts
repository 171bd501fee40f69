// The shell's words: product name, navigation, theme switch, status bar, connection.
export const shellMessages = {
  en: {
    shell: {
      product: 'Multipath Backup Manager',
      skip: 'Skip to the content',
      nav: 'Views',
      views: {
        overview: 'Overview',
        schedule: 'Schedule',
        san: 'SAN',
        jobs: 'Jobs',
        restore: 'Restore',
        inventory: 'Inventory',
        log: 'Log',
      },
      demo: 'Demo',
      demoHint: 'A demo site: faults can be injected into running jobs.',
      connecting: 'Connecting to the engine…',
      theme: { label: 'Theme', system: 'System', light: 'Light', dark: 'Dark' },
      status: {
        label: 'Site status',
        running: 'No job running | 1 job running | {n} jobs running',
        problems: '1 failed or degraded job (24 h) | {n} failed or degraded jobs (24 h)',
        unavailable: '1 device unavailable | {n} devices unavailable',
        noAlerts: 'No alerts',
      },
      sanMissing: 'The SAN graph is not part of this build.',
    },
  },
};
