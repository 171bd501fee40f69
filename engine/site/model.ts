// The static shape of a site: its devices, the tapes in each library, and the links between
// ports. Built once from a validated config; the live states are in Inventory.
import path from 'node:path';
import type { DeviceKind } from '../contract';
import type { DeviceConfig, LibraryConfig, SiteConfig, StorageConfig } from './config';

export interface TapeInfo {
  id: string;
  library: string;
  capacity: number;
}

/** A neighbour of a device over one link, with the ports at both ends. */
export interface Adjacent {
  device: string;
  localPort: number;
  peerPort: number;
}

export class SiteModel {
  readonly name: string;
  private readonly devicesById = new Map<string, DeviceConfig>();
  private readonly tapesById = new Map<string, TapeInfo>();
  private readonly adjacency = new Map<string, Adjacent[]>();

  /** `dir` is the site directory; relative paths in the config are inside it. */
  constructor(
    readonly config: SiteConfig,
    readonly dir: string,
  ) {
    this.name = config.name;
    for (const device of config.devices) {
      this.devicesById.set(device.id, device);
      this.adjacency.set(device.id, []);
      if (device.kind === 'library') {
        for (const tape of device.tapes) {
          this.tapesById.set(tape.id, { id: tape.id, library: device.id, capacity: tape.capacity ?? device.tapeCapacity });
        }
      }
    }
    for (const link of config.links) {
      const [a, ap] = splitPort(link.a);
      const [b, bp] = splitPort(link.b);
      this.adjacency.get(a)?.push({ device: b, localPort: ap, peerPort: bp });
      this.adjacency.get(b)?.push({ device: a, localPort: bp, peerPort: ap });
    }
    for (const list of this.adjacency.values()) {
      list.sort((x, y) => compareIds(x.device, y.device) || x.localPort - y.localPort);
    }
  }

  get devices(): readonly DeviceConfig[] {
    return this.config.devices;
  }

  device(id: string): DeviceConfig | undefined {
    return this.devicesById.get(id);
  }

  devicesOfKind<K extends DeviceKind>(kind: K): Extract<DeviceConfig, { kind: K }>[] {
    return this.config.devices.filter((d): d is Extract<DeviceConfig, { kind: K }> => d.kind === kind);
  }

  tape(id: string): TapeInfo | undefined {
    return this.tapesById.get(id);
  }

  get tapes(): IterableIterator<TapeInfo> {
    return this.tapesById.values();
  }

  tapesOf(libraryId: string): TapeInfo[] {
    const library = this.devicesById.get(libraryId);
    if (library?.kind !== 'library') return [];
    return library.tapes.map((t) => this.tapesById.get(t.id)!);
  }

  /** A tape added to a library of the running site (its config file was written first: see addTape). */
  addTape(libraryId: string, tape: { id: string; capacity?: number }): TapeInfo {
    const library = this.devicesById.get(libraryId);
    if (library?.kind !== 'library') throw new Error(`no library "${libraryId}" in this site`);
    if (this.has(tape.id)) throw new Error(`"${tape.id}" is already a device or tape of this site`);
    library.tapes.push(tape.capacity === undefined ? { id: tape.id } : { id: tape.id, capacity: tape.capacity });
    const info: TapeInfo = { id: tape.id, library: libraryId, capacity: tape.capacity ?? library.tapeCapacity };
    this.tapesById.set(tape.id, info);
    return info;
  }

  /** Whether `id` names a device or a tape of this site. */
  has(id: string): boolean {
    return this.devicesById.has(id) || this.tapesById.has(id);
  }

  /** Neighbours over links, in id order (each link once per direction). */
  neighbors(id: string): readonly Adjacent[] {
    return this.adjacency.get(id) ?? [];
  }

  /** Absolute directory of a storage device's file systems. */
  storageRoot(storage: StorageConfig): string {
    return path.resolve(this.dir, storage.root);
  }

  /** Absolute directory of a file-backed library. */
  libraryDir(library: LibraryConfig): string {
    return path.resolve(this.dir, library.dir);
  }
}

export function splitPort(text: string): [string, number] {
  const i = text.lastIndexOf(':');
  return [text.slice(0, i), Number(text.slice(i + 1))];
}

const ID_ORDER = new Intl.Collator('en', { numeric: true });

/** Natural order for ids, so `switch-2` comes before `switch-10`. */
export function compareIds(a: string, b: string): number {
  return ID_ORDER.compare(a, b);
}
