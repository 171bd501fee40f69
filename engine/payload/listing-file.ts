// A listing on disk: the JSON file a mover process loads to produce its byte ranges. Written
// atomically (an interrupted write leaves the old file, or none, plus at most `<file>.tmp`);
// checked with zod and against the layout on load, so a bad file is refused by name.
import fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../durable';
import { layoutProblem } from './listing';
import type { Listing } from './types';

const offsetSchema = z.int().nonnegative();

const listingSchema = z.object({
  kind: z.enum(['directory', 'file', 'volume']),
  source: z.string().min(1),
  takenAt: z.iso.datetime(),
  size: offsetSchema,
  entries: z.array(
    z.object({
      no: offsetSchema,
      parent: offsetSchema.nullable(),
      path: z.string().min(1),
      name: z.string().min(1),
      type: z.enum(['file', 'directory', 'symlink']),
      size: offsetSchema,
      mtimeMs: z.number(),
      mode: z.int().min(0).max(0o7777),
      linkTarget: z.string().optional(),
      offset: offsetSchema,
      dataOffset: offsetSchema,
    }),
  ),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

/** Writes a listing as JSON, atomically, for the movers of a running job (a crash ends the job, so it need not be durable). */
export function writeListing(file: string, listing: Listing): void {
  writeFileAtomic(file, JSON.stringify(listing), { durable: false });
}

/** Loads a listing; a missing, unparsable, invalid or inconsistent file throws an error naming it. */
export function readListing(file: string): Listing {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read listing ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = listingSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid listing ${file}: ${issues.join('; ')}`);
  }
  const listing: Listing = parsed.data;
  const problem = layoutProblem(listing);
  if (problem) throw new Error(`invalid listing ${file}: ${problem}`);
  return listing;
}
