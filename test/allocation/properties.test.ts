// Property tests over random small SANs (at most 7 switches, 4 movers of a kind, 4 libraries):
// the allocator agrees with a brute-force search, and any sequence of reservations, releases and
// state changes keeps the inventory consistent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Allocator, AllocationError } from '../../engine/allocation';
import type { PlannedStream, ResourceStatus, StreamRequestInput } from '../../engine/contract';
import { InventoryError } from '../../engine/site';
import { sketchSite, snapshot } from '../helpers/sites';
import { denseSite, randomRequest, randomSite, type RandomSite } from '../helpers/sitesRandom';
import { bruteForce, streamProblems } from './bruteForce';

function open(random: RandomSite, preference?: (id: string) => number) {
  const test = sketchSite(random.sketch, { statuses: random.statuses, zones: [], tapes: random.tapes });
  return { ...test, allocator: new Allocator(test.site, test.inventory, { preference }) };
}

const anySite = fc.oneof(randomSite, denseSite);

/** Preferences 0-3 drawn per device id from a seed. */
const preferenceOf = (seed: number) => (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0) + seed) % 1009, seed) % 4;

const totalPreference = (streams: PlannedStream[], preference: (id: string) => number) =>
  streams.reduce((sum, s) => sum + [s.mover, s.library, ...s.switches].reduce((w, id) => w + preference(id), 0), 0);

describe('the allocator against brute force on small sites', () => {
  it('finds k independent streams exactly when they exist, with the fewest hops, then the most preferred', () => {
    fc.assert(
      fc.property(
        anySite.chain((site) => fc.tuple(fc.constant(site), randomRequest(site), fc.option(fc.nat(50), { nil: undefined }))),
        ([random, request, seed]) => {
          const preference = seed === undefined ? () => 0 : preferenceOf(seed);
          const { site, inventory, allocator } = open(random, preference);
          const oracle = bruteForce(site, inventory, request, preference);
          const plan = allocator.plan(request);
          expect(plan.feasible, plan.reason ?? '').toBe(oracle.cheapest !== null);
          if (plan.feasible) {
            expect(streamProblems(site, inventory, request, plan.streams)).toEqual([]);
            expect(plan.streams.reduce((sum, s) => sum + s.path.length, 0)).toBe(oracle.cheapest);
            expect(totalPreference(plan.streams, preference)).toBe(oracle.preference);
          } else {
            expect(plan.reason).not.toMatch(/search stopped/);
            expect(plan.streams.length).toBeLessThan(request.streams ?? 2);
            // The streams returned are the most there are: one more would be too many.
            const fewer = { ...request, streams: plan.streams.length, constraints: request.constraints?.slice(0, plan.streams.length) };
            if (plan.streams.length > 0) expect(streamProblems(site, inventory, fewer, plan.streams)).toEqual([]);
            const more = { ...request, streams: plan.streams.length + 1, constraints: request.constraints?.slice(0, plan.streams.length + 1) };
            expect(bruteForce(site, inventory, more).cheapest).toBeNull();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('feasibility is the largest number of streams the brute force finds', () => {
    fc.assert(
      fc.property(anySite, fc.constantFrom('backup-server' as const, 'copy-device' as const), (random, mover) => {
        const { site, inventory, allocator } = open(random);
        const count = allocator.feasibility(mover, random.storage[0]);
        const exists = (streams: number) => bruteForce(site, inventory, { streams, mover, storage: random.storage[0] }).cheapest !== null;
        if (count > 0) expect(exists(count)).toBe(true);
        expect(exists(count + 1)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

type Operation =
  | { kind: 'reserve'; jobId: number; request: StreamRequestInput }
  | { kind: 'release'; jobId: number }
  | { kind: 'set-state'; id: string; state: 'available' | 'unavailable' };

function operations(random: RandomSite): fc.Arbitrary<Operation[]> {
  const jobId = fc.integer({ min: 1, max: 3 });
  const resources = [...random.servers, ...random.copies, ...random.libraries, ...random.switches, ...random.tapeIds];
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('reserve' as const), jobId, request: randomRequest(random) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), jobId }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('set-state' as const),
        id: fc.constantFrom(...resources),
        state: fc.constantFrom('available' as const, 'unavailable' as const),
      }),
    },
  );
  return fc.array(operation, { minLength: 1, maxLength: 10 });
}

describe('reserve, release and state changes in any order', () => {
  it('keep every reservation whole, exact and undoable', () => {
    fc.assert(
      fc.property(
        anySite.chain((site) => fc.tuple(fc.constant(site), operations(site))),
        ([random, ops]) => {
          const { site, inventory, allocator } = open(random);
          /** What each job took, with the states before it did. */
          const before = new Map<number, ResourceStatus[]>();
          for (const op of ops) {
            const prior = snapshot(inventory);
            if (op.kind === 'reserve') {
              const plan = allocator.plan(op.request);
              expect(snapshot(inventory)).toEqual(prior);
              const problems = plan.feasible ? streamProblems(site, inventory, op.request, plan.streams) : [];
              const oracle = bruteForce(site, inventory, op.request);
              let streams: PlannedStream[];
              try {
                streams = allocator.reserve(op.jobId, op.request);
              } catch (error) {
                // Never an InventoryError: the allocator never asks for a resource another job holds.
                expect(error).toBeInstanceOf(AllocationError);
                expect(snapshot(inventory)).toEqual(prior);
                if (before.has(op.jobId)) expect((error as Error).message).toMatch(/already holds resources/);
                else {
                  expect((error as Error).message).toBe(plan.reason);
                  expect(oracle.cheapest).toBeNull();
                }
                continue;
              }
              expect(before.has(op.jobId)).toBe(false);
              expect(streams).toEqual(plan.streams);
              expect(problems).toEqual([]);
              const taken = new Map(streams.flatMap((s) => [s.mover, s.library, s.tape, ...s.switches].map((id) => [id, s.stream])));
              for (const status of inventory.statuses()) {
                const stream = taken.get(status.id);
                if (stream === undefined) expect(prior.statuses).toContainEqual(status);
                else expect(status).toEqual({ id: status.id, state: 'in-use', holder: { jobId: op.jobId, stream } });
              }
              expect(inventory.zones().filter((z) => z.jobId === op.jobId).map((z) => z.name)).toEqual(streams.map((s) => `job${op.jobId}-stream${s.stream}`));
              before.set(op.jobId, prior.statuses.filter((s) => taken.has(s.id)));
            } else if (op.kind === 'release') {
              const released = allocator.release(op.jobId);
              const restored = before.get(op.jobId) ?? [];
              expect(released.map((s) => s.id).sort()).toEqual(restored.map((s) => s.id).sort());
              for (const status of restored) expect(inventory.status(status.id)).toEqual(status);
              expect(inventory.zones().some((z) => z.jobId === op.jobId)).toBe(false);
              before.delete(op.jobId);
            } else {
              try {
                inventory.setState(op.id, op.state);
              } catch (error) {
                expect(error).toBeInstanceOf(InventoryError);
                expect(snapshot(inventory)).toEqual(prior);
              }
            }
            // Every zone belongs to a job that holds its switches for that stream.
            for (const zone of inventory.zones()) {
              for (const s of zone.switches) expect(inventory.status(s).holder).toEqual({ jobId: zone.jobId, stream: zone.stream });
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
