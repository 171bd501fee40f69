// The mpbackup command line as a process: bin/mpbackup runs it in a checkout (through tsx), and
// the installed app's `mpbackup` launcher runs its bundle (out/main/cli.js) with Electron's own
// Node (ELECTRON_RUN_AS_NODE=1), so the command line needs no Node of its own.
import { run } from './main';

process.exitCode = await run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
