// The site config being edited, as plain JSON (docs/site-config.md): its devices and links read
// without trusting their shape (the operator may type anything in the JSON view; the engine's
// check says what is wrong), and the edits the form makes: a device of a kind added with a free
// id, renamed (its links and drill faults follow), removed (with its links); links, tapes and
// volumes added and removed. Every edit changes the document in place; fields left empty are
// taken out, so the engine's default applies.
import type { DeviceKind, SiteConfigDocument } from '../../../engine/contract';
import { KIND_ORDER } from '../stores/site';

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface DeviceEntry {
  /** Its place in `devices` (problems name it: `devices[3].ports`). */
  index: number;
  device: JsonObject;
  /** Null when the kind is none the site knows. */
  kind: DeviceKind | null;
}

export interface LinkEntry {
  index: number;
  link: JsonObject;
}

function listOf(doc: SiteConfigDocument, key: 'devices' | 'links'): unknown[] {
  const list = doc[key];
  return Array.isArray(list) ? list : [];
}

function kindOf(device: JsonObject): DeviceKind | null {
  return (KIND_ORDER as readonly unknown[]).includes(device.kind) ? (device.kind as DeviceKind) : null;
}

export function devicesOf(doc: SiteConfigDocument): DeviceEntry[] {
  return listOf(doc, 'devices').flatMap((device, index) => (isObject(device) ? [{ index, device, kind: kindOf(device) }] : []));
}

export function linksOf(doc: SiteConfigDocument): LinkEntry[] {
  return listOf(doc, 'links').flatMap((link, index) => (isObject(link) ? [{ index, link }] : []));
}

/** How many ports a device has: its `ports`, or the default (1; a switch has no default). */
export function portsOf(device: JsonObject): number {
  if (device.ports === undefined) return kindOf(device) === 'switch' ? 0 : 1;
  return typeof device.ports === 'number' && Number.isInteger(device.ports) && device.ports > 0 ? Math.min(device.ports, 256) : 0;
}

export interface PortEnd {
  device: string;
  port: number;
}

/** `switch-1:4` -> { device: 'switch-1', port: 4 }; null when the text is not a port. */
export function splitEnd(text: unknown): PortEnd | null {
  if (typeof text !== 'string') return null;
  const match = /^(.+):(\d{1,3})$/.exec(text);
  return match ? { device: match[1]!, port: Number(match[2]) } : null;
}

export function joinEnd(end: PortEnd): string {
  return `${end.device}:${end.port}`;
}

/** Every wired port (`switch-1:4`) and the end that wires it (`links[2].b`). */
export function wiredPorts(doc: SiteConfigDocument): Map<string, string> {
  const wired = new Map<string, string>();
  for (const { index, link } of linksOf(doc)) {
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      if (typeof end === 'string' && end !== '' && !wired.has(end)) wired.set(end, `links[${index}].${side}`);
    }
  }
  return wired;
}

/** Every id in use, of devices and of tapes (they share one namespace). */
export function usedIds(doc: SiteConfigDocument): Set<string> {
  const ids = new Set<string>();
  for (const { device } of devicesOf(doc)) {
    if (typeof device.id === 'string') ids.add(device.id);
    if (Array.isArray(device.tapes)) for (const tape of device.tapes) if (isObject(tape) && typeof tape.id === 'string') ids.add(tape.id);
  }
  return ids;
}

const ID_PREFIX: Record<DeviceKind, string> = {
  host: 'host',
  storage: 'storage',
  switch: 'switch',
  'backup-server': 'server',
  'copy-device': 'copy',
  library: 'library',
};

/** The first `prefix-N` no device or tape has. */
export function freeId(doc: SiteConfigDocument, kind: DeviceKind): string {
  const used = usedIds(doc);
  let n = 1;
  while (used.has(`${ID_PREFIX[kind]}-${n}`)) n++;
  return `${ID_PREFIX[kind]}-${n}`;
}

/** The number in a fresh id (`switch-5` -> 5), for its default name. */
export function idNumber(id: string): string {
  return /-(\d+)$/.exec(id)?.[1] ?? id;
}

/** Ports a new switch has: enough to wire a few devices. */
export const NEW_SWITCH_PORTS = 8;

/** A new device of `kind` with the fields it needs. */
export function newDevice(kind: DeviceKind, id: string, name: string): JsonObject {
  switch (kind) {
    case 'switch':
      return { kind, id, name, ports: NEW_SWITCH_PORTS };
    case 'storage':
      return { kind, id, name, ports: 1, root: id, volumes: {} };
    case 'library':
      return { kind, id, name, ports: 1, dir: `libraries/${id}`, tapes: [] };
    default:
      return { kind, id, name, ports: 1 };
  }
}

