// Benchmark of the resource and path selectors on a 10,000-device core-edge SAN: the time to
// plan and then reserve 2 and 3 independent streams (release is not timed), over many trials
// that vary the storage and the constraints. Prints one JSON line per figure on stdout.
//   node --import tsx test/bench/allocation.bench.ts
import { performance } from 'node:perf_hooks';
import { Allocator, AllocationError } from '../../engine/allocation';
import type { StreamRequestInput } from '../../engine/contract';
import { Inventory, SiteModel, validateSiteConfig } from '../../engine/site';
import { coreEdgeSite } from '../helpers/sitesCoreEdge';
import { median, percentile, report } from './report';

const DEVICES = 10_000;
const WARM_UP = 30;
const TRIALS = 300;

const fixture = coreEdgeSite({ devices: DEVICES, cores: 4, edges: 296, seed: 20010329 });
const site = new SiteModel(validateSiteConfig(fixture.config), '/bench-site');
const inventory = new Inventory(site, fixture.loaded, { save() {} });
const allocator = new Allocator(site, inventory);

/** Trial i's request: a storage with enough paths, now and then a mover kind, an exclude or a pin. */
function request(streams: number, i: number): StreamRequestInput {
  const storages = fixture.storageWithPaths(streams);
  const storage = storages[(i * 7) % storages.length]!;
  const base: StreamRequestInput = { streams, storage, mover: i % 4 === 3 ? 'copy-device' : 'backup-server' };
  switch (i % 5) {
    case 1:
      return { ...base, exclude: [fixture.edges[(i * 13) % fixture.edges.length]!, 'core-2'] };
    case 2:
      return { ...base, mover: 'backup-server', constraints: [{ pin: [fixture.servers[(i * 31) % fixture.servers.length]!] }] };
    case 3:
      return { ...base, constraints: [{}, { exclude: [fixture.edges[(i * 17) % fixture.edges.length]!] }] };
    default:
      return base;
  }
}

interface Timings {
  planAndReserve: number[];
  plan: number[];
  failed: number;
}

function measure(streams: number, trials: number, offset: number): Timings {
  const timings: Timings = { planAndReserve: [], plan: [], failed: 0 };
  for (let i = 0; i < trials; i++) {
    const job = offset + i + 1;
    const r = request(streams, offset + i);
    const start = performance.now();
    allocator.plan(r);
    const planned = performance.now();
    try {
      allocator.reserve(job, r);
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      timings.failed++;
    }
    const done = performance.now();
    timings.plan.push(planned - start);
    timings.planAndReserve.push(done - start);
    allocator.release(job);
  }
  return timings;
}

measure(2, WARM_UP, 100_000);
measure(3, WARM_UP, 200_000);
for (const streams of [2, 3]) {
  const timings = measure(streams, TRIALS, streams * 1000);
  report('allocation', `reserve_${streams}_median_ms`, median(timings.planAndReserve), 'ms');
  report('allocation', `reserve_${streams}_p95_ms`, percentile([...timings.planAndReserve].sort((a, b) => a - b), 95), 'ms');
  report('allocation', `plan_${streams}_median_ms`, median(timings.plan), 'ms');
  console.error(`${streams} streams: ${TRIALS - timings.failed} of ${TRIALS} reservations succeeded`);
}
