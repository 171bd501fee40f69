// Browsing the catalog from the command line (SPEC "Restore", 2000-2010): `catalog list` (the
// targets, or the backups of one), `catalog show BACKUP` (a backup and where every byte of it
// went), `catalog ls BACKUP [PATH]` (one directory, a page at a time) and `catalog find` (by
// name, in one backup or across a target). Read-only.
import { formatSize } from '../engine';
import type { BackupDetail, BackupSummary, DirectoryEntry, DirectoryListing, SearchHit, TargetSummary } from '../engine/contract';
import { print, withEngine, type Command, type Context } from './command';
import { EXIT_OK, UsageError } from './errors';
import { table } from './format';

/** A backup id as typed: a positive whole number. */
function backupIdOf(text: string): number {
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || id <= 0) throw new UsageError(`BACKUP: a backup id (a positive whole number, see "catalog list --target T"), not "${text}"`);
  return id;
}

/** `--NAME N` when given: a whole number of at least `min`. */
function countOption(values: Context['values'], name: string, min: number): number | undefined {
  const text = values[name] as string | undefined;
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d{1,15}$/.test(text) || value < min) throw new UsageError(`--${name}: a whole number of at least ${min}, not "${text}"`);
  return value;
}

export const catalogList: Command = {
  name: 'catalog list',
  usage: 'catalog list [--target T [--limit N] [--before BACKUP]]',
  summary: 'the targets that have backups, or the backups of one target, newest first',
  options: { target: { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const target = ctx.values.target as string | undefined;
    const limit = countOption(ctx.values, 'limit', 1);
    const beforeText = ctx.values.before as string | undefined;
    if (target === undefined) {
      if (limit !== undefined || beforeText !== undefined) throw new UsageError('--limit and --before go with --target');
      const targets = await withEngine(ctx, (engine) => engine.catalogTargets());
      print(ctx, { targets }, () => describeTargets(targets));
      return EXIT_OK;
    }
    const options = { ...(limit !== undefined ? { limit } : {}), ...(beforeText !== undefined ? { before: backupIdOf(beforeText) } : {}) };
    const backups = await withEngine(ctx, (engine) => engine.catalogBackups(target, options));
    print(ctx, { target, backups }, () => describeBackups(target, backups));
    return EXIT_OK;
  },
};

function describeTargets(targets: TargetSummary[]): string {
  if (targets.length === 0) return 'no backups in the catalog yet';
  return table(
    ['TARGET', 'BACKUPS', 'COMPLETE', 'NEWEST COMPLETE DATA TIME'],
    targets.map((t) => [t.target, String(t.backups), String(t.completeBackups), t.newestDataTime ?? '-']),
  );
}

function copiesText(b: BackupSummary): string {
  return `${b.completeCopies}/${b.copies.length}`;
}

function describeBackups(target: string, backups: BackupSummary[]): string {
  if (backups.length === 0) return `no backups of ${target}`;
  return table(
    ['BACKUP', 'DATA TIME', 'MODE', 'STATE', 'OUTCOME', 'SIZE', 'COPIES', 'TAPES', 'RESTORABLE'],
    backups.map((b) => [String(b.id), b.dataTime, b.mode, b.state, b.outcome, formatSize(b.size), copiesText(b), b.tapes.join(' '), b.restorable ? 'yes' : 'no']),
  );
}

export const catalogShow: Command = {
  name: 'catalog show',
  usage: 'catalog show BACKUP',
  summary: 'a backup: its outcome, copies and tapes, and its fragments per copy (where every byte went)',
  options: {},
  positionals: 1,
  async run(ctx) {
    const id = backupIdOf(ctx.positionals[0]!);
    const backup = await withEngine(ctx, (engine) => engine.catalogBackup(id));
    print(ctx, backup, () => describeBackup(backup));
    return EXIT_OK;
  },
};

function describeBackup(b: BackupDetail): string {
  const lines = [
    `backup ${b.id} of ${b.target} (${b.mode}, ${b.sourceKind}): ${b.state}, job ${b.jobId} ${b.outcome}${b.restorable ? '' : ', not restorable'}`,
    `data time ${b.dataTime}, started ${b.startedAt}, ended ${b.endedAt ?? '-'}`,
    `${formatSize(b.size)} in chunks of ${formatSize(b.chunkSize)}, ${b.files} entries, ${b.completeCopies} of ${b.copies.length} copies complete`,
    `tapes: ${b.tapes.join(' ') || 'none'}`,
  ];
  for (const copy of b.copies) {
    const fragments = b.fragments.filter((f) => f.copy === copy.copy);
    lines.push('', `copy ${copy.copy}: ${copy.state}, ${plural(fragments.length, 'fragment', 'fragments')}`);
    if (fragments.length > 0) {
      lines.push(
        table(
          ['LIBRARY', 'TAPE', 'POSITION', 'OFFSET', 'SIZE', 'CHUNKS', 'STREAM'],
          fragments.map((f) => [f.library, f.tape, String(f.position), String(f.offset), String(f.size), String(f.chunks), String(f.stream)]),
        ),
      );
    }
  }
  return lines.join('\n');
}

export const catalogLs: Command = {
  name: 'catalog ls',
  usage: 'catalog ls BACKUP [PATH] [--offset N] [--limit N]',
  summary: 'one directory of a backup (its root without PATH), by name, a page at a time (default 1000 entries)',
  options: { offset: { type: 'string' }, limit: { type: 'string' } },
  positionals: [1, 2],
  async run(ctx) {
    const id = backupIdOf(ctx.positionals[0]!);
    const dir = ctx.positionals[1] ?? '';
    const offset = countOption(ctx.values, 'offset', 0);
    const limit = countOption(ctx.values, 'limit', 1);
    const options = { ...(offset !== undefined ? { offset } : {}), ...(limit !== undefined ? { limit } : {}) };
    const listing = await withEngine(ctx, (engine) => engine.catalogList(id, dir, options));
    print(ctx, listing, () => describeListing(listing));
    return EXIT_OK;
  },
};

/** `drwxr-xr-x` from a type and permission bits. */
export function modeText(type: DirectoryEntry['type'], mode: number): string {
  const kind = type === 'directory' ? 'd' : type === 'symlink' ? 'l' : '-';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => (mode & (0o400 >> i) ? c : '-'));
  return kind + bits.join('');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function timeText(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entryName(e: DirectoryEntry): string {
  if (e.type === 'directory') return `${e.name}/`;
  if (e.type === 'symlink') return `${e.name} -> ${e.linkTarget ?? ''}`;
  return e.name;
}

function describeListing(listing: DirectoryListing): string {
  const where = `backup ${listing.backupId}: /${listing.path}`;
  if (listing.total === 0) return `${where} is empty`;
  const first = listing.offset + 1;
  const last = listing.offset + listing.entries.length;
  const head = listing.entries.length === listing.total ? `${where}  (${plural(listing.total, 'entry', 'entries')})` : `${where}  (entries ${first}-${last} of ${listing.total})`;
  const rows = listing.entries.map((e) => [
    modeText(e.type, e.mode),
    e.type === 'directory' ? plural(e.children ?? 0, 'entry', 'entries') : formatSize(e.size),
    timeText(e.mtimeMs),
    e.status === 'ok' ? '' : e.status,
    entryName(e),
  ]);
  const lines = [head, table(['MODE', 'SIZE', 'MODIFIED', 'STATUS', 'NAME'], rows)];
  if (last < listing.total) lines.push(`more: --offset ${last}`);
  return lines.join('\n');
}

const FIND_USAGE = 'catalog find BACKUP NAME | catalog find --target T NAME [--limit N]';

export const catalogFind: Command = {
  name: 'catalog find',
  usage: FIND_USAGE,
  summary: 'entries whose name holds NAME (any case), in one backup or in every complete backup of a target',
  options: { target: { type: 'string' }, limit: { type: 'string' } },
  positionals: [1, 2],
  async run(ctx) {
    const target = ctx.values.target as string | undefined;
    const limit = countOption(ctx.values, 'limit', 1);
    const count = target === undefined ? 2 : 1;
    if (ctx.positionals.length !== count) throw new UsageError(`usage: mpbackup ${FIND_USAGE}`);
    const name = ctx.positionals[count - 1]!;
    const request = {
      ...(target === undefined ? { backupId: backupIdOf(ctx.positionals[0]!) } : { target }),
      name,
      ...(limit !== undefined ? { limit } : {}),
    };
    const hits = await withEngine(ctx, (engine) => engine.catalogFind(request));
    print(ctx, { hits }, () => describeHits(name, hits));
    return EXIT_OK;
  },
};

function describeHits(name: string, hits: SearchHit[]): string {
  if (hits.length === 0) return `no entry named like "${name}"`;
  return table(
    ['BACKUP', 'DATA TIME', 'TYPE', 'SIZE', 'PATH'],
    hits.map((h) => [String(h.backupId), h.dataTime, h.type, h.type === 'file' ? formatSize(h.size) : '', h.path]),
  );
}

export const CATALOG_COMMANDS: Command[] = [catalogList, catalogShow, catalogLs, catalogFind];
