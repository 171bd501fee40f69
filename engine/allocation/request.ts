// A stream request resolved against the site: the storage the streams read from, and each
// stream's rules (what it must use, what it must not) as device indices. A request that names
// unknown ids or contradicts itself is refused here with an AllocationError, before any search.
import { type MoverKind, StreamRequest, type StreamConstraint, type StreamRequestInput } from '../contract';
import type { SiteModel } from '../site';
import { StreamRequestError } from './errors';
import type { SanGraph } from './graph';
import { kindName } from './wording';

export interface StreamRules {
  stream: number;
  constraint: StreamConstraint;
  /** Pinned devices (null when free); a pinned tape also pins its library. */
  mover: number | null;
  library: number | null;
  tape: string | null;
  switches: number[];
  /** Devices this stream may not use: its own excludes and every other stream's pins. */
  forbidden: Set<number>;
  excludedTapes: Set<string>;
}

export interface ResolvedRequest {
  streams: number;
  mover: MoverKind;
  storage: number;
  rules: StreamRules[];
  /** Devices and tapes no stream may use. */
  excluded: Set<number>;
  excludedTapes: Set<string>;
  /** Devices named by a per-stream constraint (tapes count as their library). */
  named: Set<number>;
}

export function parseRequest(input: StreamRequestInput): StreamRequest {
  const parsed = StreamRequest.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`);
  throw new StreamRequestError(`invalid stream request: ${problems.join('; ')}`);
}

/** `request.streams` may be below the minimum here: the allocator also looks for fewer streams. */
export function resolveRequest(graph: SanGraph, site: SiteModel, request: StreamRequest): ResolvedRequest {
  const storage = resolveStorage(graph, request.storage);
  if (request.constraints.length > request.streams) {
    throw new StreamRequestError(`${request.constraints.length} stream constraints for ${request.streams} streams`);
  }
  const mentioned = [...request.exclude, ...request.constraints.flatMap((c) => [...c.pin, ...c.exclude])];
  const unknown = [...new Set(mentioned.filter((id) => !site.has(id)))];
  if (unknown.length > 0) throw new StreamRequestError(`no device or tape named ${unknown.join(', ')} in this site`);

  const excluded = new Set<number>();
  const excludedTapes = new Set<string>();
  for (const id of request.exclude) addExclusion(graph, id, storage, excluded, excludedTapes, 'the request');

  const rules: StreamRules[] = [];
  for (let stream = 0; stream < request.streams; stream++) {
    const constraint = request.constraints[stream] ?? { pin: [], exclude: [] };
    rules.push(pinsOf(graph, site, request.mover, stream, constraint, excluded, excludedTapes));
  }
  const pinnedBy = new Map<number, number>();
  for (const rule of rules) {
    for (const v of pinnedDevices(rule)) {
      const other = pinnedBy.get(v);
      if (other !== undefined) {
        throw new StreamRequestError(`${graph.ids[v]} is pinned to streams ${other} and ${rule.stream}; a device serves one stream`);
      }
      pinnedBy.set(v, rule.stream);
    }
  }
  const named = new Set(pinnedBy.keys());
  for (const rule of rules) {
    for (const id of rule.constraint.exclude) {
      addExclusion(graph, id, storage, rule.forbidden, rule.excludedTapes, `stream ${rule.stream}`);
      const tape = site.tape(id);
      named.add(tape ? graph.index(tape.library)! : graph.index(id)!);
    }
    for (const [v, stream] of pinnedBy) if (stream !== rule.stream) rule.forbidden.add(v);
    for (const v of pinnedDevices(rule)) {
      if (rule.forbidden.has(v)) throw new StreamRequestError(`stream ${rule.stream} both pins and excludes ${graph.ids[v]}`);
    }
    if (rule.tape !== null && rule.excludedTapes.has(rule.tape)) {
      throw new StreamRequestError(`stream ${rule.stream} both pins and excludes ${rule.tape}`);
    }
  }
  return { streams: request.streams, mover: request.mover, storage, rules, excluded, excludedTapes, named };
}

function resolveStorage(graph: SanGraph, requested: string | undefined): number {
  if (requested !== undefined) {
    const v = graph.index(requested);
    if (v === undefined) throw new StreamRequestError(`no storage device named ${requested} in this site`);
    if (graph.kinds[v] !== 'storage') throw new StreamRequestError(`${requested} is a ${kindName(graph.kinds[v]!)}, not a storage device`);
    return v;
  }
  const storages = graph.ofKind('storage');
  if (storages.length === 1) return storages[0]!;
  if (storages.length === 0) throw new StreamRequestError('the site has no storage device to read from');
  const names = storages.map((v) => graph.ids[v]).join(', ');
  throw new StreamRequestError(`the site has ${storages.length} storage devices (${names}); name the one to read from`);
}

function addExclusion(graph: SanGraph, id: string, storage: number, devices: Set<number>, tapes: Set<string>, by: string): void {
  const v = graph.index(id);
  if (v === undefined) tapes.add(id);
  else if (v === storage) throw new StreamRequestError(`${id} is the storage the streams read from; ${by} cannot exclude it`);
  else devices.add(v);
}

function pinsOf(
  graph: SanGraph,
  site: SiteModel,
  mover: MoverKind,
  stream: number,
  constraint: StreamConstraint,
  excluded: Set<number>,
  excludedTapes: Set<string>,
): StreamRules {
  const rules: StreamRules = {
    stream,
    constraint,
    mover: null,
    library: null,
    tape: null,
    switches: [],
    forbidden: new Set(),
    excludedTapes: new Set(),
  };
  const twice = (what: string, a: string, b: string) =>
    new StreamRequestError(`stream ${stream} pins two ${what} (${a} and ${b}); a stream uses one`);
  for (const id of new Set(constraint.pin)) {
    const tape = site.tape(id);
    if (tape) {
      if (excludedTapes.has(id)) throw new StreamRequestError(`${id} is pinned to stream ${stream} but excluded by the request`);
      if (rules.tape !== null) throw twice('tapes', rules.tape, id);
      rules.tape = id;
      continue;
    }
    const v = graph.index(id)!;
    if (excluded.has(v)) throw new StreamRequestError(`${id} is pinned to stream ${stream} but excluded by the request`);
    const kind = graph.kinds[v]!;
    if (kind === 'switch') rules.switches.push(v);
    else if (kind === 'library') {
      if (rules.library !== null) throw twice('libraries', graph.ids[rules.library]!, id);
      rules.library = v;
    } else if (kind === mover) {
      if (rules.mover !== null) throw twice(kindName(mover, 2), graph.ids[rules.mover]!, id);
      rules.mover = v;
    } else {
      throw new StreamRequestError(
        `stream ${stream} cannot pin ${id} (a ${kindName(kind)}): its streams are made of ${kindName(mover, 2)}, libraries, tapes and FC switches`,
      );
    }
  }
  if (rules.tape !== null) {
    const library = graph.index(site.tape(rules.tape)!.library)!;
    if (rules.library !== null && rules.library !== library) {
      throw new StreamRequestError(`stream ${stream} pins tape ${rules.tape}, which is in ${graph.ids[library]}, not in ${graph.ids[rules.library]}`);
    }
    rules.library = library;
  }
  return rules;
}

function pinnedDevices(rules: StreamRules): number[] {
  const pinned = [...rules.switches];
  if (rules.mover !== null) pinned.push(rules.mover);
  if (rules.library !== null) pinned.push(rules.library);
  return pinned;
}
