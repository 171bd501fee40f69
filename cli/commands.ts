// The commands of `mpbackup`: each names its options, checks its input, and prints text for
// people or, with --json, one JSON document for scripts.
import path from 'node:path';
import { MoverKind, type SiteView, type StreamPlan, type StreamRequestInput } from '../engine/contract';
import { DEMO_DEFAULT_SIZE, DEMO_MIN_SIZE, formatSize, initSite, parseSize } from '../engine';
import { print, streamCount, withEngine, type Command, type Context } from './command';
import { CATALOG_COMMANDS } from './catalog';
import { backup, jobsList, jobsShow } from './jobs';
import { restore, verify } from './restore';
import { catalogRebuild } from './rebuild';
import { SCHEDULE_COMMANDS } from './schedule';
import { serve } from './serve';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { table } from './format';

const siteInit: Command = {
  name: 'site init',
  usage: 'site init [--demo] [--demo-size SIZE] [--name NAME]',
  summary: 'create a site directory (the demo site with sample data and a schedule, or an empty site)',
  options: { demo: { type: 'boolean' }, 'demo-size': { type: 'string' }, name: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const sizeText = ctx.values['demo-size'] as string | undefined;
    let demoSize = DEMO_DEFAULT_SIZE;
    if (sizeText !== undefined) {
      if (!ctx.values.demo) throw new UsageError('--demo-size goes with --demo');
      const parsed = parseSize(sizeText);
      if (parsed === null) throw new UsageError(`--demo-size: "${sizeText}" is not a size (examples: 64MiB, 512KiB, 1GiB)`);
      if (parsed < DEMO_MIN_SIZE) throw new UsageError(`--demo-size: at least ${formatSize(DEMO_MIN_SIZE)}`);
      demoSize = parsed;
    }
    const name = ctx.values.name as string | undefined;
    await initSite(ctx.site, { demo: Boolean(ctx.values.demo), demoSize, ...(name ? { name } : {}) });
    const dir = path.resolve(ctx.site);
    print(ctx, { site: dir, demo: Boolean(ctx.values.demo) }, () =>
      ctx.values.demo ? `created the demo site in ${dir} (${formatSize(demoSize)} of sample data)` : `created an empty site in ${dir}; describe its devices in site.json`,
    );
    return EXIT_OK;
  },
};

const siteShow: Command = {
  name: 'site show',
  usage: 'site show',
  summary: 'list the devices with their states and holders, the links and the backup targets',
  options: {},
  positionals: 0,
  async run(ctx) {
    const view = await withEngine(ctx, (engine) => engine.describe());
    print(ctx, view, () => describeSite(view));
    return EXIT_OK;
  },
};

function holderText(holder: { jobId: number; stream: number } | null): string {
  return holder ? `job ${holder.jobId} stream ${holder.stream}` : '';
}

function describeSite(view: SiteView): string {
  const devices = table(
    ['DEVICE', 'KIND', 'NAME', 'STATE', 'HOLDER'],
    view.devices.map((d) => [d.id, d.kind, d.name, d.state, holderText(d.holder)]),
  );
  const tapes = view.devices
    .filter((d) => d.tapes && d.tapes.length > 0)
    .map((d) =>
      table(
        [`TAPE (${d.id})`, 'STATE', 'USED', 'CAPACITY', 'HOLDER'],
        d.tapes!.map((t) => [t.id, t.full ? `${t.state}, full` : t.state, formatSize(t.usedBytes), formatSize(t.capacity), holderText(t.holder)]),
      ),
    );
  const targets = view.targets.map((t) => `${t.name} (${t.kind} on ${t.storage})`).join(', ') || 'none';
  return [
    `${view.name}  ${view.dir}`,
    '',
    devices,
    ...tapes.flatMap((t) => ['', t]),
    '',
    `links: ${view.links.length}   zones: ${view.zones.length}`,
    `targets: ${targets}`,
  ].join('\n');
}

