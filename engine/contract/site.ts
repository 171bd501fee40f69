// What a site looks like to its operator: every device with its live state and holder, the
// tapes of each library with their fill, the links between ports, and the backup targets.
import { z } from 'zod';
import { DeviceKind, Holder, ResourceState, Zone } from './inventory';

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
