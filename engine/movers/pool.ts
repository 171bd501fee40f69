// Mover processes started ahead of need. A long-running manager (the desktop app) keeps a few
// idle mover processes up, so a job's streams do not wait for processes to start: a job takes
// one per stream and binds it to its device, and when it is over the pool starts replacements
// (not during the job, where starting processes would take CPU from its data). A job that has
// done its work leaves its process to exit on its own (`retire`).
// An idle process holds no device and no tape; it exits when the manager goes away.
import { MoverClient, type CommandResult } from './client';

const IDLE = '(idle mover)';

export class MoverPool {
  private readonly idle: Array<Promise<{ client: MoverClient; result: CommandResult }>> = [];
  private readonly retiring = new Set<MoverClient>();
  private closed = false;
  private filling = false;
  private size = 0;

  /** Keeps `size` idle processes from now on (0: every mover process starts when a job needs it). */
  keep(size: number): void {
    this.size = size;
    this.start();
  }

  /** A started mover process bound to device `id`, from the pool when it has one. */
  async take(id: string, timeoutMs: number): Promise<{ client: MoverClient; result: CommandResult }> {
    const ready = this.idle.shift();
    if (ready) {
      const taken = await ready;
      if (taken.result.ok && taken.client.alive) {
        taken.client.bind(id, timeoutMs);
        return taken;
      }
    }
    return MoverClient.spawn(id, timeoutMs);
  }

  /** Lets a mover whose job is over exit in its own time (fenced if it will not); nobody waits for it. */
  retire(client: MoverClient): void {
    this.retiring.add(client);
    void client.stop().finally(() => this.retiring.delete(client));
  }

  /** Kills the idle and retiring processes; processes still taken belong to their jobs. */
  close(): void {
    this.closed = true;
    for (const ready of this.idle.splice(0)) void ready.then(({ client }) => client.fence());
    for (const client of this.retiring) void client.fence();
  }

  /**
   * Starts processes until `size` are idle again, just after the caller is done: starting a
   * process holds this thread for milliseconds, which a job that is ending need not wait for.
   */
  fill(): void {
    if (this.filling) return;
    this.filling = true;
    setImmediate(() => {
      this.filling = false;
      this.start();
    });
  }

  private start(): void {
    while (!this.closed && this.idle.length < this.size) this.idle.push(MoverClient.spawn(IDLE, 0));
  }
}
