// Fault injection: a device made to fail at a chosen moment of a backup, for tests, drills and
// the demo. Written `DEVICE:KIND[@WHERE][,rate=SIZE]` on the command line and in the site config,
// e.g. `copy-A:crash@chunk=2`, `switch-2:down@byte=50MiB`, `A00001:media-error@position=1MiB`,
// `server-B:slow@chunk=0,rate=4MiB`.
import { z } from 'zod';
import { parseSize } from './size';

/**
 * - crash: the device dies (a mover's process is killed; a library or storage goes offline);
 * - io-error: the operation at that moment fails with an I/O error;
 * - hang: the device stops answering (found by the command timeout);
 * - slow: from that moment the device moves at most `rate` bytes per second;
 * - down: an FC switch stops passing frames (every stream through it fails);
 * - media-error: a tape cannot be written at that position.
 */
export const FaultKind = z.enum(['crash', 'io-error', 'hang', 'slow', 'down', 'media-error']);
export type FaultKind = z.infer<typeof FaultKind>;

/**
 * When a fault fires: as the device is about to handle chunk N of the backup stream (chunks count
 * from 0), the chunk holding stream byte N, or (tapes) a record that covers tape position N.
 */
export const FaultMoment = z.union([
  z.object({ chunk: z.number().int().nonnegative() }).strict(),
  z.object({ byte: z.number().int().nonnegative() }).strict(),
  z.object({ position: z.number().int().nonnegative() }).strict(),
]);
export type FaultMoment = z.infer<typeof FaultMoment>;

export const DEFAULT_SLOW_RATE = 1024 * 1024;

/**
 * A fault the operator injects now, in a demo site, into the jobs running on a device: it fires
 * as the device handles its next chunk (a mover's crash kills its process at once).
 */
export const LiveFault = z
  .object({
    device: z.string().min(1),
    kind: FaultKind,
    rate: z.number().int().positive().optional(),
  })
  .strict();
export type LiveFault = z.infer<typeof LiveFault>;

/** Where an injected fault went: the running jobs, and their streams, that use the device. */
export const InjectedFault = z.object({
  fault: LiveFault,
  reached: z.array(z.object({ jobId: z.number().int().positive(), streams: z.array(z.number().int().nonnegative()) })),
});
export type InjectedFault = z.infer<typeof InjectedFault>;

export const Fault = z
  .object({
    device: z.string().min(1),
    kind: FaultKind,
    at: FaultMoment,
    /** Bytes per second, for `slow`. */
    rate: z.number().int().positive().optional(),
  })
  .strict();
export type Fault = z.infer<typeof Fault>;

const SPEC = /^([A-Za-z0-9][A-Za-z0-9._-]*):([a-z-]+)(?:@(chunk|byte|position)=([^,]+))?(?:,rate=(.+))?$/;

/** Parses `DEVICE:KIND[@WHERE=N][,rate=SIZE]`; throws an Error saying what is wrong. */
export function parseFault(text: string): Fault {
  const m = SPEC.exec(text.trim());
  const form = 'expected DEVICE:KIND[@chunk=N|@byte=N|@position=N][,rate=SIZE], e.g. "copy-A:crash@chunk=2"';
  if (!m) throw new Error(`"${text}": ${form}`);
  const [, device, kindText, where, amount, rateText] = m as unknown as [string, string, string, string?, string?, string?];
  const kind = FaultKind.safeParse(kindText);
  if (!kind.success) throw new Error(`"${text}": unknown fault "${kindText}" (one of ${FaultKind.options.join(', ')})`);
  let at: FaultMoment = { chunk: 0 };
  if (where !== undefined) {
    const n = where === 'chunk' ? wholeNumber(amount!) : parseSize(amount!);
    if (n === null) throw new Error(`"${text}": ${where} must be ${where === 'chunk' ? 'a whole number' : 'a byte count such as 4096 or 8MiB'}`);
    at = where === 'chunk' ? { chunk: n } : where === 'byte' ? { byte: n } : { position: n };
  }
  if (rateText !== undefined && kind.data !== 'slow') throw new Error(`"${text}": only a slow fault takes a rate`);
  const rate = rateText === undefined ? undefined : parseSize(rateText);
  if (rate === null || rate === 0) throw new Error(`"${text}": rate must be a size per second such as 4MiB`);
  return { device, kind: kind.data, at, ...(kind.data === 'slow' ? { rate: rate ?? DEFAULT_SLOW_RATE } : {}) };
}

/** The inverse of parseFault. */
export function formatFault(fault: Fault): string {
  const [where, n] = Object.entries(fault.at)[0] as [string, number];
  return `${fault.device}:${fault.kind}@${where}=${n}${fault.rate !== undefined ? `,rate=${fault.rate}` : ''}`;
}

function wholeNumber(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
