// Large core-edge SANs for benchmarks: a few core switches, a few hundred edge switches each
// uplinked to two cores, and hosts, storage, backup servers, copy devices and libraries (with
// tapes) hanging off the edges, some dual-attached, some out of service or in use by other jobs.
// Deterministic for a given seed.
import type { ResourceStatus, TapeUsage } from '../../engine/contract';
import type { LoadedInventory, SiteConfigInput } from '../../engine/site';

export interface CoreEdgeOptions {
  devices: number;
  cores: number;
  edges: number;
  seed: number;
}

export interface CoreEdgeSite {
  config: SiteConfigInput;
  loaded: LoadedInventory;
  /** Storage devices attached to at least `n` edge switches, by n. */
  storageWithPaths: (n: number) => string[];
  servers: string[];
  copies: string[];
  edges: string[];
}

/** Shares of the non-switch devices by kind. */
const MIX = { host: 0.2, storage: 0.02, server: 0.32, copy: 0.14, library: 0.32 };
const TAPES_PER_LIBRARY = 4;
const MiB = 2 ** 20;

export function coreEdgeSite(options: CoreEdgeOptions): CoreEdgeSite {
  const random = mulberry32(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ports = new Map<string, number>();
  const links: { a: string; b: string }[] = [];
  const link = (a: string, b: string) => {
    const pa = ports.get(a) ?? 0;
    const pb = ports.get(b) ?? 0;
    ports.set(a, pa + 1);
    ports.set(b, pb + 1);
    links.push({ a: `${a}:${pa}`, b: `${b}:${pb}` });
  };

  const cores = Array.from({ length: options.cores }, (_, i) => `core-${i + 1}`);
  const edges = Array.from({ length: options.edges }, (_, i) => `edge-${i + 1}`);
  edges.forEach((edge, i) => {
    link(edge, cores[i % cores.length]!);
    link(edge, cores[(i + 1) % cores.length]!);
  });

  const others = options.devices - cores.length - edges.length;
  const count = (share: number) => Math.round(others * share);
  const storage = ids('storage', count(MIX.storage));
  const servers = ids('server', count(MIX.server));
  const copies = ids('copy', count(MIX.copy));
  const libraries = ids('library', count(MIX.library));
  const hosts = ids('host', others - storage.length - servers.length - copies.length - libraries.length);

  const attachments = new Map<string, number>();
  const attach = (device: string, times: number) => {
    const chosen = new Set<string>();
    while (chosen.size < times) chosen.add(pick(edges));
    for (const edge of chosen) link(device, edge);
    attachments.set(device, times);
  };
  for (const id of storage) attach(id, 2 + Math.floor(random() * 3));
  for (const id of [...hosts, ...servers, ...copies, ...libraries]) attach(id, random() < 0.2 ? 2 : 1);

  const tapeIds = new Map(libraries.map((l) => [l, Array.from({ length: TAPES_PER_LIBRARY }, (_, t) => `${l}-t${t + 1}`)]));
  const devices: SiteConfigInput['devices'] = [
    ...cores.map((id) => ({ kind: 'switch' as const, id, name: id, ports: ports.get(id)! })),
    ...edges.map((id) => ({ kind: 'switch' as const, id, name: id, ports: ports.get(id)! })),
    ...hosts.map((id) => ({ kind: 'host' as const, id, name: id, ports: ports.get(id)! })),
    ...storage.map((id) => ({ kind: 'storage' as const, id, name: id, ports: ports.get(id)!, root: id })),
    ...servers.map((id) => ({ kind: 'backup-server' as const, id, name: id, ports: ports.get(id)! })),
    ...copies.map((id) => ({ kind: 'copy-device' as const, id, name: id, ports: ports.get(id)! })),
    ...libraries.map((id) => ({
      kind: 'library' as const,
      id,
      name: id,
      ports: ports.get(id)!,
      dir: id,
      tapes: tapeIds.get(id)!.map((tape) => ({ id: tape })),
    })),
  ];

  const statuses: ResourceStatus[] = [];
  const tapes: TapeUsage[] = [];
  let job = 1000;
  for (const id of [...edges, ...servers, ...copies, ...libraries]) {
    const r = random();
    if (r < 0.03) statuses.push({ id, state: 'unavailable', holder: null });
    else if (r < 0.06) statuses.push({ id, state: 'in-use', holder: { jobId: job++, stream: 0 } });
  }
  for (const list of tapeIds.values()) {
    for (const id of list) {
      const r = random();
      if (r < 0.1) tapes.push({ id, usedBytes: 256 * MiB, full: true });
      else if (r < 0.5) tapes.push({ id, usedBytes: Math.floor(random() * 200) * MiB, full: false });
      if (random() < 0.05) statuses.push({ id, state: 'unavailable', holder: null });
    }
  }

  return {
    config: { format: 'mpbackup-site', version: 1, name: 'core-edge bench site', devices, links },
    loaded: { statuses, zones: [], tapes },
    storageWithPaths: (n) => storage.filter((id) => attachments.get(id)! >= n),
    servers,
    copies,
    edges,
  };
}

function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
}

/** A small deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
