// A manager process for crash tests of the reliability suite: opens a site (no warm movers), runs
// one backup or one restore and reports on stdout as it goes, so the test can kill it (SIGKILL) at
// a moment of its choosing. It never closes the site unless the job ends first.
// Usage:
//   node --import tsx test/helpers/job-child.ts backup SITE TARGET MODE CHUNK [FAULT...]
//   node --import tsx test/helpers/job-child.ts restore SITE BACKUP_ID DESTINATION [PATH...]
// Prints `job ID STATE` at each state change, `chunks N` as progress arrives (N: chunks of the
// stream stored or read so far) and `finished STATE` at the end.
import { Engine } from '../../engine';
import { BackupMode, parseFault } from '../../engine/contract';

const [kind, site, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const engine = await Engine.open(site);
engine.onJobEvent((event) => {
  if (event.type === 'job-state') process.stdout.write(`job ${event.jobId} ${event.state}\n`);
  if (event.type === 'progress') process.stdout.write(`chunks ${event.streams.reduce((n, s) => Math.max(n, s.chunks), 0)}\n`);
});
let state: string;
if (kind === 'backup') {
  const [target, mode, chunk, ...faults] = rest as [string, string, string, ...string[]];
  state = (await engine.backup({ target, mode: BackupMode.parse(mode), chunkSize: Number(chunk), faults: faults.map(parseFault) })).job.state;
} else if (kind === 'restore') {
  const [backupId, destination, ...paths] = rest as [string, string, ...string[]];
  state = (await engine.restore({ backupId: Number(backupId), destination, paths })).job.state;
} else {
  throw new Error(`unknown job kind ${kind}`);
}
engine.close();
process.stdout.write(`finished ${state}\n`);
