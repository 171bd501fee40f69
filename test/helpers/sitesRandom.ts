// Random small SANs for property tests: up to 7 switches, 4 backup servers, 3 copy devices and
// 4 libraries (0-3 tapes each), 1-2 storage devices, random links (parallel links included),
// random states and tape fill levels, and random stream requests that are valid by construction.
// Sparse sites often have too few streams; dense ones (meshed switches, storage on up to four
// switches, few devices out of service) often have three or four.
import fc from 'fast-check';
import type { ResourceStatus, StreamRequestInput, TapeUsage } from '../../engine/contract';
import type { SiteSketch } from './sites';

export interface RandomSite {
  sketch: SiteSketch;
  statuses: ResourceStatus[];
  tapes: TapeUsage[];
  /** Ids by role, for building requests. */
  storage: string[];
  servers: string[];
  copies: string[];
  libraries: string[];
  tapeIds: string[];
  switches: string[];
}

const MiB = 2 ** 20;
const state = (available: number) =>
  fc.oneof(
    { weight: available, arbitrary: fc.constant('available' as const) },
    { weight: 1, arbitrary: fc.constant('unavailable' as const) },
    { weight: 1, arbitrary: fc.constant('in-use' as const) },
  );

export const randomSite = smallSite(false);
export const denseSite = smallSite(true);

function smallSite(dense: boolean): fc.Arbitrary<RandomSite> {
  const someTapes = fc.integer({ min: 1, max: 3 });
  const tapeCount = dense ? someTapes : fc.oneof({ weight: 5, arbitrary: someTapes }, { weight: 1, arbitrary: fc.constant(0) });
  return fc
    .record({
      switches: dense
        ? fc.integer({ min: 4, max: 7 })
        : fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 6, arbitrary: fc.integer({ min: 2, max: 7 }) }),
      servers: fc.integer({ min: dense ? 3 : 2, max: 4 }),
      copies: fc.integer({ min: 1, max: 3 }),
      tapesPerLibrary: fc.array(tapeCount, { minLength: dense ? 3 : 2, maxLength: 4 }),
      storage: fc.integer({ min: 1, max: 2 }),
    })
    .chain((shape) => {
      const switches = ids('sw', shape.switches);
      const servers = ids('srv', shape.servers);
      const copies = ids('cp', shape.copies);
      const libraries = ids('lib', shape.tapesPerLibrary.length);
      const tapeIds = shape.tapesPerLibrary.flatMap((count, l) => ids(`t${l}-`, count));
      const storage = ids('st', shape.storage);
      const devices = [...storage, ...servers, ...copies, ...libraries, ...switches];
      const resources = [...devices.filter((id) => !id.startsWith('st')), ...tapeIds];
      return fc.record({
        links: fc.array(fc.tuple(fc.nat(devices.length - 1), fc.nat(devices.length - 1)), { maxLength: 6 }),
        // Switch i > 0 links to an earlier one (or not, when the draw is i itself), plus extra links.
        uplinks: fc.array(fc.nat(7), { minLength: 7, maxLength: 7 }),
        switchLinks: fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { minLength: dense ? 6 : 2, maxLength: dense ? 14 : 10 }),
        states: fc.array(state(dense ? 40 : 16), { minLength: resources.length, maxLength: resources.length }),
        fills: fc.array(fc.constantFrom(0, 0, 1, 100, 256), { minLength: tapeIds.length, maxLength: tapeIds.length }),
        // Most devices hang off one or two switches, as in a SAN.
        attached: fc.array(fc.array(fc.nat(7), { minLength: 1, maxLength: 3 }), { minLength: devices.length, maxLength: devices.length }),
      }).map(({ links, uplinks, switchLinks, states, fills, attached }): RandomSite => {
        const pairs: [string, string][] = [];
        for (const [a, b] of links) if (a !== b) pairs.push([devices[a]!, devices[b]!]);
        if (switches.length > 0) {
          switches.forEach((id, i) => {
            const up = uplinks[i]! % (i + 1);
            if (up !== i) pairs.push([id, switches[up]!]);
          });
          for (const [a, b] of switchLinks) {
            if (a % switches.length !== b % switches.length) pairs.push([switches[a % switches.length]!, switches[b % switches.length]!]);
          }
          devices.forEach((id, i) => {
            if (id.startsWith('sw')) return;
            // Storage devices are attached to at least two switches (four when dense).
            const first = attached[i]![0]!;
            const extra = dense ? [first + 1, first + 2, first + 3] : [first + 1];
            const at = id.startsWith('st') ? [...attached[i]!, ...extra] : attached[i]!;
            for (const s of new Set(at.map((a) => a % switches.length))) pairs.push([id, switches[s]!]);
          });
        }
        const libraryTapes: Record<string, string[]> = {};
        libraries.forEach((library, l) => (libraryTapes[library] = tapeIds.filter((t) => t.startsWith(`t${l}-`))));
        const statuses: ResourceStatus[] = resources.map((id, i) => {
          const state = states[i]!;
          return { id, state, holder: state === 'in-use' ? { jobId: 90 + (i % 3), stream: i % 2 } : null };
        });
        const tapes = tapeIds.map((id, i) => ({ id, usedBytes: Math.min(fills[i]!, 255) * MiB, full: fills[i] === 256 }));
        return {
          sketch: { storage, servers, copies, libraries: libraryTapes, switches, links: pairs },
          statuses,
          tapes,
          storage,
          servers,
          copies,
          libraries,
          tapeIds,
          switches,
        };
      });
    });
}

