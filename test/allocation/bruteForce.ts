// A brute-force oracle for small sites, written independently of the allocator: every simple
// path storage -> mover and mover -> library through usable switches, every combination of
// streams. It answers whether k independent streams exist and the least total number of hops,
// and checks that a set of planned streams is valid and independent.
import { StreamRequest, type PlannedStream, type StreamRequestInput } from '../../engine/contract';
import type { Inventory, SiteModel } from '../../engine/site';

interface Option {
  mover: string;
  library: string;
  switches: Set<string>;
  cost: number;
  preference: number;
}

export interface Oracle {
  /** Least total hops of k independent streams, or null when none exist. */
  cheapest: number | null;
  /** Least total preference of the mover, library and switches among the cheapest sets. */
  preference: number | null;
}

export function bruteForce(site: SiteModel, inventory: Inventory, input: StreamRequestInput, preference: (id: string) => number = () => 0): Oracle {
  const request = parse(input);
  const storage = request.storage ?? site.devicesOfKind('storage')[0]!.id;
  if (inventory.status(storage).state === 'unavailable') return { cheapest: null, preference: null };
  const kind = (id: string) => site.device(id)?.kind;
  const usable = (id: string) => inventory.status(id).state === 'available' && !request.exclude.includes(id);
  const tapeUsable = (id: string) => {
    const usage = inventory.tapeUsage(id);
    return usable(id) && !usage.full && usage.usedBytes < usage.capacity;
  };

  /** Every simple path from `from` to a device of kind `to` through usable switches (the shortest per switch set). */
  const paths = (from: string, to: string): { end: string; switches: string[] }[] => {
    const found = new Map<string, { end: string; switches: string[] }>();
    const walk = (at: string, switches: string[]) => {
      for (const next of new Set(site.neighbors(at).map((a) => a.device))) {
        if (next === from || switches.includes(next)) continue;
        if (kind(next) === to) {
          const key = `${next}|${[...switches].sort().join(',')}`;
          if ((found.get(key)?.switches.length ?? Infinity) > switches.length) found.set(key, { end: next, switches });
        } else if (kind(next) === 'switch' && usable(next)) walk(next, [...switches, next]);
      }
    };
    walk(from, []);
    return [...found.values()];
  };

  const usableTapes = new Map(site.devicesOfKind('library').map((l) => [l.id, site.tapesOf(l.id).map((t) => t.id).filter(tapeUsable)]));
  const toMovers = paths(storage, request.mover);
  const toLibraries = new Map(toMovers.map((p) => [p.end, paths(p.end, 'library')]));
  const optionsFor = (stream: number): Option[] => {
    const constraint = request.constraints[stream] ?? { pin: [], exclude: [] };
    const allowed = (id: string) => usable(id) && !constraint.exclude.includes(id);
    const best = new Map<string, Option>();
    for (const toMover of toMovers) {
      if (!allowed(toMover.end)) continue;
      for (const toLibrary of toLibraries.get(toMover.end)!) {
        const library = toLibrary.end;
        if (!allowed(library)) continue;
        const tapes = usableTapes.get(library)!.filter((t) => !constraint.exclude.includes(t));
        const switches = new Set([...toMover.switches, ...toLibrary.switches]);
        if ([...switches].some((s) => constraint.exclude.includes(s))) continue;
        const uses = new Set([toMover.end, library, ...switches]);
        const pinsMet = constraint.pin.every((id) => uses.has(id) || (tapes.includes(id) && site.tape(id)?.library === library));
        if (tapes.length === 0 || !pinsMet) continue;
        const cost = toMover.switches.length + toLibrary.switches.length + 2;
        const weight = [toMover.end, library, ...switches].reduce((sum, id) => sum + preference(id), 0);
        const option = { mover: toMover.end, library, switches, cost, preference: weight };
        const key = `${option.mover}|${library}|${[...switches].sort().join(',')}`;
        if ((best.get(key)?.cost ?? Infinity) > option.cost) best.set(key, option);
      }
    }
    return [...best.values()].sort((a, b) => a.cost - b.cost);
  };

  const options = Array.from({ length: request.streams }, (_, i) => optionsFor(i));
  // The streams from i on cost at least atLeast[i] (preferences are never negative).
  const atLeast = options.map((list) => list[0]?.cost ?? Infinity);
  for (let i = atLeast.length - 2; i >= 0; i--) atLeast[i]! += atLeast[i + 1]!;
  let found: Oracle = { cheapest: null, preference: null };
  const taken = new Set<string>();
  const choose = (stream: number, cost: number, weight: number) => {
    const bound = cost + (atLeast[stream] ?? 0);
    if (found.cheapest !== null && (bound > found.cheapest || (bound === found.cheapest && weight >= found.preference!))) return;
    if (stream === options.length) {
      found = { cheapest: cost, preference: weight };
      return;
    }
    for (const option of options[stream]!) {
      const uses = [option.mover, option.library, ...option.switches];
      if (uses.some((id) => taken.has(id))) continue;
      uses.forEach((id) => taken.add(id));
      choose(stream + 1, cost + option.cost, weight + option.preference);
      uses.forEach((id) => taken.delete(id));
    }
  };
  choose(0, 0, 0);
  return found;
}

