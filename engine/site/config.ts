// The site config file (`site.json`): the devices of a site and how their ports are wired.
// Validated with zod plus cross-checks (unique ids, links to existing ports, one link per port);
// every problem is reported with the JSON path where it is, e.g. `devices[3].ports`.
import { z } from 'zod';
import { MIN_TAPE_CAPACITY, parseFault, parseSize } from '../contract';

export const SITE_CONFIG_FILE = 'site.json';
export const SITE_FORMAT = 'mpbackup-site';

const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const Name = z.string().trim().min(1, 'a name cannot be empty').max(128);

/** Bytes, as a whole number or a string with a unit such as "256MiB". */
const Size = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const bytes = parseSize(value);
  if (bytes === null || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (examples: 268435456, "256MiB", "1GiB")` });
    return z.NEVER;
  }
  return bytes;
});

const Ports = z.number().int().min(1, 'a device has at least 1 port').max(256, 'a device has at most 256 ports');

/** `device-id:port`, ports numbered from 0. */
const PortText = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:\d{1,3}$/, 'expected "device-id:port", e.g. "switch-1:0"');

/** A volume target name such as `X:`. */
const VolumeName = z.string().regex(/^[A-Za-z]:$/, 'a volume target is a drive letter and a colon, e.g. "X:"');

const AgentCommand = z.array(z.string().min(1)).min(1, 'a command needs at least the program');

const Host = z.object({
  kind: z.literal('host'),
  id: Id,
  name: Name,
  ports: Ports.default(1),
  /** Optional agent commands [110] run before (prepare) and after (finish) backing up a target. */
  agent: z
    .record(z.string().min(1), z.object({ prepare: AgentCommand.optional(), finish: AgentCommand.optional() }).strict())
    .default({}),
}).strict();

const Storage = z.object({
  kind: z.literal('storage'),
  id: Id,
  name: Name,
  ports: Ports.default(1),
  /** Directory that holds the storage's file systems; relative paths are inside the site directory. */
  root: z.string().min(1),
  /** Volume targets: `"X:": "volumes/x.img"` (an image file, relative to the site, or a block device). */
  volumes: z.record(VolumeName, z.string().min(1)).default({}),
}).strict();

const BackupServer = z.object({ kind: z.literal('backup-server'), id: Id, name: Name, ports: Ports.default(1) }).strict();
const CopyDevice = z.object({ kind: z.literal('copy-device'), id: Id, name: Name, ports: Ports.default(1) }).strict();

/** A tape's capacity: at least its label and a few records. */
const TapeCapacity = Size.refine((bytes) => bytes >= MIN_TAPE_CAPACITY, `a tape holds at least ${MIN_TAPE_CAPACITY} bytes ("64KiB")`);

const Tape = z.object({ id: Id, capacity: TapeCapacity.optional() }).strict();

const Library = z.object({
  kind: z.literal('library'),
  id: Id,
  name: Name,
  ports: Ports.default(1),
  /** Directory of the file-backed virtual library: one file per tape. Relative to the site. */
  dir: z.string().min(1),
  /** Capacity of a tape that names none. */
  tapeCapacity: TapeCapacity.default(256 * 2 ** 20),
  tapes: z.array(Tape),
  /** Milliseconds to load (mount) a tape and to move it to a position: 0 in tests, seconds in the demo. */
  loadDelayMs: z.number().int().min(0).max(600_000).default(0),
  positionDelayMs: z.number().int().min(0).max(600_000).default(0),
}).strict();

const Switch = z.object({ kind: z.literal('switch'), id: Id, name: Name, ports: Ports }).strict();

const Device = z.discriminatedUnion('kind', [Host, Storage, BackupServer, CopyDevice, Library, Switch]);

const Link = z.object({ a: PortText, b: PortText }).strict();

/** A fault injected into every backup of this site, for drills: `"copy-A:crash@chunk=2"`. */
const DrillFault = z.string().transform((text, ctx) => {
  try {
    return parseFault(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

export const SiteConfigSchema = z.object({
  format: z.literal(SITE_FORMAT),
  version: z.literal(1),
  name: Name,
  devices: z.array(Device),
  links: z.array(Link),
  faults: z.array(DrillFault).default([]),
  /** A demo site (`site init --demo`): the operator may inject faults into its running jobs. */
  demo: z.boolean().default(false),
}).strict();

export type SiteConfigInput = z.input<typeof SiteConfigSchema>;
export type SiteConfig = z.output<typeof SiteConfigSchema>;
export type DeviceConfig = SiteConfig['devices'][number];
export type HostConfig = z.output<typeof Host>;
export type StorageConfig = z.output<typeof Storage>;
export type LibraryConfig = z.output<typeof Library>;
export type LinkConfig = z.output<typeof Link>;

/** A problem in a site config, with the JSON path where it is. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class SiteConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const lines = problems.map((p) => `${file}: ${p.path || '(top level)'}: ${p.message}`);
    super(lines.join('\n'));
    this.name = 'SiteConfigError';
  }
}

/** `["devices", 3, "ports"]` -> `devices[3].ports` */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Validates parsed JSON as a site config; throws SiteConfigError listing every problem. */
export function validateSiteConfig(raw: unknown, file = SITE_CONFIG_FILE): SiteConfig {
  const parsed = SiteConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SiteConfigError(
      file,
      parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new SiteConfigError(file, problems);
  return parsed.data;
}

/** Parses the text of a site config file. */
export function parseSiteConfig(text: string, file = SITE_CONFIG_FILE): SiteConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SiteConfigError(file, [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return validateSiteConfig(raw, file);
}

/** Checks that need the whole config: unique ids, wiring to existing free ports. */
function crossCheck(config: SiteConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const where = new Map<string, string>();
  const tapeIds = new Set(config.devices.flatMap((d) => (d.kind === 'library' ? d.tapes.map((t) => t.id) : [])));
  config.faults.forEach((fault, i) => {
    if (!config.devices.some((d) => d.id === fault.device) && !tapeIds.has(fault.device)) {
      problems.push({ path: `faults[${i}]`, message: `no device or tape "${fault.device}"` });
    }
  });
  const claim = (id: string, path: string) => {
    const first = where.get(id);
    if (first !== undefined) problems.push({ path, message: `duplicate id "${id}" (first used at ${first})` });
    else where.set(id, path);
  };
  const ports = new Map<string, number>();
  config.devices.forEach((device, i) => {
    claim(device.id, `devices[${i}].id`);
    ports.set(device.id, device.ports);
    if (device.kind === 'library') device.tapes.forEach((tape, j) => claim(tape.id, `devices[${i}].tapes[${j}].id`));
  });

  const used = new Map<string, string>();
  config.links.forEach((link, i) => {
    const ends = (['a', 'b'] as const).map((side) => {
      const path = `links[${i}].${side}`;
      const [device, portText] = link[side].split(':') as [string, string];
      const port = Number(portText);
      const count = ports.get(device);
      if (count === undefined) {
        problems.push({ path, message: `no device "${device}"` });
        return null;
      }
      if (port >= count) {
        problems.push({ path, message: `"${device}" has ports 0 to ${count - 1}, not ${port}` });
        return null;
      }
      const key = `${device}:${port}`;
      const other = used.get(key);
      if (other !== undefined) problems.push({ path, message: `port ${key} is already wired at ${other}` });
      else used.set(key, path);
      return device;
    });
    if (ends[0] !== null && ends[0] === ends[1]) {
      problems.push({ path: `links[${i}]`, message: `a link joins two different devices, not "${ends[0]}" to itself` });
    }
  });
  return problems;
}