function devices(doc: SiteConfigDocument): unknown[] {
  if (!Array.isArray(doc.devices)) doc.devices = [];
  return doc.devices as unknown[];
}

function links(doc: SiteConfigDocument): unknown[] {
  if (!Array.isArray(doc.links)) doc.links = [];
  return doc.links as unknown[];
}

export function addDevice(doc: SiteConfigDocument, device: JsonObject): number {
  return devices(doc).push(device) - 1;
}

/** Whether a link end or a drill fault names `id` (`id:...`). */
function names(text: unknown, id: string): text is string {
  return typeof text === 'string' && text.startsWith(`${id}:`);
}

/** Gives a device another id; links to its ports and drill faults on it follow. */
export function renameDevice(doc: SiteConfigDocument, index: number, id: string): void {
  const device = devices(doc)[index];
  if (!isObject(device)) return;
  const before = device.id;
  device.id = id;
  if (typeof before !== 'string' || before === '' || before === id) return;
  for (const { link } of linksOf(doc)) {
    for (const side of ['a', 'b'] as const) if (names(link[side], before)) link[side] = `${id}${(link[side] as string).slice(before.length)}`;
  }
  if (Array.isArray(doc.faults)) doc.faults = doc.faults.map((fault: unknown) => (names(fault, before) ? `${id}${fault.slice(before.length)}` : fault));
}

/** Removes a device and the links to its ports; answers how many links went. */
export function removeDevice(doc: SiteConfigDocument, index: number): number {
  const [gone] = devices(doc).splice(index, 1);
  if (!isObject(gone) || typeof gone.id !== 'string') return 0;
  const id = gone.id;
  const all = links(doc);
  const kept = all.filter((link) => !(isObject(link) && (names(link.a, id) || names(link.b, id))));
  doc.links = kept;
  return all.length - kept.length;
}

export function addLink(doc: SiteConfigDocument, link: { a: string; b: string }): number {
  return links(doc).push(link) - 1;
}

export function removeLink(doc: SiteConfigDocument, index: number): void {
  links(doc).splice(index, 1);
}

/** Sets a field, or takes it out when `value` is undefined (the engine's default applies). */
export function setField(target: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** What an input for a number or size holds: nothing (the default), a whole number, or text the engine will judge. */
export function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The next tape id of a library: its last tape's number plus one (`A00008` -> `A00009`), free across the site. */
export function nextTapeId(doc: SiteConfigDocument, library: JsonObject): string {
  const used = usedIds(doc);
  const tapes = Array.isArray(library.tapes) ? library.tapes : [];
  const last = [...tapes].reverse().find((t): t is JsonObject => isObject(t) && typeof t.id === 'string');
  const match = last ? /^(.*?)(\d+)$/.exec(last.id as string) : null;
  const stem = match ? match[1]! : `${typeof library.id === 'string' ? library.id : 'tape'}-`;
  const width = match ? match[2]!.length : 1;
  let n = match ? Number(match[2]) + 1 : 1;
  while (used.has(`${stem}${String(n).padStart(width, '0')}`)) n++;
  return `${stem}${String(n).padStart(width, '0')}`;
}

/** A drive letter no volume of the storage has (`Y:`), for a new volume. */
export function freeVolume(volumes: JsonObject): string {
  const letters = 'XYZWVUTSRQPONMLKJIHGFEDCBA';
  return `${[...letters].find((l) => !(`${l}:` in volumes)) ?? 'X'}:`;
}

/** Renames a key of an object, keeping its place among the others. */
export function renameKey(target: JsonObject, from: string, to: string): JsonObject {
  return Object.fromEntries(Object.entries(target).map(([key, value]) => [key === from ? to : key, value]));
}

/** A field's value as an input shows it (a value of the wrong type as its JSON). */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The device at a place of `devices` (null when there is none, or it is no object). */
export function deviceAt(doc: SiteConfigDocument, index: number): JsonObject | null {
  const device = Array.isArray(doc.devices) ? (doc.devices as unknown[])[index] : undefined;
  return isObject(device) ? device : null;
}

/** The link at a place of `links`. */
export function linkAt(doc: SiteConfigDocument, index: number): JsonObject | null {
  const link = Array.isArray(doc.links) ? (doc.links as unknown[])[index] : undefined;
  return isObject(link) ? link : null;
}
