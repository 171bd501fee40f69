// Which injected faults a device can have, and which of a job's faults concern one stream. A
// fault on a device that has no such failure mode is bad input; a fault on a device no stream
// uses simply never fires.
import type { DeviceKind, Fault, FaultKind, PlannedStream } from '../contract';
import type { SiteModel } from '../site';
import { JobRequestError } from './errors';

const KINDS: Record<DeviceKind | 'tape', readonly FaultKind[]> = {
  host: ['crash', 'io-error', 'hang'],
  storage: ['crash', 'io-error', 'hang', 'slow'],
  'backup-server': ['crash', 'io-error', 'hang', 'slow'],
  'copy-device': ['crash', 'io-error', 'hang', 'slow'],
  library: ['crash', 'io-error', 'hang', 'slow'],
  switch: ['down', 'slow'],
  tape: ['media-error'],
};

/** Throws JobRequestError for a fault on an unknown device or one it cannot have. */
export function checkFaults(site: SiteModel, faults: readonly Fault[]): void {
  for (const fault of faults) {
    const kind = site.device(fault.device)?.kind ?? (site.tape(fault.device) ? 'tape' : null);
    if (kind === null) throw new JobRequestError(`cannot inject a fault into "${fault.device}": no such device or tape`);
    const allowed = KINDS[kind];
    if (!allowed.includes(fault.kind)) {
      throw new JobRequestError(`a ${kind} cannot have a "${fault.kind}" fault (it can have: ${allowed.join(', ')})`);
    }
    if ('position' in fault.at && kind !== 'tape') throw new JobRequestError(`@position= is for tapes; use @chunk= or @byte= for ${fault.device}`);
    if (kind === 'host' && !('chunk' in fault.at && fault.at.chunk === 0)) {
      throw new JobRequestError(`a host's agent fails when it prepares the target: write "${fault.device}:${fault.kind}" without @`);
    }
  }
}

/** The faults of the devices a stream uses: its mover, storage, switches, library and its tapes. */
export function faultsOfStream(site: SiteModel, stream: PlannedStream, storage: string, faults: readonly Fault[]): Fault[] {
  const devices = new Set([stream.mover, storage, stream.library, ...stream.switches, ...site.tapesOf(stream.library).map((t) => t.id)]);
  return faults.filter((fault) => devices.has(fault.device));
}

/** The faults of the hosts: they fire when the agent prepares the target. */
export function hostFaults(site: SiteModel, faults: readonly Fault[]): Fault[] {
  return faults.filter((fault) => site.device(fault.device)?.kind === 'host');
}
