// `mpbackup`: the command line of the backup manager. `run` is the whole program without the
// process around it, so tests call it in-process; bin/mpbackup wires it to the real process.
import { parseArgs } from 'node:util';
import { defaultSiteDir } from '../engine';
import type { Command, Io } from './command';
import { COMMANDS } from './commands';
import { describeError, EXIT_BAD_INPUT, EXIT_OK, exitCodeOf, UsageError } from './errors';

const GLOBAL_OPTIONS = {
  site: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  return [
    'usage: mpbackup COMMAND [--site DIR] [--json]',
    '',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    `--site DIR  the site directory (default: $MPBACKUP_SITE, else the desktop app's site: ${defaultSiteDir()})`,
    '--json      print one JSON document instead of text',
    'Exit codes: 0 ok, 1 the operation failed, 2 bad input.',
  ].join('\n');
}

function findCommand(args: string[]): { command: Command; rest: string[] } {
  const end = args.findIndex((a) => a.startsWith('-'));
  const words = args.slice(0, Math.min(end === -1 ? args.length : end, 2));
  // A command is one or two words (`backup`, `site show`); what follows are its arguments.
  for (const count of [2, 1].filter((n) => n <= words.length)) {
    const command = COMMANDS.find((c) => c.name === words.slice(0, count).join(' '));
    if (command) return { command, rest: args.slice(count) };
  }
  throw new UsageError(words.length > 0 ? `unknown command "${words.join(' ')}" (see mpbackup --help)` : 'no command given (see mpbackup --help)');
}

export async function run(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help' || args[0] === '-h') {
    io.out(usage());
    return args.length === 0 ? EXIT_BAD_INPUT : EXIT_OK;
  }
  try {
    const { command, rest } = findCommand(args);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: mpbackup ${command.usage})`);
    }
    if (parsed.values.help) {
      io.out(`usage: mpbackup ${command.usage}\n${command.summary}`);
      return EXIT_OK;
    }
    const [min, max] = typeof command.positionals === 'number' ? [command.positionals, command.positionals] : command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`usage: mpbackup ${command.usage}`);
    }
    const site = (parsed.values.site as string | undefined) ?? defaultSiteDir(env);
    return await command.run({
      site,
      json: Boolean(parsed.values.json),
      io,
      positionals: parsed.positionals,
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      env,
    });
  } catch (error) {
    io.err(`mpbackup: ${describeError(error)}`);
    return exitCodeOf(error);
  }
}
