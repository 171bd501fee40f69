// What a run on the calendar came to, and how each outcome looks: a tone (its colour) and an
// icon, so an outcome is never told by colour alone; its label is `schedule.outcomes.<outcome>`.
// Planned runs are still to come; the others happened (or fell due): a started run takes its
// job's state, a recorded run that never started is waiting, missed or skipped.
import type { Job, ScheduleRun } from '../../../engine/contract';
import type { IconName, Tone } from '../ui/states';

export const OUTCOMES = ['planned', 'waiting', 'running', 'succeeded', 'degraded', 'failed', 'interrupted', 'cancelled', 'missed', 'skipped', 'started'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface OutcomeLook {
  tone: Tone;
  icon: IconName;
}

const LOOKS: Record<Outcome, OutcomeLook> = {
  planned: { tone: 'busy', icon: 'clock' },
  waiting: { tone: 'warn', icon: 'clock' },
  running: { tone: 'busy', icon: 'play' },
  succeeded: { tone: 'ok', icon: 'check' },
  degraded: { tone: 'warn', icon: 'warning' },
  failed: { tone: 'err', icon: 'cross' },
  interrupted: { tone: 'err', icon: 'bolt' },
  cancelled: { tone: 'muted', icon: 'stop' },
  missed: { tone: 'err', icon: 'dash' },
  skipped: { tone: 'muted', icon: 'info' },
  started: { tone: 'busy', icon: 'half' },
};

/** The outcomes the legend explains, in the order the operator reads them. */
export const LEGEND: readonly Outcome[] = ['planned', 'running', 'succeeded', 'degraded', 'failed', 'missed'];

export function outcomeLook(outcome: Outcome): OutcomeLook {
  return LOOKS[outcome];
}

/** What a recorded run came to: its state, or for a started run its job's (when the job is known). */
export function runOutcome(run: ScheduleRun, job: Job | undefined): Outcome {
  if (run.state === 'planned') return 'waiting';
  if (run.state === 'missed' || run.state === 'skipped') return run.state;
  if (!job) return 'started';
  switch (job.state) {
    case 'queued':
    case 'reserving':
    case 'running':
      return 'running';
    case 'succeeded-degraded':
      return 'degraded';
    default:
      return job.state;
  }
}

/** Outcomes an operator must look at. */
export function isProblem(outcome: Outcome): boolean {
  return outcome === 'failed' || outcome === 'missed' || outcome === 'interrupted' || outcome === 'degraded' || outcome === 'waiting';
}
