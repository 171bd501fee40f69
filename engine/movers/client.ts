// The manager's side of a mover: starts the mover process, sends it commands one at a time and
// waits for its answers with a timeout. A mover that crashes, answers nonsense or stays silent
// past the timeout is fenced: its process is killed, so it can never write again.
import { fork, type ChildProcess } from 'node:child_process';
import type { LiveFault } from '../contract';
import { FromMover, type FailureCode, type InitMessage, type StoredMessage, type ToMover } from './protocol';

/** What a mover reports while it reads a backup back. */
export type ReadReport = Extract<FromMover, { type: 'chunk-read' | 'read-failed' | 'entries' | 'fragment-bad' }>;
import { moverLaunch, type MoverLaunch } from './launch';

/** How a command ended. */
export type CommandResult =
  | { ok: true }
  | { ok: false; code: FailureCode | 'timeout' | 'crashed'; device: string | null; chunk: number | null; message: string };

type Failure = Extract<CommandResult, { ok: false }>;

interface Waiter {
  /** Handles a message; returns a result when the command has ended. */
  onMessage(message: FromMover): CommandResult | null;
  resolve(result: CommandResult): void;
  timeoutMs: number;
  timer: NodeJS.Timeout | null;
}

/** A mover process needs a moment to start (it loads TypeScript in a checkout). */
const START_TIMEOUT_MS = 20_000;
const STDERR_TAIL = 2000;

export class MoverClient {
  private waiter: Waiter | null = null;
  private exited: Promise<void>;
  private stderr = '';
  private seq = 0;
  private dead = false;

