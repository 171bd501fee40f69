// `mpbackup backup`, `jobs list` and `jobs show`: the JSON shape scripts rely on, the text an
// operator reads, exit codes 0/1/2, fault drills from the site config, and the issue's
// acceptance run through the real bin/mpbackup process on the demo site (real library delays).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, type CliResult } from '../helpers/cli';
import { makeBackupSite } from '../helpers/backup-site';
import { ROOT, useChildren, waitForExit } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

/** Runs bin/mpbackup as its own process. */
async function mpbackup(...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/mpbackup'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  await waitForExit(child);
  return { code: child.exitCode ?? -1, out, err };
}

describe('mpbackup backup and jobs', () => {
  const tempDir = useTempDirs('mpb-cli-backup-');
  useChildren();
  const site = () => makeBackupSite(path.join(tempDir(), 'site'));

  async function streamMovers(dir: string, mover: string): Promise<string[]> {
    const plan = JSON.parse((await cli('streams', 'plan', '--mover', mover, '--site', dir, '--json')).out);
    return plan.streams.map((s: { mover: string }) => s.mover);
  }

  it('prints the job, the backup, its streams and its fragments as JSON', async () => {
    const dir = await site();
    const [first] = await streamMovers(dir, 'copy-device');
    const result = await cli('backup', '/pictures', '--mode', 'failover', '--chunk-size', '64KiB', '--inject', `${first}:crash@chunk=2`, '--site', dir, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(json.job).toMatchObject({ id: 1, status: 'succeeded', target: '/pictures', mode: 'failover' });
    expect(json.backup).toMatchObject({ id: 1, state: 'complete', chunkSize: 65536 });
    expect(json.streams.map((s: Record<string, unknown>) => Object.keys(s).sort())).toEqual(
      Array(2).fill(['bytes', 'error', 'library', 'mover', 'status', 'stream', 'switches', 'tapes']),
    );
    expect(json.streams.map((s: { status: string }) => s.status)).toEqual(['failed', 'completed']);
    expect(json.streams[0].error).toMatch(/crashed at chunk 2/);
    expect(json.fragments).toHaveLength(2);
    for (const f of json.fragments) {
      expect(f).toMatchObject({ copy: 0, library: expect.any(String), tape: expect.any(String), position: expect.any(Number), size: expect.any(Number), offset: expect.any(Number) });
    }
    expect(json.fragments[1].offset).toBe(2 * 65536);
    expect(new Set(json.fragments.map((f: { tape: string }) => f.tape)).size).toBe(2);
  });

  it('tells the operator what happens as it happens, then the streams and fragments', async () => {
    const dir = await site();
    const [first] = await streamMovers(dir, 'copy-device');
    const result = await cli('backup', '/pictures', '--mode', 'failover', '--chunk-size', '64KiB', '--inject', `${first}:io-error@chunk=1`, '--site', dir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/job 1: running/);
    expect(result.out).toMatch(new RegExp(`job 1: stream 0 failed: I/O error on ${first} at chunk 1`));
    expect(result.out).toMatch(/job 1: failover from stream 0 to stream 1 at chunk 1/);
    expect(result.out).toMatch(/job 1: backup of \/pictures \(failover\) succeeded/);
    expect(result.out).toMatch(/STREAM +MOVER +LIBRARY +TAPES +SWITCHES +STATUS +WRITTEN +ERROR/);
    expect(result.out).toMatch(/COPY +STREAM +LIBRARY +TAPE +POSITION +OFFSET +SIZE +CHUNKS/);
  });

  it('exits 1 when every stream failed', async () => {
    const dir = await site();
    const [first, second] = await streamMovers(dir, 'backup-server');
    const result = await cli('backup', '/pictures', '--chunk-size', '64KiB', '--inject', `${first}:crash@chunk=0`, '--inject', `${second}:io-error@chunk=1`, '--site', dir, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).job.status).toBe('failed');
  });

  it.each([
    [['backup', '/nothing'], /no \/nothing on this site's storage/],
    [['backup', '/pictures', '--mode', 'sideways'], /--mode: "mirrored" or "failover"/],
    [['backup', '/pictures', '--chunk-size', 'big'], /--chunk-size: "big" is not a size/],
    [['backup', '/pictures', '--chunk-size', '1KiB'], /chunkSize/],
    [['backup', '/pictures', '--inject', 'copy-A'], /--inject "copy-A": expected DEVICE:KIND/],
    [['backup', '/pictures', '--inject', 'copy-Z:crash@chunk=1'], /no such device or tape/],
    [['backup', '/pictures', '--streams', '1'], /--streams: a whole number from 2 to 8/],
    [['backup', '/pictures', '--timeout', 'abc'], /--timeout: a whole number of milliseconds/],
    [['backup'], /usage: mpbackup backup TARGET/],
    [['jobs', 'show', '99'], /no job 99/],
  ])('%j is bad input: exit 2, one line, no job', async (args, message) => {
    const dir = await site();
    const result = await cli(...args, '--site', dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs).toEqual([]);
  });

  it('lists jobs newest first and shows one with its streams, fragments and log', async () => {
    const dir = await site();
    expect((await cli('backup', '/pictures', '--mode', 'failover', '--chunk-size', '64KiB', '--site', dir)).code).toBe(0);
    expect((await cli('backup', 'X:', '--chunk-size', '64KiB', '--site', dir)).code).toBe(0);
    const list = JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs;
    expect(list.map((j: { id: number; target: string; state: string }) => [j.id, j.target, j.state])).toEqual([
      [2, 'X:', 'succeeded'],
      [1, '/pictures', 'succeeded'],
    ]);
    expect((await cli('jobs', 'list', '--site', dir)).out).toMatch(/^JOB +KIND +TARGET +MODE +STATE/);
    const shown = await cli('jobs', 'show', '1', '--site', dir);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/job 1: backup of \/pictures \(failover\) succeeded/);
    expect(shown.out).toMatch(/info +reserved stream 0: copy-/);
    const json = JSON.parse((await cli('jobs', 'show', '2', '--site', dir, '--json')).out);
    expect(json.backup.target).toBe('X:');
    expect(json.fragments.length).toBeGreaterThan(0);
    expect(json.log.at(-1).message).toMatch(/backup of X: succeeded/);
  });

  it('fires a drill fault from the site config without --inject', async () => {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'), { faults: ['copy-A:crash@chunk=1'] });
    const result = JSON.parse((await cli('backup', '/pictures', '--mode', 'failover', '--chunk-size', '64KiB', '--site', dir, '--json')).out);
    expect(result.job.status).toBe('succeeded');
    expect(result.streams.find((s: { mover: string }) => s.mover === 'copy-A')).toMatchObject({ status: 'failed', error: expect.stringMatching(/chunk 1/) });
  });

  it('on the demo site, a failover backup survives a crashing copy device and a mirrored one a crashing server', async () => {
    const dir = path.join(tempDir(), 'demo');
    expect((await mpbackup('site', 'init', '--demo', '--demo-size', '4MiB', '--site', dir)).code).toBe(0);
    const copy = JSON.parse((await mpbackup('streams', 'plan', '--mover', 'copy-device', '--site', dir, '--json')).out).streams[0].mover;
    const failover = await mpbackup('backup', '/pictures', '--mode', 'failover', '--chunk-size', '256KiB', '--inject', `${copy}:crash@chunk=2`, '--site', dir, '--json');
    expect(failover.code).toBe(0);
    const f = JSON.parse(failover.out);
    expect(f.job.status).toBe('succeeded');
    expect(f.streams.map((s: { status: string }) => s.status)).toEqual(['failed', 'completed']);
    expect(new Set(f.fragments.map((x: { tape: string }) => x.tape)).size).toBe(2);

    const server = JSON.parse((await mpbackup('streams', 'plan', '--site', dir, '--json')).out).streams[0].mover;
    const mirrored = await mpbackup('backup', '/pictures', '--mode', 'mirrored', '--chunk-size', '256KiB', '--inject', `${server}:crash@chunk=1`, '--site', dir, '--json');
    expect(mirrored.code).toBe(0);
    expect(JSON.parse(mirrored.out).job.status).toBe('succeeded-degraded');
  }, 120_000);
});
