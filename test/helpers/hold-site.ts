// Child process for crash tests: opens a site, starts a job that reserves streams, prints
// "held <jobId>" and waits to be killed (it never closes the site).
import { Engine } from '../../engine';

const [dir, streams = '2'] = process.argv.slice(2);
const engine = await Engine.open(dir!);
const job = engine.catalog.jobs.create({ kind: 'backup', target: '/movies', mode: 'mirrored', streams: Number(streams), createdAt: engine.now() });
engine.catalog.jobs.setState(job.id, 'running', engine.now());
engine.reserve(job.id, { streams: Number(streams) });
process.stdout.write(`held ${job.id}\n`);
setInterval(() => {}, 1000);
