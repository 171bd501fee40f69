// Runs the mpbackup command line in-process and collects what it prints.
import { run } from '../../cli/main';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `mpbackup ...args` through cli/main's run(), with an empty environment. */
export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}
