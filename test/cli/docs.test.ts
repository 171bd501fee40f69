// The command line reference (docs/command-line.md) lists every command with the usage and
// summary the program itself gives, so the two cannot drift apart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands';
import { ROOT } from '../helpers/child';

describe('docs/command-line.md', () => {
  it('has a row for every command, with its usage and summary', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/command-line.md'), 'utf8');
    for (const command of COMMANDS) expect(text, command.name).toContain(`| \`${command.usage.replaceAll('|', '\\|')}\` | ${command.summary} |`);
  });
});