/** A request for 2-4 streams with a few pins and excludes that do not contradict each other. */
export function randomRequest(site: RandomSite): fc.Arbitrary<StreamRequestInput> {
  const pick = (list: string[]) => (list.length === 0 ? fc.constant(undefined) : sometimes(fc.constantFrom(...list)));
  const excludable = [...site.servers, ...site.copies, ...site.libraries, ...site.switches, ...site.tapeIds];
  const constraint = fc.record({
    mover: pick([...site.servers, ...site.copies]),
    library: pick([...site.libraries, ...site.tapeIds]),
    switch: pick(site.switches),
    exclude: pick(excludable),
  });
  return fc
    .record({
      streams: fc.oneof({ weight: 6, arbitrary: fc.constant(2) }, { weight: 2, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.constant(4) }),
      mover: fc.constantFrom<'backup-server' | 'copy-device'>('backup-server', 'backup-server', 'backup-server', 'copy-device'),
      constraints: sometimes(fc.array(constraint, { minLength: 1, maxLength: 4 })),
      exclude: sometimes(fc.constantFrom(...excludable)),
    })
    .map(({ streams, mover, constraints, exclude }) => {
      const kindOk = (id: string) => (mover === 'backup-server' ? !id.startsWith('cp') : !id.startsWith('srv'));
      const libraryOf = (id: string) => (id.startsWith('t') ? `lib${id.slice(1, id.indexOf('-'))}` : id);
      const pinned = new Set<string>();
      const excluded = exclude ? [exclude] : [];
      const built = (constraints ?? []).slice(0, streams).map((c) => {
        const pin = [c.mover, c.library, c.switch].filter(
          (id): id is string => id !== undefined && kindOk(id) && !excluded.includes(id) && !excluded.includes(libraryOf(id)),
        );
        const fresh = pin.filter((id) => !pinned.has(libraryOf(id)));
        fresh.forEach((id) => pinned.add(libraryOf(id)));
        const own = c.exclude && !fresh.some((id) => id === c.exclude || libraryOf(id) === c.exclude || libraryOf(id) === libraryOf(c.exclude!)) ? [c.exclude] : [];
        return { pin: fresh, exclude: own };
      });
      return { streams, mover, storage: site.storage[0], constraints: built, exclude: excluded };
    });
}

/** The value one time in four, else undefined. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