/** Problems with planned streams (empty when they are valid and independent); checked before reserving. */
export function streamProblems(site: SiteModel, inventory: Inventory, input: StreamRequestInput, streams: PlannedStream[]): string[] {
  const request = parse(input);
  const storage = request.storage ?? site.devicesOfKind('storage')[0]!.id;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const links = new Set(site.config.links.flatMap((l) => [`${l.a}>${l.b}`, `${l.b}>${l.a}`]));
  if (streams.length !== request.streams) problems.push(`${streams.length} streams for ${request.streams}`);
  streams.forEach((s, i) => {
    const constraint = request.constraints[i] ?? { pin: [], exclude: [] };
    if (s.stream !== i) problems.push(`stream ${i} is numbered ${s.stream}`);
    const devices = [storage, ...s.path.map((hop) => hop.to.device)];
    s.path.forEach((hop, h) => {
      if (!links.has(`${hop.from.device}:${hop.from.port}>${hop.to.device}:${hop.to.port}`)) problems.push(`stream ${i} hop ${h} is no link`);
      if (hop.from.device !== devices[h]) problems.push(`stream ${i} hop ${h} does not continue the path`);
    });
    const moverAt = devices.indexOf(s.mover);
    if (moverAt < 0 || devices.at(-1) !== s.library) problems.push(`stream ${i} path does not run storage -> mover -> library`);
    devices.forEach((d, j) => {
      const inner = j !== 0 && j !== moverAt && j !== devices.length - 1;
      if (inner && site.device(d)?.kind !== 'switch') problems.push(`stream ${i} passes through ${d}`);
    });
    const switches = [...new Set(devices.filter((d) => site.device(d)?.kind === 'switch'))];
    if (switches.join() !== s.switches.join()) problems.push(`stream ${i} switches ${s.switches} are not ${switches}`);
    if (site.device(s.mover)?.kind !== request.mover) problems.push(`stream ${i} mover ${s.mover} is not a ${request.mover}`);
    if (site.tape(s.tape)?.library !== s.library) problems.push(`stream ${i} tape ${s.tape} is not in ${s.library}`);
    const usage = inventory.tapeUsage(s.tape);
    if (usage.full || usage.usedBytes >= usage.capacity) problems.push(`stream ${i} tape ${s.tape} is full`);
    for (const id of [s.mover, s.library, s.tape, ...s.switches]) {
      if (inventory.status(id).state !== 'available') problems.push(`stream ${i} uses ${id}, which is ${inventory.status(id).state}`);
      if (request.exclude.includes(id) || constraint.exclude.includes(id)) problems.push(`stream ${i} uses excluded ${id}`);
      const other = seen.get(id);
      if (other !== undefined) problems.push(`streams ${other} and ${i} share ${id}`);
      seen.set(id, i);
    }
    for (const id of constraint.pin) {
      if (![s.mover, s.library, s.tape, ...s.switches].includes(id)) problems.push(`stream ${i} does not use pinned ${id}`);
    }
  });
  return problems;
}

/** Parses a request as the allocator does, also for a single stream. */
function parse(input: StreamRequestInput) {
  const streams = input.streams ?? 2;
  return { ...StreamRequest.parse({ ...input, streams: Math.max(2, streams) }), streams };
}
