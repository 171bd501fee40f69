// Schedule commands: `schedule add/edit/remove/list/runs/forecast/run` manage backup schedules
// [410] in the catalog, and `run-scheduler` runs them in the foreground until SIGINT/SIGTERM,
// printing what it starts. Bad input (an unknown target or day, a bad cron expression or time,
// a window that ends before it starts) is one line on stderr, exit 2, and changes nothing.
import {
  BackupMode,
  parseSize,
  WEEKDAYS,
  type Weekday,
  type ForecastEntry,
  type Schedule,
  type ScheduleEdit,
  type ScheduleEvent,
  type ScheduleRun,
  type ScheduleWhen,
} from '../engine/contract';
import { describeSchedule, Engine, instantOf, machineTimeZone } from '../engine';
import { print, streamCount, timeoutOf, withEngine, type Command, type Context } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { table } from './format';
import { backupJson, describeBackup, watched } from './jobs';

const DAY_NAMES: Record<Weekday, string> = { sun: 'sunday', mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday' };

const TIMING = ['at', 'daily', 'weekly', 'monthly', 'cron'] as const;

const SETTINGS_OPTIONS = {
  at: { type: 'string' },
  daily: { type: 'string' },
  weekly: { type: 'string' },
  monthly: { type: 'string' },
  cron: { type: 'string' },
  mode: { type: 'string' },
  streams: { type: 'string' },
  'chunk-size': { type: 'string' },
  timeout: { type: 'string' },
  'window-end': { type: 'string' },
  'no-window': { type: 'boolean' },
  'time-zone': { type: 'string' },
  disabled: { type: 'boolean' },
} as const;

const SETTINGS_USAGE =
  '(--at DATE-TIME | --daily HH:MM | --weekly DAYS@HH:MM | --monthly DAY@HH:MM | --cron EXPR) [--mode mirrored|failover] [--streams N] [--chunk-size SIZE] [--timeout MS] [--window-end HH:MM[+1]] [--time-zone ZONE]';

/** The timing option given, if any (at most one). */
function whenOf(values: Context['values']): ScheduleWhen | undefined {
  const given = TIMING.filter((name) => values[name] !== undefined);
  if (given.length > 1) throw new UsageError(`give one of --at, --daily, --weekly, --monthly, --cron (not ${given.map((g) => `--${g}`).join(' and ')})`);
  const text = given.length === 1 ? (values[given[0]!] as string) : undefined;
  switch (given[0]) {
    case undefined:
      return undefined;
    case 'at':
      return { kind: 'once', at: text! };
    case 'daily':
      return { kind: 'daily', time: timeOf('--daily', text!) };
    case 'weekly': {
      const m = /^([^@]+)@(.+)$/.exec(text!);
      if (!m) throw new UsageError(`--weekly: expected DAYS@HH:MM such as mon,wed,fri@22:00, not "${text}"`);
      const days = m[1]!.split(',').map((d) => {
        const name = d.trim().toLowerCase();
        const day = WEEKDAYS.find((w) => name === w || name === DAY_NAMES[w]);
        if (!day) throw new UsageError(`--weekly: "${d}" is not a day (${WEEKDAYS.join(', ')})`);
        return day;
      });
      return { kind: 'weekly', days, time: timeOf('--weekly', m[2]!) };
    }
    case 'monthly': {
      const m = /^(\d{1,2})@(.+)$/.exec(text!);
      const day = m ? Number(m[1]) : NaN;
      if (!m || day < 1 || day > 31) throw new UsageError(`--monthly: expected DAY@HH:MM with DAY from 1 to 31, such as 15@03:00, not "${text}"`);
      return { kind: 'monthly', day, time: timeOf('--monthly', m[2]!) };
    }
    case 'cron':
      return { kind: 'cron', expression: text! };
  }
}

function timeOf(option: string, text: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(text)) throw new UsageError(`${option}: "${text}" is not a time of day HH:MM (00:00 to 23:59)`);
  return text;
}

