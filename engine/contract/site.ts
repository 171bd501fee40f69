// What a site looks like to its operator: every device with its live state and holder, the
// tapes of each library with their fill, the links between ports, and the backup targets.
import { z } from 'zod';
import { DeviceKind, Holder, ResourceState, Zone } from './inventory';

/** The smallest tape a library may have: its label and a few records (site.json and labelTape refuse less). */
export const MIN_TAPE_CAPACITY = 64 * 1024;

export const TapeView = z.object({
  id: z.string(),
  state: ResourceState,
  holder: Holder.nullable(),
  capacity: z.number().int().nonnegative(),
  usedBytes: z.number().int().nonnegative(),
  full: z.boolean(),
});
export type TapeView = z.infer<typeof TapeView>;

export const DeviceView = z.object({
  id: z.string(),
  kind: DeviceKind,
  name: z.string(),
  state: ResourceState,
  holder: Holder.nullable(),
  ports: z.number().int().positive(),
  /** Libraries only. */
  tapes: z.array(TapeView).optional(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const LinkView = z.object({ a: z.string(), b: z.string() });
export type LinkView = z.infer<typeof LinkView>;

export const TargetKind = z.enum(['volume', 'directory', 'file']);
export type TargetKind = z.infer<typeof TargetKind>;

/** Something that can be backed up: a volume such as `X:` or a path such as `/pictures`. */
export const TargetView = z.object({ name: z.string(), kind: TargetKind, storage: z.string() });
export type TargetView = z.infer<typeof TargetView>;

export const SiteView = z.object({
  name: z.string(),
  dir: z.string(),
  /** A demo site (made by `site init --demo`): faults may be injected into its running jobs. */
  demo: z.boolean(),
  devices: z.array(DeviceView),
  links: z.array(LinkView),
  targets: z.array(TargetView),
  zones: z.array(Zone),
});
export type SiteView = z.infer<typeof SiteView>;

/** A site's config as its `site.json` holds it (docs/site-config.md): a JSON object. */
export const SiteConfigDocument = z.record(z.string(), z.unknown());
export type SiteConfigDocument = z.infer<typeof SiteConfigDocument>;

/** JSON with every object's keys in order, so two documents that differ only in key order compare equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

/** What is wrong with a site config, each at its place (`devices[3].ports`); empty when nothing is. */
export const ConfigCheck = z.object({
  ok: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ConfigCheck = z.infer<typeof ConfigCheck>;

/** The site a host shows changed: another one was opened or created, or its config was saved and it reopened. */
export const SiteChange = z.object({
  reason: z.enum(['opened', 'created', 'config-saved']),
  dir: z.string(),
  name: z.string(),
});
export type SiteChange = z.infer<typeof SiteChange>;

/** A directory for a site: an absolute path. */
export const SiteDir = z.string().min(1).max(4096).refine((dir) => dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir), 'a site directory is an absolute path');
