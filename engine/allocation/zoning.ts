// From a chosen stream to what the contract shows and what the switches apply: the stream's
// hops port to port, its switches in path order, and its zone (SPEC "Zoning", 0077) holding every
// port at either end of every link of its path.
import type { PathHop, PlannedStream, PortRef, Zone } from '../contract';
import type { StreamChoice } from './candidates';
import type { SanGraph } from './graph';

export function plannedStream(graph: SanGraph, choice: StreamChoice): PlannedStream {
  const devices = [...choice.toMover, ...choice.toLibrary.slice(1)];
  const path: PathHop[] = [];
  for (let i = 1; i < devices.length; i++) {
    const from = devices[i - 1]!;
    const link = graph.linkBetween(from, devices[i]!);
    path.push({
      from: { device: graph.ids[from]!, port: graph.localPortOf(link) },
      to: { device: graph.ids[devices[i]!]!, port: graph.peerPortOf(link) },
    });
  }
  const switches = [...new Set(devices.filter((v) => graph.isSwitch(v)))].map((v) => graph.ids[v]!);
  return {
    stream: choice.stream,
    mover: graph.ids[choice.mover]!,
    library: graph.ids[choice.library]!,
    tape: choice.tape,
    switches,
    path,
  };
}

function zoneName(jobId: number, stream: number): string {
  return `job${jobId}-stream${stream}`;
}

export function zoneOf(jobId: number, stream: PlannedStream): Zone {
  const members = new Map<string, PortRef>();
  for (const hop of stream.path) {
    for (const port of [hop.from, hop.to]) members.set(`${port.device}:${port.port}`, port);
  }
  return { name: zoneName(jobId, stream.stream), jobId, stream: stream.stream, switches: [...stream.switches], members: [...members.values()] };
}