/** The settings given on the command line (only those given). */
function settingsOf(values: Context['values']): ScheduleEdit {
  const edit: ScheduleEdit = {};
  const when = whenOf(values);
  if (when) edit.when = when;
  if (values.mode !== undefined) {
    const mode = BackupMode.safeParse(values.mode);
    if (!mode.success) throw new UsageError(`--mode: "mirrored" or "failover", not "${String(values.mode)}"`);
    edit.mode = mode.data;
  }
  if (values.streams !== undefined) edit.streams = streamCount(values);
  if (values['chunk-size'] !== undefined) {
    const text = values['chunk-size'] as string;
    const size = parseSize(text);
    if (size === null) throw new UsageError(`--chunk-size: "${text}" is not a size (examples: 8MiB, 512KiB)`);
    edit.chunkSize = size;
  }
  const timeoutMs = timeoutOf(values);
  if (timeoutMs !== undefined) edit.timeoutMs = timeoutMs;
  if (values['window-end'] !== undefined && values['no-window']) throw new UsageError('--window-end and --no-window do not go together');
  if (values['window-end'] !== undefined) {
    const text = values['window-end'] as string;
    if (!/^([01]\d|2[0-3]):[0-5]\d(\+1)?$/.test(text)) throw new UsageError(`--window-end: "${text}" is not HH:MM (the same day) or HH:MM+1 (the next day)`);
    edit.windowEnd = text;
  }
  if (values['no-window']) edit.windowEnd = null;
  if (values['time-zone'] !== undefined) edit.timeZone = values['time-zone'] as string;
  return edit;
}

function idOf(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1) throw new UsageError(`a schedule id is a whole number, not "${text}"`);
  return id;
}

const scheduleAdd: Command = {
  name: 'schedule add',
  usage: `schedule add TARGET ${SETTINGS_USAGE} [--disabled]`,
  summary: 'add a backup schedule (one date-time or a recurrence, in the machine\'s time zone unless --time-zone)',
  options: SETTINGS_OPTIONS,
  positionals: 1,
  async run(ctx) {
    const settings = settingsOf(ctx.values);
    if (!settings.when) throw new UsageError('say when: --at, --daily, --weekly, --monthly or --cron');
    if (ctx.values['no-window']) throw new UsageError('--no-window goes with schedule edit');
    const schedule = await withEngine(ctx, (engine) => engine.createSchedule({ ...settings, when: settings.when!, target: ctx.positionals[0]!, enabled: !ctx.values.disabled }));
    print(ctx, { schedule }, () => `schedule ${schedule.id}: ${describeSchedule(schedule)}; next run ${schedule.nextDueAt ?? 'never'}`);
    return EXIT_OK;
  },
};

const scheduleEdit: Command = {
  name: 'schedule edit',
  usage: `schedule edit ID [TARGET options as for add] [--target TARGET] [--no-window] [--enable | --disable]`,
  summary: 'change what is given of a schedule, nothing else',
  options: { ...SETTINGS_OPTIONS, target: { type: 'string' }, enable: { type: 'boolean' }, disable: { type: 'boolean' } },
  positionals: 1,
  async run(ctx) {
    const id = idOf(ctx.positionals[0]!);
    if (ctx.values.disabled) throw new UsageError('schedule edit takes --disable (or --enable)');
    if (ctx.values.enable && ctx.values.disable) throw new UsageError('--enable and --disable do not go together');
    const edit = settingsOf(ctx.values);
    if (ctx.values.target !== undefined) edit.target = ctx.values.target as string;
    if (ctx.values.enable) edit.enabled = true;
    if (ctx.values.disable) edit.enabled = false;
    if (Object.keys(edit).length === 0) throw new UsageError('nothing to change (see mpbackup schedule edit --help)');
    const schedule = await withEngine(ctx, (engine) => engine.editSchedule(id, edit));
    print(ctx, { schedule }, () => `schedule ${schedule.id}: ${describeSchedule(schedule)}; next run ${schedule.nextDueAt ?? 'never'}`);
    return EXIT_OK;
  },
};