  private constructor(
    private name: string,
    private readonly child: ChildProcess,
    private timeoutMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.dead = true;
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
        this.finish({ ok: false, code: 'crashed', device: this.id, chunk: null, message: `${this.id} ${how}${tail ? `: ${tail}` : ''}` });
        resolve();
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => (this.stderr = (this.stderr + text).slice(-STDERR_TAIL)));
    child.on('message', (raw) => {
      const parsed = FromMover.safeParse(raw);
      if (!parsed.success) {
        this.finish({ ok: false, code: 'crashed', device: this.id, chunk: null, message: `${this.id} sent a message that makes no sense` });
        this.fence();
        return;
      }
      const waiter = this.waiter;
      if (!waiter) return;
      this.arm(waiter);
      const result = waiter.onMessage(parsed.data);
      if (result) this.finish(result);
    });
    child.on('error', () => {}); // a send to a dead process; 'exit' reports it
  }

  /**
   * Starts the process of a mover and waits until it is up. The process can start while the
   * target is being prepared; it gets its work with `init`.
   */
  static async spawn(id: string, timeoutMs: number, launch: MoverLaunch = moverLaunch()): Promise<{ client: MoverClient; result: CommandResult }> {
    const child = fork(launch.script, [], { execArgv: launch.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const client = new MoverClient(id, child, timeoutMs);
    const result = await client.expect(Math.max(timeoutMs, START_TIMEOUT_MS), (m) => (m.type === 'hello' ? { ok: true } : null));
    if (!result.ok) await client.fence();
    return { client, result };
  }

  /** Hands the mover its work: one stream of one job. */
  init(init: Omit<InitMessage, 'type'>): Promise<CommandResult> {
    return this.command({ type: 'init', ...init }, this.timeoutMs, (m) => (m.type === 'ready' ? { ok: true } : failure(m, this.id)));
  }

  /** Spawn and init in one step. */
  static async start(init: Omit<InitMessage, 'type'>, timeoutMs: number): Promise<{ client: MoverClient; result: CommandResult }> {
    const spawned = await MoverClient.spawn(init.mover.id, timeoutMs);
    if (!spawned.result.ok) return spawned;
    const result = await spawned.client.init(init);
    if (!result.ok) await spawned.client.fence();
    return { client: spawned.client, result };
  }

  /** The device this process is (a process started ahead of need gets its device here). */
  get id(): string {
    return this.name;
  }

  /** Makes a started process the given device's mover, with that job's answer timeout. */
  bind(id: string, timeoutMs: number): void {
    this.name = id;
    this.timeoutMs = timeoutMs;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Mounts a tape; `extraMs` covers the library's load and positioning time. */
  load(tape: string, extraMs: number): Promise<CommandResult> {
    const seq = ++this.seq;
    return this.command({ type: 'load', seq, tape }, this.timeoutMs + extraMs, (m) => (m.type === 'loaded' ? { ok: true } : failure(m, this.id)));
  }

  /**
   * Writes chunks [first, first + count) at a tape position; every chunk made durable is passed to
   * `onStored` as it comes. The timeout applies to each answer, not to the whole command.
   */
  write(command: { tape: string; position: number; first: number; count: number; extraMs?: number }, onStored: (message: StoredMessage) => void): Promise<CommandResult> {
    const seq = ++this.seq;
    const { extraMs = 0, ...where } = command;
    return this.command({ type: 'write', seq, ...where }, this.timeoutMs + extraMs, (m) => {
      if (m.type === 'stored' && m.seq === seq) {
        onStored(m);
        return null;
      }
      return m.type === 'done' && m.seq === seq ? { ok: true } : failure(m, this.id);
    });
  }

  /**
   * Reads a backup back as planned in `workFile` (restore or verify); every report is passed to
   * `onReport` as it comes. The timeout applies to each answer; `extraMs` covers tape loads.
   */
  read(workFile: string, extraMs: number, onReport: (report: ReadReport) => void): Promise<CommandResult> {
    const seq = ++this.seq;
    return this.command({ type: 'read', seq, workFile }, this.timeoutMs + extraMs, (m) => {
      if ((m.type === 'chunk-read' || m.type === 'read-failed' || m.type === 'entries' || m.type === 'fragment-bad') && m.seq === seq) {
        onReport(m);
        return null;
      }
      return m.type === 'done' && m.seq === seq ? { ok: true } : failure(m, this.id);
    });
  }

  /** Kills the mover at once (SIGKILL): it can never write again. Resolves when it is gone. */
  async fence(): Promise<void> {
    if (!this.dead) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A fault the operator injects now (demo sites): the mover fires it at its next chunk. */
  injectFault(fault: LiveFault): void {
    this.send({ type: 'fault', fault });
  }

  /** Asks the mover to unmount its tape and exit; fences it if it does not within the timeout. */
  async stop(): Promise<void> {
    if (this.dead) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  private command(message: ToMover, timeoutMs: number, onMessage: Waiter['onMessage']): Promise<CommandResult> {
    const answer = this.expect(timeoutMs, onMessage);
    this.send(message);
    return answer;
  }

  /** Waits for the messages that end a command (or the start-up), with the answer timeout. */
  private expect(timeoutMs: number, onMessage: Waiter['onMessage']): Promise<CommandResult> {
    if (this.dead) return Promise.resolve({ ok: false, code: 'crashed', device: this.id, chunk: null, message: `${this.id} is not running` });
    if (this.waiter) throw new Error(`${this.id} is already running a command`);
    return new Promise((resolve) => {
      const waiter: Waiter = { onMessage, resolve, timeoutMs, timer: null };
      this.waiter = waiter;
      this.arm(waiter);
    });
  }

  /** (Re)starts the answer timer: a mover silent for the whole timeout is fenced. */
  private arm(waiter: Waiter): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.timer = setTimeout(() => {
      this.finish({ ok: false, code: 'timeout', device: this.id, chunk: null, message: `${this.id} did not answer within ${waiter.timeoutMs} ms` });
      void this.fence();
    }, waiter.timeoutMs);
  }

  private finish(result: CommandResult): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.resolve(result);
  }

  private send(message: ToMover): void {
    if (this.dead || !this.child.connected) return;
    this.child.send(message);
  }
}

function failure(message: FromMover, id: string): Failure | null {
  if (message.type !== 'failed') return null;
  return { ok: false, code: message.code, device: message.device ?? id, chunk: message.chunk, message: message.message };
}
