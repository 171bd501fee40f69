// Tape choice within a library: full tapes and tapes not available are skipped; appendable tapes
// (some data already on them) come first, fullest first, then blank tapes in id order, so
// volumes fill up before new ones are started.
import type { Inventory } from '../site';

/** The tapes of a library that can take a stream's data, best first; `tapes` are in id order. */
export function rankTapes(inventory: Inventory, tapes: readonly string[]): string[] {
  const usable = tapes
    .map((id) => inventory.tapeUsage(id))
    .filter((usage) => inventory.isAvailable(usage.id) && !usage.full && usage.usedBytes < usage.capacity);
  const fullness = (usage: { usedBytes: number; capacity: number }) => usage.usedBytes / usage.capacity;
  // A stable sort: blank tapes, and equally full ones, stay in id order.
  usable.sort((a, b) => Number(b.usedBytes > 0) - Number(a.usedBytes > 0) || fullness(b) - fullness(a) || b.usedBytes - a.usedBytes);
  return usable.map((usage) => usage.id);
}

/** Why a tape cannot take data (`full`, `in use`, `unavailable`), or null when it can. */
export function tapeProblem(inventory: Inventory, tape: string): string | null {
  const status = inventory.status(tape);
  if (status.state !== 'available') return status.state === 'in-use' ? 'in use' : 'unavailable';
  const usage = inventory.tapeUsage(tape);
  return usage.full || usage.usedBytes >= usage.capacity ? 'full' : null;
}