const scheduleMove: Command = {
  name: 'schedule move',
  usage: 'schedule move ID --due DATE-TIME --to DATE-TIME [--series]',
  summary: 'move the run due at --due to --to; with --series every run moves to that time (and day)',
  options: { due: { type: 'string' }, to: { type: 'string' }, series: { type: 'boolean' } },
  positionals: 1,
  async run(ctx) {
    const id = idOf(ctx.positionals[0]!);
    const dueAt = ctx.values.due as string | undefined;
    const to = ctx.values.to as string | undefined;
    if (dueAt === undefined || to === undefined) throw new UsageError('say which run and where: --due DATE-TIME --to DATE-TIME (as schedule forecast shows them)');
    const schedule = await withEngine(ctx, (engine) => engine.moveScheduleRun({ id, dueAt, to, series: Boolean(ctx.values.series) }));
    const moves = schedule.moves.map((m) => `${m.dueAt} -> ${m.to}`).join(', ');
    print(ctx, { schedule }, () => `schedule ${schedule.id}: ${describeSchedule(schedule)}; next run ${schedule.nextDueAt ?? 'never'}${moves ? `; moved runs: ${moves}` : ''}`);
    return EXIT_OK;
  },
};

const scheduleRemove: Command = {
  name: 'schedule remove',
  usage: 'schedule remove ID',
  summary: 'remove a schedule (its recorded runs and jobs stay)',
  options: {},
  positionals: 1,
  async run(ctx) {
    const id = idOf(ctx.positionals[0]!);
    await withEngine(ctx, (engine) => engine.removeSchedule(id));
    print(ctx, { removed: id }, () => `schedule ${id} removed`);
    return EXIT_OK;
  },
};

function whenText(schedule: Schedule): string {
  const when = schedule.when;
  switch (when.kind) {
    case 'once':
      return `once ${when.at}`;
    case 'daily':
      return `daily ${when.time}`;
    case 'weekly':
      return `weekly ${when.days.join(',')}@${when.time}`;
    case 'monthly':
      return `monthly ${when.day}@${when.time}`;
    case 'cron':
      return `cron ${when.expression}`;
  }
}

const scheduleList: Command = {
  name: 'schedule list',
  usage: 'schedule list',
  summary: 'list the schedules with when each runs next',
  options: {},
  positionals: 0,
  async run(ctx) {
    const schedules = await withEngine(ctx, (engine) => engine.schedules());
    print(ctx, { schedules }, () =>
      schedules.length === 0
        ? 'no schedules'
        : table(
            ['ID', 'TARGET', 'MODE', 'STREAMS', 'WHEN', 'ZONE', 'WINDOW END', 'ENABLED', 'NEXT RUN'],
            schedules.map((s) => [String(s.id), s.target, s.mode, String(s.streams), whenText(s), s.timeZone, s.windowEnd ?? '', s.enabled ? 'yes' : 'no', s.nextDueAt ?? '']),
          ),
    );
    return EXIT_OK;
  },
};

