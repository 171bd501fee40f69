// The mpbackup command line, in-process through run(), and once as a real process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { ROOT } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

describe('mpbackup', () => {
  const tempDir = useTempDirs('mpb-cli-');
  let template: string;

  beforeAll(async () => {
    // One demo site, copied for each test that changes it.
    template = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-cli-demo-'));
    const made = await cli('site', 'init', '--demo', '--demo-size', '512KiB', '--site', template);
    expect(made.code).toBe(0);
    return () => fs.rmSync(template, { recursive: true, force: true });
  });

  const demoSite = () => {
    const dir = path.join(tempDir(), 'site');
    fs.cpSync(template, dir, { recursive: true });
    return dir;
  };

  it('plans three independent streams on the demo site, two once a library is unavailable', async () => {
    const site = demoSite();
    const three = await cli('streams', 'plan', '--streams', '3', '--site', site, '--json');
    expect(three.code).toBe(0);
    const plan = JSON.parse(three.out);
    expect(plan.feasible).toBe(true);
    expect(plan.reason).toBeNull();
    expect(plan.streams).toHaveLength(3);
    for (const key of ['mover', 'library', 'tape'] as const) {
      expect(new Set(plan.streams.map((s: Record<string, string>) => s[key])).size).toBe(3);
    }
    const switches = plan.streams.flatMap((s: { switches: string[] }) => s.switches);
    expect(new Set(switches).size).toBe(switches.length);
    expect(Object.keys(plan.streams[0]).sort()).toEqual(['library', 'mover', 'path', 'stream', 'switches', 'tape']);

    expect((await cli('device', 'set-state', 'library-B', 'unavailable', '--site', site)).code).toBe(0);
    const refused = await cli('streams', 'plan', '--streams', '3', '--site', site, '--json');
    expect(refused.code).toBe(1);
    const after = JSON.parse(refused.out);
    expect(after.feasible).toBe(false);
    expect(after.streams).toHaveLength(2);
    expect(after.reason).toMatch(/only 2 independent streams/);
    expect(after.reason).toContain('library-B is unavailable');
    expect((await cli('streams', 'plan', '--site', site)).code).toBe(0);

    const shown = JSON.parse((await cli('site', 'show', '--site', site, '--json')).out);
    const libraryB = shown.devices.find((d: { id: string }) => d.id === 'library-B');
    expect(libraryB).toMatchObject({ id: 'library-B', kind: 'library', name: 'Tape library B', state: 'unavailable', holder: null });
    expect(shown.links.length).toBeGreaterThan(0);
    expect(shown.targets.map((t: { name: string }) => t.name)).toEqual(['X:', '/movies', '/pictures']);
  });

  it('plans copy-device streams with pins and excludes', async () => {
    const site = demoSite();
    const result = await cli('streams', 'plan', '--site', site, '--mover', 'copy-device', '--pin', '0=copy-C', '--exclude', 'switch-4', '--json');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.out);
    expect(plan.streams[0].mover).toBe('copy-C');
    expect(plan.streams.flatMap((s: { switches: string[] }) => s.switches)).not.toContain('switch-4');
  });

  it('shows the site as text for people', async () => {
    const result = await cli('site', 'show', '--site', demoSite());
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Demo site {2}\//);
    expect(result.out).toMatch(/server-B\s+backup-server\s+Backup server B\s+available/);
    expect(result.out).toMatch(/A00001\s+available\s+0 B\s+256 MiB/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['streams', 'plan', '--streams', '1'], /--streams: a whole number from 2 to 8, not "1"/],
    [['streams', 'plan', '--mover', 'robot'], /--mover: "backup-server" or "copy-device", not "robot"/],
    [['streams', 'plan', '--pin', '5=server-A'], /--pin: expected STREAM=ID with STREAM from 0 to 1/],
    [['streams', 'plan', '--exclude', 'server-Z'], /no device or tape "server-Z"/],
    [['streams', 'plan', '--colour'], /Unknown option '--colour'/],
    [['device', 'set-state', 'server-A', 'in-use'], /state must be "available" or "unavailable"/],
    [['device', 'set-state', 'server-Z', 'unavailable'], /no device or tape "server-Z"/],
    [['device', 'set-state', 'server-A'], /usage: mpbackup device set-state ID/],
    [['site', 'init', '--demo-size', '5MiB'], /--demo-size goes with --demo/],
    [['site', 'init', '--demo', '--demo-size', 'huge'], /--demo-size: "huge" is not a size/],
  ])('bad input %j: exit 2, one line, nothing changed', async (args, message) => {
    const site = demoSite();
    const before = listing(site);
    const catalog = fs.readFileSync(path.join(site, 'catalog.sqlite'));
    const result = await cli(...args, '--site', site);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(listing(site)).toEqual(before);
    expect(fs.readFileSync(path.join(site, 'catalog.sqlite')).equals(catalog)).toBe(true);
  });

  it('an invalid site config: exit 2 naming the JSON path, nothing changed', async () => {
    const site = demoSite();
    const file = path.join(site, 'site.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    config.devices[2].ports = 0;
    fs.writeFileSync(file, JSON.stringify(config));
    const before = listing(site);
    const result = await cli('site', 'show', '--site', site);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/devices\[2\]\.ports: a device has at least 1 port/);
    expect(listing(site)).toEqual(before);
  });

  it('refuses to init over an existing site or a non-empty directory', async () => {
    const site = demoSite();
    const again = await cli('site', 'init', '--demo', '--site', site);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/a site already exists in/);
    const other = tempDir();
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
    const busy = await cli('site', 'init', '--site', other);
    expect(busy.code).toBe(1);
    expect(listing(other)).toEqual(['notes.txt']);
  });

  it('creates an empty site that can be shown', async () => {
    const site = path.join(tempDir(), 'empty');
    expect((await cli('site', 'init', '--site', site, '--name', 'Branch office')).code).toBe(0);
    const shown = JSON.parse((await cli('site', 'show', '--site', site, '--json')).out);
    expect(shown).toMatchObject({ name: 'Branch office', devices: [], links: [], targets: [] });
  });

  it('runs as a real process from the checkout', () => {
    const site = demoSite();
    const bin = path.join(ROOT, 'bin/mpbackup');
    const ok = spawnSync(process.execPath, [bin, 'streams', 'plan', '--streams', '3', '--site', site], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^3 independent streams with backup-servers:/);
    const bad = spawnSync(process.execPath, [bin, 'streams', 'plan', '--streams', 'x', '--site', site], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^mpbackup: --streams/);
  });
});
