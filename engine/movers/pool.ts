// Mover processes started ahead of need. A long-running manager (the desktop app) keeps a few
// idle mover processes up, so a job's streams do not wait for processes to start: a job takes
// one per stream and binds it to its device, and when it is over the pool starts replacements
// (not during the job, where starting processes would take CPU from its data).
// An idle process holds no device and no tape; it exits when the manager goes away.
import { MoverClient, type CommandResult } from './client';

const IDLE = '(idle mover)';

export class MoverPool {
  private readonly idle: Array<Promise<{ client: MoverClient; result: CommandResult }>> = [];
  private closed = false;
  private size = 0;

  /** Keeps `size` idle processes from now on (0: every mover process starts when a job needs it). */
  keep(size: number): void {
    this.size = size;
    this.fill();
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

  /** Kills the idle processes; processes already taken belong to their jobs. */
  close(): void {
    this.closed = true;
    for (const ready of this.idle.splice(0)) void ready.then(({ client }) => client.fence());
  }

  /** Starts processes until `size` are idle again. */
  fill(): void {
    while (!this.closed && this.idle.length < this.size) this.idle.push(MoverClient.spawn(IDLE, 0));
  }
}
