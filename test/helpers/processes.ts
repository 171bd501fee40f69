// Processes as /proc shows them (Linux): the children of a process (a manager's mover processes),
// whether a process still runs, and waiting for processes to be gone, so a crash test kills
// exactly the processes it means to, by pid, and reopens a site only once nothing of the killed
// manager can write to it any more.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
}

function stat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ')'.
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(ppid), state: state! };
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Whether a process runs (a zombie, dead but not yet reaped, does not). */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** The running children of `pid` whose command line matches `pattern` (all of them without one). */
export function childrenOf(pid: number, pattern?: RegExp): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid !== pid || s.state === 'Z') continue;
    if (pattern && !pattern.test(commandLine(s.pid))) continue;
    out.push(s.pid);
  }
  return out.sort((a, b) => a - b);
}

/** The mover processes a manager process started. */
export function moversOf(pid: number): number[] {
  return childrenOf(pid, /movers[/\\](process\.ts|mover\.js)|mover\.js/);
}

/** Resolves once none of `pids` runs; rejects after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(isRunning);
    if (left.length === 0) return;
    if (Date.now() > end) throw new Error(`processes ${left.join(', ')} still run ${timeoutMs} ms after their manager died`);
    await sleep(10);
  }
}

/** Sends SIGKILL to `pid`; false when it had already exited. */
export function kill(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