const deviceSetState: Command = {
  name: 'device set-state',
  usage: 'device set-state ID available|unavailable',
  summary: 'mark a device or tape available or unavailable',
  options: {},
  positionals: 2,
  async run(ctx) {
    const [id, state] = ctx.positionals as [string, string];
    if (state !== 'available' && state !== 'unavailable') {
      throw new UsageError(`state must be "available" or "unavailable", not "${state}"`);
    }
    const status = await withEngine(ctx, (engine) => {
      if (!engine.site.has(id)) throw new UsageError(`no device or tape "${id}" in this site`);
      return engine.setState(id, state);
    });
    print(ctx, status, () => `${id} is ${status.state}`);
    return EXIT_OK;
  },
};

const streamsPlan: Command = {
  name: 'streams plan',
  usage: 'streams plan [--streams N] [--mover backup-server|copy-device] [--storage ID] [--pin STREAM=ID]... [--exclude ID]...',
  summary: 'show the independent streams a backup would reserve now (exit 1 when fewer than N exist)',
  options: {
    streams: { type: 'string' },
    mover: { type: 'string' },
    storage: { type: 'string' },
    pin: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
  },
  positionals: 0,
  async run(ctx) {
    const request = streamRequest(ctx.values);
    const plan = await withEngine(ctx, (engine) => {
      const ids = [...request.exclude!, ...request.constraints!.flatMap((c) => c.pin ?? []), ...(request.storage ? [request.storage] : [])];
      const unknown = ids.filter((id) => !engine.site.has(id));
      if (unknown.length > 0) throw new UsageError(`no device or tape ${unknown.map((u) => `"${u}"`).join(', ')} in this site`);
      return engine.plan(request);
    });
    const json = { feasible: plan.feasible, streams: plan.streams, reason: plan.reason };
    print(ctx, json, () => describePlan(plan, request));
    return plan.feasible ? EXIT_OK : EXIT_FAILED;
  },
};

function streamRequest(values: Context['values']): StreamRequestInput {
  const streams = streamCount(values);
  const moverText = (values.mover as string | undefined) ?? 'backup-server';
  const mover = MoverKind.safeParse(moverText);
  if (!mover.success) throw new UsageError(`--mover: "backup-server" or "copy-device", not "${moverText}"`);
  const constraints: { pin: string[]; exclude: string[] }[] = Array.from({ length: streams }, () => ({ pin: [], exclude: [] }));
  for (const text of (values.pin as string[] | undefined) ?? []) {
    const m = /^(\d+)=(.+)$/.exec(text);
    const stream = m ? Number(m[1]) : NaN;
    if (!m || stream >= streams) throw new UsageError(`--pin: expected STREAM=ID with STREAM from 0 to ${streams - 1}, not "${text}"`);
    constraints[stream]!.pin.push(m[2]!);
  }
  const storage = values.storage as string | undefined;
  return {
    streams,
    mover: mover.data,
    constraints,
    exclude: (values.exclude as string[] | undefined) ?? [],
    ...(storage ? { storage } : {}),
  };
}

function describePlan(plan: StreamPlan, request: StreamRequestInput): string {
  const rows = plan.streams.map((s) => [String(s.stream), s.mover, s.library, s.tape, s.switches.join(' > ') || '(direct)']);
  const head = plan.feasible
    ? `${plan.streams.length} independent streams with ${request.mover}s:`
    : `not possible: ${plan.reason}`;
  return rows.length > 0 ? `${head}\n${table(['STREAM', 'MOVER', 'LIBRARY', 'TAPE', 'SWITCHES'], rows)}` : head;
}

export const COMMANDS: Command[] = [siteInit, siteShow, deviceSetState, streamsPlan, backup, jobsList, jobsShow, restore, verify, catalogRebuild, ...CATALOG_COMMANDS, ...SCHEDULE_COMMANDS, serve];

