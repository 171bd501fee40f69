// Live inventory of a site: the state of every device and tape, who holds it, and the zones
// applied to the FC switches. These shapes travel from the engine to the catalog and the UI.
import { z } from 'zod';

/** Device kinds of SPEC.md, Fig. 1. Tapes are not devices: they live inside libraries. */
export const DeviceKind = z.enum(['host', 'storage', 'backup-server', 'copy-device', 'library', 'switch']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** The movers that can carry a stream: backup servers [300] (mirrored) and copy devices [610] (failover). */
export const MoverKind = z.enum(['backup-server', 'copy-device']);
export type MoverKind = z.infer<typeof MoverKind>;

/** State of a device or tape in the tables [420]-[470]. */
export const ResourceState = z.enum(['available', 'in-use', 'unavailable']);
export type ResourceState = z.infer<typeof ResourceState>;

/** The job (process no.) and stream that hold a resource while it is in use. */
export const Holder = z.object({
  jobId: z.number().int().positive(),
  stream: z.number().int().nonnegative(),
});
export type Holder = z.infer<typeof Holder>;

/** State of one resource: a device id or a tape id (ids are unique across both). */
export const ResourceStatus = z
  .object({
    id: z.string().min(1),
    state: ResourceState,
    holder: Holder.nullable(),
  })
  .refine((s) => (s.state === 'in-use') === (s.holder !== null), {
    message: 'a resource has a holder exactly when it is in use',
  });
export type ResourceStatus = z.infer<typeof ResourceStatus>;

/** A port of a device, written `device-id:index` in the site config. */
export const PortRef = z.object({ device: z.string().min(1), port: z.number().int().nonnegative() });
export type PortRef = z.infer<typeof PortRef>;

/**
 * A zone isolates one reserved stream's transfers (SPEC "Zoning", 0077): the ports along the
 * stream's path, applied to every switch on that path, removed when the job releases the stream.
 */
export const Zone = z.object({
  name: z.string().min(1),
  jobId: z.number().int().positive(),
  stream: z.number().int().nonnegative(),
  switches: z.array(z.string().min(1)),
  members: z.array(PortRef),
});
export type Zone = z.infer<typeof Zone>;

/** Fill level of a tape, kept in the catalog as data is written. */
export const TapeUsage = z.object({
  id: z.string().min(1),
  usedBytes: z.number().int().nonnegative(),
  full: z.boolean(),
});
export type TapeUsage = z.infer<typeof TapeUsage>;

/** One atomic, durable change to the live inventory (a reservation, a release, a state change). */
export const InventoryChange = z.object({
  statuses: z.array(ResourceStatus),
  zonesAdded: z.array(Zone),
  /** Every zone of these jobs is removed. */
  zonesRemovedForJobs: z.array(z.number().int().positive()),
});
export type InventoryChange = z.infer<typeof InventoryChange>;
