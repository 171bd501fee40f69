// Backup and job commands: `backup TARGET` runs a backup to its end (watching its streams as it
// goes), `jobs list` and `jobs show ID` read what the catalog recorded.
import { BackupMode, parseSize, type BackupResult, type Job, type JobEvent, type LogEvent } from '../engine/contract';
import { formatSize, type Engine } from '../engine';
import { faultsOf, print, streamCount, timeoutOf, withEngine, type Command, type Context } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { table } from './format';

/** Progress lines are printed at most this often (the engine sends up to ten a second). */
const PROGRESS_EVERY_MS = 2000;

export const backup: Command = {
  name: 'backup',
  usage: 'backup TARGET [--mode mirrored|failover] [--streams N] [--chunk-size SIZE] [--timeout MS] [--inject DEVICE:KIND@chunk=N]...',
  summary: 'back up a target (a volume such as X: or a path such as /pictures) over independent streams (exit 1 when it failed)',
  options: {
    mode: { type: 'string' },
    streams: { type: 'string' },
    'chunk-size': { type: 'string' },
    timeout: { type: 'string' },
    inject: { type: 'string', multiple: true },
  },
  positionals: 1,
  async run(ctx) {
    const modeText = (ctx.values.mode as string | undefined) ?? 'mirrored';
    const mode = BackupMode.safeParse(modeText);
    if (!mode.success) throw new UsageError(`--mode: "mirrored" or "failover", not "${modeText}"`);
    const chunkText = ctx.values['chunk-size'] as string | undefined;
    const chunkSize = chunkText === undefined ? undefined : parseSize(chunkText);
    if (chunkSize === null) throw new UsageError(`--chunk-size: "${chunkText}" is not a size (examples: 8MiB, 512KiB)`);
    const timeoutMs = timeoutOf(ctx.values);
    const faults = faultsOf(ctx.values);
    const request = {
      target: ctx.positionals[0]!,
      mode: mode.data,
      streams: streamCount(ctx.values),
      faults,
      ...(chunkSize !== undefined ? { chunkSize } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
    const result = await watched(ctx, (engine) => engine.backup(request));
    print(ctx, backupJson(result), () => describeBackup(result));
    return result.job.state === 'succeeded' || result.job.state === 'succeeded-degraded' ? EXIT_OK : EXIT_FAILED;
  },
};

/** Runs a job on the site's engine, printing live lines as it goes (not with --json). */
export function watched<T>(ctx: Context, run: (engine: Engine) => Promise<T>): Promise<T> {
  return withEngine(ctx, async (engine) => {
    const stop = ctx.json ? () => {} : engine.onJobEvent(watcher(ctx));
    try {
      return await run(engine);
    } finally {
      stop();
    }
  });
}

/** Live lines while a job runs: state changes, failures, failovers and some progress. */
function watcher(ctx: Context): (event: JobEvent) => void {
  let lastProgress = 0;
  return (event) => {
    if (event.type === 'job-state') ctx.io.out(`job ${event.jobId}: ${event.state}`);
    if (event.type === 'stream-failed') ctx.io.out(`job ${event.jobId}: stream ${event.stream} failed: ${event.cause}`);
    if (event.type === 'failover') ctx.io.out(`job ${event.jobId}: failover from stream ${event.from} to stream ${event.to} at chunk ${event.chunk}`);
    if (event.type === 'progress' && performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = performance.now();
      const parts = event.streams.map((s) => `stream ${s.stream} ${formatSize(s.bytes)} (${formatSize(s.throughput)}/s)`);
      ctx.io.out(`job ${event.jobId}: ${parts.join(', ')} of ${formatSize(event.size)}`);
    }
  };
}

export function backupJson(result: BackupResult) {
  const { job } = result;
  return {
    job: { id: job.id, status: job.state, target: job.target, mode: job.mode, message: job.message, startedAt: job.startedAt, endedAt: job.endedAt },
    backup: result.backup,
    streams: result.streams,
    fragments: result.fragments,
  };
}

export function describeBackup(result: BackupResult): string {
  const { job, backup: b } = result;
  const lines = [`job ${job.id}: backup of ${job.target} (${job.mode}) ${job.state}${job.message ? `: ${job.message}` : ''}`];
  if (b) lines.push(`backup ${b.id}: ${formatSize(b.size)}, ${b.files} entries, data time ${b.dataTime}, ${b.state}`);
  lines.push(
    '',
    table(
      ['STREAM', 'MOVER', 'LIBRARY', 'TAPES', 'SWITCHES', 'STATUS', 'WRITTEN', 'ERROR'],
      result.streams.map((s) => [String(s.stream), s.mover, s.library, s.tapes.join(' '), s.switches.join(' > '), s.status, formatSize(s.bytes), s.error ?? '']),
    ),
  );
  if (result.fragments.length > 0) {
    lines.push(
      '',
      table(
        ['COPY', 'STREAM', 'LIBRARY', 'TAPE', 'POSITION', 'OFFSET', 'SIZE', 'CHUNKS'],
        result.fragments.map((f) => [String(f.copy), String(f.stream), f.library, f.tape, String(f.position), String(f.offset), String(f.size), String(f.chunks)]),
      ),
    );
  }
  return lines.join('\n');
}

export const jobsList: Command = {
  name: 'jobs list',
  usage: 'jobs list [--limit N]',
  summary: 'list recent jobs, newest first',
  options: { limit: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const limitText = (ctx.values.limit as string | undefined) ?? '50';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: a whole number of at least 1, not "${limitText}"`);
    const jobs = await withEngine(ctx, (engine) => engine.jobs({ limit }));
    print(ctx, { jobs }, () => describeJobs(jobs));
    return EXIT_OK;
  },
};

function describeJobs(jobs: Job[]): string {
  if (jobs.length === 0) return 'no jobs yet';
  return table(
    ['JOB', 'KIND', 'TARGET', 'MODE', 'STATE', 'STARTED', 'ENDED', 'MESSAGE'],
    jobs.map((j) => [String(j.id), j.kind, j.target, j.mode ?? '', j.state, j.startedAt ?? '', j.endedAt ?? '', j.message ?? '']),
  );
}

export const jobsShow: Command = {
  name: 'jobs show',
  usage: 'jobs show ID',
  summary: "a job's streams, its backup's fragments (where every byte went) and its log",
  options: {},
  positionals: 1,
  async run(ctx) {
    const idText = ctx.positionals[0]!;
    const id = Number(idText);
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`a job id is a whole number, not "${idText}"`);
    const shown = await withEngine(ctx, (engine) => ({ result: engine.backupResult(id), log: engine.jobLog(id) }));
    print(ctx, { ...backupJson(shown.result), log: shown.log }, () => `${describeBackup(shown.result)}\n\n${describeLog(shown.log)}`);
    return EXIT_OK;
  },
};

function describeLog(log: LogEvent[]): string {
  return log.map((e) => `${e.at}  ${e.level.padEnd(7)}  ${e.message}`).join('\n');
}
