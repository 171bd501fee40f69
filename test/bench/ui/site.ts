// The benchmark's site as the UI sees it: a 1,000-device core-edge SAN (4 core and 46 edge FC
// switches, hosts, storage, backup servers, copy devices, libraries with tapes, some devices in
// use or unavailable) from the benchmarks' core-edge generator, as describeSite answers it, and a
// plausible two-stream plan through it (a storage, two of its edge switches, a server and a
// library on each).
import type { DeviceView, PlannedStream, SiteView, StreamPlan } from '../../../engine/contract';
import { coreEdgeSite } from '../../helpers/sitesCoreEdge';

export const SITE_DEVICES = 1000;
const TAPE_CAPACITY = 256 * 2 ** 20;

export interface UiSite {
  site: SiteView;
  plan: StreamPlan;
}

export function benchSite(): UiSite {
  const fixture = coreEdgeSite({ devices: SITE_DEVICES, cores: 4, edges: 46, seed: 20010329 });
  const statuses = new Map(fixture.loaded.statuses.map((s) => [s.id, s]));
  const usage = new Map(fixture.loaded.tapes.map((t) => [t.id, t]));
  const devices: DeviceView[] = fixture.config.devices.map((d) => {
    const status = statuses.get(d.id);
    const view: DeviceView = { id: d.id, kind: d.kind, name: d.name, state: status?.state ?? 'available', holder: status?.holder ?? null, ports: d.ports ?? 1 };
    if (d.kind !== 'library') return view;
    const tapes = d.tapes.map((t) => {
      const s = statuses.get(t.id);
      const u = usage.get(t.id);
      return { id: t.id, state: s?.state ?? 'available', holder: s?.holder ?? null, capacity: TAPE_CAPACITY, usedBytes: u?.usedBytes ?? 0, full: u?.full ?? false };
    });
    return { ...view, tapes };
  });
  const storages = fixture.storageWithPaths(2);
  const site: SiteView = {
    name: 'Core-edge benchmark site',
    dir: '/bench/site',
    demo: true,
    devices,
    links: fixture.config.links.map((l) => ({ a: l.a, b: l.b })),
    targets: storages.slice(0, 3).map((storage, i) => ({ name: `/data-${i + 1}`, kind: 'directory' as const, storage })),
    zones: [],
  };
  return { site, plan: planThrough(site, storages[0]!) };
}

/** Two streams from `storage`, each through another of its edge switches to a server and a library there. */
function planThrough(site: SiteView, storage: string): StreamPlan {
  const byId = new Map(site.devices.map((d) => [d.id, d]));
  const ports = new Map<string, { device: string; port: number }[]>();
  const endpoint = (text: string) => {
    const [device, port] = text.split(':');
    return { device: device!, port: Number(port) };
  };
  for (const link of site.links) {
    const [a, b] = [endpoint(link.a), endpoint(link.b)];
    ports.set(a.device, [...(ports.get(a.device) ?? []), b]);
    ports.set(b.device, [...(ports.get(b.device) ?? []), a]);
  }
  const free = (id: string) => byId.get(id)?.state === 'available';
  const streams: PlannedStream[] = [];
  for (const { device: edge } of ports.get(storage) ?? []) {
    const around = ports.get(edge) ?? [];
    const server = around.find((p) => byId.get(p.device)?.kind === 'backup-server' && free(p.device));
    const library = around.find((p) => byId.get(p.device)?.kind === 'library' && free(p.device));
    const tape = library && byId.get(library.device)!.tapes!.find((t) => t.state === 'available' && !t.full);
    if (!free(edge) || !server || !library || !tape) continue;
    streams.push({
      stream: streams.length,
      mover: server.device,
      library: library.device,
      tape: tape.id,
      switches: [edge],
      path: [
        { from: { device: storage, port: 0 }, to: { device: edge, port: 0 } },
        { from: { device: edge, port: 0 }, to: server },
        { from: server, to: { device: edge, port: 0 } },
        { from: { device: edge, port: 0 }, to: library },
      ],
    });
    if (streams.length === 2) break;
  }
  return streams.length === 2 ? { feasible: true, streams, reason: null } : { feasible: false, streams, reason: `only ${streams.length} independent streams (2 needed)` };
}
