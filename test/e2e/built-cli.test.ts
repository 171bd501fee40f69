// The installed app's command line: the bundled out/main/cli.js (which the app's Electron runs as
// Node) makes a site, backs up and restores byte for byte, and says why bad input is refused; and
// the launcher packaged as resources/bin/mpbackup finds the app's executable and the bundle from
// where it is installed, with ELECTRON_RUN_AS_NODE set (a stand-in executable checks it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';
import { describeTree } from '../helpers/trees';

const BUNDLE = path.join(ROOT, 'out/main/cli.js');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the command line of the installed app', () => {
  const tempDir = useTempDirs('mpb-built-cli-');

  it('the bundle backs up and restores a demo site, and refuses bad input with exit 2', () => {
    expect(fs.existsSync(BUNDLE)).toBe(true);
    const dir = tempDir();
    const site = path.join(dir, 'site');
    expect(run(process.execPath, [BUNDLE, 'site', 'init', '--site', site, '--demo', '--demo-size', '1MiB']).code).toBe(0);
    const backup = run(process.execPath, [BUNDLE, 'backup', '/pictures', '--site', site, '--json']);
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.out).job.status).toBe('succeeded');
    const to = path.join(dir, 'restored');
    expect(run(process.execPath, [BUNDLE, 'restore', '1', '--site', site, '--to', to]).code).toBe(0);
    expect(describeTree(to)).toEqual(describeTree(path.join(site, 'storage', 'pictures')));
    const bad = run(process.execPath, [BUNDLE, 'restore', '99', '--site', site, '--to', to]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^mpbackup: no backup 99/);
    expect(run(process.execPath, [BUNDLE, '--help']).out).toMatch(/^usage: mpbackup COMMAND/);
  });

  it('the packaged launcher runs the bundle with the app as Node', () => {
    const app = path.join(tempDir(), 'Multipath Backup Manager');
    const resources = path.join(app, 'resources');
    fs.mkdirSync(path.join(resources, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(resources, 'app.asar', 'out'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'out/main'), path.join(resources, 'app.asar', 'out', 'main'));
    fs.copyFileSync(path.join(ROOT, 'packaging/bin/mpbackup'), path.join(resources, 'bin', 'mpbackup'));
    fs.chmodSync(path.join(resources, 'bin', 'mpbackup'), 0o755);
    // The app's executable, as Electron run as Node: it refuses to run without ELECTRON_RUN_AS_NODE.
    fs.writeFileSync(path.join(app, 'multipath-backup'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || exit 9\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
    const linked = path.join(tempDir(), 'mpbackup');
    fs.symlinkSync(path.join(resources, 'bin', 'mpbackup'), linked);
    const result = run(linked, ['site', 'show', '--site', path.join(tempDir(), 'no-site')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no site here/);
    expect(run(linked, ['--help']).out).toMatch(/^usage: mpbackup COMMAND/);
  });
});