const scheduleRuns: Command = {
  name: 'schedule runs',
  usage: 'schedule runs [--schedule ID] [--limit N]',
  summary: 'runs of schedules, newest first: started (with the job), missed or skipped (with the reason)',
  options: { schedule: { type: 'string' }, limit: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const limitText = (ctx.values.limit as string | undefined) ?? '50';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: a whole number of at least 1, not "${limitText}"`);
    const scheduleId = ctx.values.schedule === undefined ? undefined : idOf(ctx.values.schedule as string);
    const runs = await withEngine(ctx, (engine) => engine.scheduleRuns({ limit, ...(scheduleId ? { scheduleId } : {}) }));
    print(ctx, { runs }, () => describeRuns(runs));
    return EXIT_OK;
  },
};

function describeRuns(runs: ScheduleRun[]): string {
  if (runs.length === 0) return 'no runs yet';
  return table(
    ['SCHEDULE', 'DUE', 'STATE', 'JOB', 'REASON'],
    runs.map((r) => [String(r.scheduleId), r.manual ? `${r.dueAt} (run now)` : r.dueAt, r.state, r.jobId === null ? '' : String(r.jobId), r.reason ?? '']),
  );
}

function instantOption(ctx: Context, name: string, fallback: Date): Date {
  const text = ctx.values[name] as string | undefined;
  if (text === undefined) return fallback;
  try {
    return instantOf(text, machineTimeZone());
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

const scheduleForecast: Command = {
  name: 'schedule forecast',
  usage: 'schedule forecast [--from DATE-TIME] [--to DATE-TIME]',
  summary: 'planned runs (default: the next 7 days) with expected durations and stream or window conflicts',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const from = instantOption(ctx, 'from', new Date());
    const to = instantOption(ctx, 'to', new Date(from.getTime() + 7 * 86_400_000));
    const runs = await withEngine(ctx, (engine) => engine.forecast(from, to));
    print(ctx, { from: from.toISOString(), to: to.toISOString(), runs }, () => describeForecast(runs));
    return EXIT_OK;
  },
};

function describeForecast(runs: ForecastEntry[]): string {
  if (runs.length === 0) return 'no runs planned in that time';
  const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
  return table(
    ['DUE', 'SCHEDULE', 'TARGET', 'STREAMS', 'EXPECTED', 'ENDS', 'WINDOW END', 'CONFLICT'],
    runs.map((r) => [r.dueAt, String(r.scheduleId), r.target, `${r.streams}/${r.streamsAvailable}`, `${minutes(r.expectedDurationMs)} (${r.durationBasis})`, r.expectedEndAt, r.windowEndAt ?? '', r.reasons.join('; ')]),
  );
}

const scheduleRun: Command = {
  name: 'schedule run',
  usage: 'schedule run ID',
  summary: "run a schedule's backup now, to its end (exit 1 when it failed)",
  options: {},
  positionals: 1,
  async run(ctx) {
    const id = idOf(ctx.positionals[0]!);
    const result = await watched(ctx, (engine) => engine.runNow(id));
    print(ctx, { scheduleId: id, ...backupJson(result) }, () => describeBackup(result));
    return result.job.state === 'succeeded' || result.job.state === 'succeeded-degraded' ? EXIT_OK : EXIT_FAILED;
  },
};

function scheduleLine(event: ScheduleEvent): string {
  if (event.type === 'schedule-fired') return `schedule ${event.scheduleId}: started job ${event.jobId} (due ${event.dueAt})`;
  if (event.type === 'schedule-waiting') return `schedule ${event.scheduleId}: the run due ${event.dueAt} waits for streams: ${event.reason}`;
  return `schedule ${event.scheduleId}: the run due ${event.dueAt} was missed: ${event.reason}`;
}

const runScheduler: Command = {
  name: 'run-scheduler',
  usage: 'run-scheduler',
  summary: 'run the schedules in the foreground until SIGINT/SIGTERM, printing what starts, waits and is missed',
  options: {},
  positionals: 0,
  async run(ctx) {
    const engine = await Engine.open(ctx.site);
    try {
      const out = (json: unknown, text: string) => ctx.io.out(ctx.json ? JSON.stringify(json) : text);
      engine.onScheduleEvent((event) => out(event, scheduleLine(event)));
      engine.onJobEvent((event) => {
        if (event.type === 'job-finished') out(event, `job ${event.jobId}: ${event.state}${event.message ? `: ${event.message}` : ''}`);
      });
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      const scheduler = engine.startScheduler();
      const schedules = engine.schedules().filter((s) => s.enabled);
      if (!ctx.json) ctx.io.out(`running ${schedules.length} enabled schedules of ${engine.site.name}; stop with Ctrl-C`);
      const signal = await stopped;
      scheduler.stop();
      if (!ctx.json) ctx.io.out(`${signal}: stopped; waiting for the jobs it started to end`);
      await scheduler.settled();
      return EXIT_OK;
    } finally {
      engine.close();
    }
  },
};

export const SCHEDULE_COMMANDS: Command[] = [scheduleAdd, scheduleEdit, scheduleMove, scheduleRemove, scheduleList, scheduleRuns, scheduleForecast, scheduleRun, runScheduler];
