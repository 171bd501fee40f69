// The SAN as a compact, index-based graph, built once per site: device ids and kinds, each
// device's neighbours (one link per neighbour, the lowest port) and the ports at both ends.
import type { DeviceKind } from '../contract';
import { compareIds, type SiteModel } from '../site';

export class SanGraph {
  /** Device ids, in config order; a device is named by its index here. */
  readonly ids: string[];
  readonly kinds: DeviceKind[];
  /** Position of each device in natural id order, for deterministic tie-breaks. */
  readonly idRank: Int32Array;
  /**
   * Devices of the same kind linked to exactly the same neighbours share a shape: swapping two of
   * them changes nothing about which streams exist, so a search need try only one of them.
   */
  readonly shape: Int32Array;
  private readonly switchFlags: Uint8Array;
  private readonly indexById = new Map<string, number>();
  private readonly byKind = new Map<DeviceKind, number[]>();
  /** Neighbours of device v are `peer[firstLink[v]]` to `peer[firstLink[v + 1] - 1]`, in id order. */
  private readonly firstLink: Int32Array;
  private readonly peer: Int32Array;
  private readonly localPort: Int32Array;
  private readonly peerPort: Int32Array;
  private readonly reverse: Int32Array;
  private readonly tapesById = new Map<number, string[]>();

  constructor(private readonly site: SiteModel) {
    this.ids = site.devices.map((d) => d.id);
    this.kinds = site.devices.map((d) => d.kind);
    this.ids.forEach((id, v) => this.indexById.set(id, v));
    this.kinds.forEach((kind, v) => {
      const list = this.byKind.get(kind);
      if (list) list.push(v);
      else this.byKind.set(kind, [v]);
    });
    this.switchFlags = Uint8Array.from(this.kinds, (kind) => (kind === 'switch' ? 1 : 0));

    const n = this.ids.length;
    this.firstLink = new Int32Array(n + 1);
    const peers: number[] = [];
    const localPorts: number[] = [];
    const peerPorts: number[] = [];
    for (let v = 0; v < n; v++) {
      this.firstLink[v] = peers.length;
      let previous = -1;
      // The model lists neighbours in id order, then by port: keep the first link to each.
      for (const adjacent of site.neighbors(this.ids[v]!)) {
        const w = this.indexById.get(adjacent.device)!;
        if (w === previous) continue;
        previous = w;
        peers.push(w);
        localPorts.push(adjacent.localPort);
        peerPorts.push(adjacent.peerPort);
      }
    }
    this.firstLink[n] = peers.length;
    this.peer = Int32Array.from(peers);
    this.localPort = Int32Array.from(localPorts);
    this.peerPort = Int32Array.from(peerPorts);
    this.reverse = new Int32Array(peers.length);
    for (let v = 0; v < n; v++) {
      for (let e = this.firstLink[v]!; e < this.firstLink[v + 1]!; e++) this.reverse[e] = this.linkBetween(this.peer[e]!, v);
    }

    this.idRank = new Int32Array(n);
    const sorted = [...this.ids.keys()].sort((a, b) => compareIds(this.ids[a]!, this.ids[b]!));
    sorted.forEach((v, rank) => (this.idRank[v] = rank));

    this.shape = new Int32Array(n);
    const shapes = new Map<string, number>();
    for (let v = 0; v < n; v++) {
      const key = `${this.kinds[v]}|${this.peer.subarray(this.firstLink[v]!, this.firstLink[v + 1]!).join(',')}`;
      let shape = shapes.get(key);
      if (shape === undefined) shapes.set(key, (shape = shapes.size));
      this.shape[v] = shape;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  index(id: string): number | undefined {
    return this.indexById.get(id);
  }

  ofKind(kind: DeviceKind): readonly number[] {
    return this.byKind.get(kind) ?? [];
  }

  isSwitch(v: number): boolean {
    return this.switchFlags[v] === 1;
  }

  /** Link entries of device v run from `linkStart(v)` to `linkEnd(v) - 1`; see `peerOf`. */
  linkStart(v: number): number {
    return this.firstLink[v]!;
  }

  linkEnd(v: number): number {
    return this.firstLink[v + 1]!;
  }

  peerOf(link: number): number {
    return this.peer[link]!;
  }

  localPortOf(link: number): number {
    return this.localPort[link]!;
  }

  peerPortOf(link: number): number {
    return this.peerPort[link]!;
  }

  /** The tapes of a library in id order. */
  tapesOf(library: number): readonly string[] {
    let tapes = this.tapesById.get(library);
    if (!tapes) {
      tapes = this.site.tapesOf(this.ids[library]!).map((tape) => tape.id);
      this.tapesById.set(library, tapes.sort(compareIds));
    }
    return tapes;
  }

  /** The link entry from u to v, or -1 when they are not linked. */
  linkBetween(u: number, v: number): number {
    for (let e = this.firstLink[u]!; e < this.firstLink[u + 1]!; e++) if (this.peer[e] === v) return e;
    return -1;
  }

  /** The entry of the same link seen from the other end. */
  reverseOf(link: number): number {
    return this.reverse[link]!;
  }
}
