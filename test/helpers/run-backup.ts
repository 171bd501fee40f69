// A manager process for crash tests: opens a site, runs one backup and says when it runs.
// Usage: node --import tsx test/helpers/run-backup.ts SITE TARGET MODE CHUNK [FAULT...]
import { Engine } from '../../engine';
import { BackupMode, parseFault } from '../../engine/contract';

const [site, target, mode, chunk, ...faults] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const engine = await Engine.open(site);
engine.onJobEvent((event) => {
  if (event.type === 'job-state') process.stdout.write(`job ${event.jobId} ${event.state}\n`);
});
const result = await engine.backup({ target, mode: BackupMode.parse(mode), chunkSize: Number(chunk), faults: faults.map(parseFault) });
engine.close();
process.stdout.write(`finished ${result.job.state}\n`);
