// Deterministic fault injection inside a mover: which injected fault fires as the mover is about
// to handle a chunk, and the bandwidth cap of a device made slow. Each fault fires once; what it
// does (kill the process, hang, fail the command) is up to the mover. A fault armed while the
// mover works (the operator's, in a demo site) fires at the next chunk it handles.
import type { Fault, LiveFault } from '../contract';

/** What the mover is about to do: write chunk `chunk` (stream bytes [offset, offset + length)) at a tape position. */
export interface Moment {
  chunk: number;
  offset: number;
  length: number;
  tape: string;
  /** Tape bytes the chunk's record will cover. */
  position: number;
  end: number;
}

/** A fault waiting to fire: at its moment, or (armed) at the next chunk. */
type Pending = Fault | (LiveFault & { at: 'next' });

export class FaultPlan {
  private readonly pending: Pending[];
  /** Bytes per second, once a slow fault has fired. */
  private rate: number | null = null;

  constructor(faults: readonly Fault[]) {
    this.pending = [...faults];
  }

  /** A fault that fires at the next chunk (a media error: the next one on that tape). */
  arm(fault: LiveFault): void {
    this.pending.push({ ...fault, at: 'next' });
  }

  /** The faults that fire now, in the order given; each is removed. Slow faults set the cap. */
  fire(moment: Moment): Fault[] {
    const firing = this.pending.filter((fault) => firesAt(fault, moment));
    for (const fault of firing) {
      this.pending.splice(this.pending.indexOf(fault), 1);
      if (fault.kind === 'slow') this.rate = Math.min(this.rate ?? Infinity, fault.rate ?? Infinity);
    }
    return firing.map((fault) => (fault.at === 'next' ? { ...fault, at: { chunk: moment.chunk } } : fault));
  }

  /** How long moving `bytes` must take at the capped rate, in ms (0 when not slow). */
  minimumMs(bytes: number): number {
    return this.rate === null ? 0 : (bytes / this.rate) * 1000;
  }
}

function firesAt(fault: Pending, m: Moment): boolean {
  const at = fault.at;
  if (at === 'next') return fault.kind !== 'media-error' || fault.device === m.tape;
  if ('chunk' in at) return at.chunk === m.chunk && (fault.kind !== 'media-error' || fault.device === m.tape);
  if ('byte' in at) return at.byte >= m.offset && at.byte < m.offset + Math.max(m.length, 1) && (fault.kind !== 'media-error' || fault.device === m.tape);
  return fault.device === m.tape && at.position >= m.position && at.position < m.end;
}
