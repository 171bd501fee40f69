// How a state looks: every state of a device, tape, job, stream, backup, copy, schedule run and
// log level has a tone (its colour) and an icon, so it is never told by colour alone; its label
// is the message `states.<domain>.<value>`.
export type Tone = 'ok' | 'warn' | 'err' | 'busy' | 'muted' | 'info';
export type IconName = 'check' | 'half' | 'cross' | 'warning' | 'clock' | 'play' | 'stop' | 'dash' | 'info' | 'bolt';

export type StateDomain = 'resource' | 'job' | 'stream' | 'backup' | 'copy' | 'level' | 'enabled' | 'run';

export interface StateLook {
  tone: Tone;
  icon: IconName;
}

const LOOKS: Record<StateDomain, Record<string, StateLook>> = {
  resource: {
    available: { tone: 'ok', icon: 'check' },
    'in-use': { tone: 'busy', icon: 'half' },
    unavailable: { tone: 'err', icon: 'cross' },
  },
  job: {
    queued: { tone: 'muted', icon: 'clock' },
    reserving: { tone: 'busy', icon: 'clock' },
    running: { tone: 'busy', icon: 'play' },
    succeeded: { tone: 'ok', icon: 'check' },
    'succeeded-degraded': { tone: 'warn', icon: 'warning' },
    failed: { tone: 'err', icon: 'cross' },
    cancelled: { tone: 'muted', icon: 'stop' },
    interrupted: { tone: 'err', icon: 'bolt' },
  },
  stream: {
    reserved: { tone: 'muted', icon: 'clock' },
    running: { tone: 'busy', icon: 'play' },
    completed: { tone: 'ok', icon: 'check' },
    failed: { tone: 'err', icon: 'cross' },
    unused: { tone: 'muted', icon: 'dash' },
  },
  backup: {
    running: { tone: 'busy', icon: 'play' },
    complete: { tone: 'ok', icon: 'check' },
    failed: { tone: 'err', icon: 'cross' },
    interrupted: { tone: 'err', icon: 'bolt' },
  },
  copy: {
    writing: { tone: 'busy', icon: 'play' },
    complete: { tone: 'ok', icon: 'check' },
    failed: { tone: 'err', icon: 'cross' },
  },
  level: {
    info: { tone: 'info', icon: 'info' },
    warning: { tone: 'warn', icon: 'warning' },
    error: { tone: 'err', icon: 'cross' },
  },
  enabled: {
    enabled: { tone: 'ok', icon: 'check' },
    disabled: { tone: 'muted', icon: 'dash' },
  },
  run: {
    planned: { tone: 'busy', icon: 'clock' },
    started: { tone: 'ok', icon: 'play' },
    missed: { tone: 'err', icon: 'cross' },
    skipped: { tone: 'muted', icon: 'dash' },
  },
};

const UNKNOWN: StateLook = { tone: 'muted', icon: 'dash' };

export function stateLook(domain: StateDomain, value: string): StateLook {
  return LOOKS[domain][value] ?? UNKNOWN;
}

/** Every value of a domain (its labels must all exist in every language). */
export function stateValues(domain: StateDomain): string[] {
  return Object.keys(LOOKS[domain]);
}

export const STATE_DOMAINS = Object.keys(LOOKS) as StateDomain[];
