// Restore and verify commands: `restore BACKUP --to DIR` brings a backup (or paths inside it)
// back from whichever tapes and copies hold it; `--plan` only shows which tapes would be read;
// `verify BACKUP` reads every chunk of every copy.
import path from 'node:path';
import { formatSize } from '../engine';
import { ConflictPolicy, type RestorePlan, type RestoreResult, type VerifyResult } from '../engine/contract';
import { faultsOf, print, timeoutOf, withEngine, type Command } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { table } from './format';
import { watched } from './jobs';

/** Entries not restored listed by name in text output; --json lists them all. */
const SHOWN_ERRORS = 20;

function backupId(text: string): number {
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || id <= 0) throw new UsageError(`BACKUP: a backup id (a positive whole number, see "catalog list"), not "${text}"`);
  return id;
}

export const restore: Command = {
  name: 'restore',
  usage: 'restore BACKUP --to DIR [--path P]... [--on-conflict rename|skip|overwrite] [--plan] [--timeout MS] [--inject DEVICE:KIND@chunk=N]...',
  summary: 'restore a backup, or files and folders in it, into DIR (exit 1 when some entry was not restored)',
  options: {
    to: { type: 'string' },
    path: { type: 'string', multiple: true },
    'on-conflict': { type: 'string' },
    plan: { type: 'boolean' },
    timeout: { type: 'string' },
    inject: { type: 'string', multiple: true },
  },
  positionals: 1,
  async run(ctx) {
    const to = ctx.values.to as string | undefined;
    if (!to) throw new UsageError('--to DIR: where to restore is required');
    const policyText = (ctx.values['on-conflict'] as string | undefined) ?? 'rename';
    const policy = ConflictPolicy.safeParse(policyText);
    if (!policy.success) throw new UsageError(`--on-conflict: rename, skip or overwrite, not "${policyText}"`);
    const timeoutMs = timeoutOf(ctx.values);
    const request = {
      backupId: backupId(ctx.positionals[0]!),
      destination: path.resolve(to),
      paths: (ctx.values.path as string[] | undefined) ?? [],
      onConflict: policy.data,
      faults: faultsOf(ctx.values),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
    if (ctx.values.plan) {
      const plan = await withEngine(ctx, (engine) => engine.restorePlan(request));
      print(ctx, plan, () => describePlan(plan));
      return plan.unreadable.length === 0 ? EXIT_OK : EXIT_FAILED;
    }
    const result = await watched(ctx, (engine) => engine.restore(request));
    print(ctx, restoreJson(result), () => describeRestore(result));
    return result.files.failed === 0 && result.job.state !== 'failed' ? EXIT_OK : EXIT_FAILED;
  },
};

export const verify: Command = {
  name: 'verify',
  usage: 'verify BACKUP [--timeout MS]',
  summary: 'read every chunk of every copy of a backup and check its checksums (exit 1 when a copy is not ok)',
  options: { timeout: { type: 'string' } },
  positionals: 1,
  async run(ctx) {
    const timeoutMs = timeoutOf(ctx.values);
    const result = await withEngine(ctx, (engine) => engine.verify({ backupId: backupId(ctx.positionals[0]!), ...(timeoutMs !== undefined ? { timeoutMs } : {}) }));
    print(ctx, result, () => describeVerify(result));
    return result.job.state === 'succeeded' ? EXIT_OK : EXIT_FAILED;
  },
};

function restoreJson(result: RestoreResult) {
  return {
    restore: { id: result.job.id, status: result.job.state },
    destination: result.destination,
    files: result.files,
    errors: result.errors,
    renamed: result.renamed,
    tapes: result.tapes,
    chunksRead: result.chunksRead,
    message: result.job.message,
  };
}

function describePlan(plan: RestorePlan): string {
  const bytes = plan.chunks.reduce((sum, c) => sum + c.length, 0);
  const lines = [
    `backup ${plan.backupId} of ${plan.target}, data time ${plan.dataTime}: ${plan.entries} entries, ${formatSize(plan.bytes)} of files`,
    `reads ${plan.chunks.length} chunks (${formatSize(bytes)}) from ${plan.tapes.length} tapes; libraries are read in parallel:`,
    table(
      ['library', 'tape', 'copy', 'chunks', 'bytes'],
      plan.tapes.map((t) => [t.library, t.tape, String(t.copy), String(t.chunks), formatSize(t.bytes)]),
    ),
  ];
  if (plan.unreadable.length > 0) lines.push('', `cannot be restored (${plan.unreadable.length}):`, ...plan.unreadable.slice(0, SHOWN_ERRORS).map((u) => `  ${u.path}: ${u.reason}`));
  return lines.join('\n');
}

function describeRestore(result: RestoreResult): string {
  const { files } = result;
  const lines = [
    `restore job ${result.job.id} ${result.job.state}: ${files.restored} restored, ${files.skipped} skipped, ${files.failed} failed, into ${result.destination}`,
    `tapes read: ${result.tapes.join(', ') || 'none'} (${result.chunksRead} chunks)`,
  ];
  for (const r of result.renamed.slice(0, SHOWN_ERRORS)) lines.push(`  ${r.path} -> ${r.to} (a file of that name was there)`);
  const errors = result.errors.filter((e) => e.reason !== 'exists');
  for (const e of errors.slice(0, SHOWN_ERRORS)) lines.push(`  not restored: ${e.path}: ${e.reason}`);
  if (errors.length > SHOWN_ERRORS) lines.push(`  and ${errors.length - SHOWN_ERRORS} more (see "jobs show ${result.job.id}" or --json)`);
  if (result.job.state === 'failed' && result.job.message) lines.push(result.job.message);
  return lines.join('\n');
}

function describeVerify(result: VerifyResult): string {
  return [
    `verify job ${result.job.id} of backup ${result.backupId}: ${result.job.state}`,
    table(
      ['copy', 'status', 'chunks', 'bytes', 'problems'],
      result.copies.map((c) => [String(c.copy), c.status, String(c.chunks), formatSize(c.bytes), c.problems.slice(0, 3).join('; ')]),
    ),
  ].join('\n');
}
