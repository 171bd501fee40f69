import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  demoSiteConfig,
  loadSite,
  parseSiteConfig,
  SiteConfigError,
  type SiteConfigInput,
  validateSiteConfig,
  writeSiteConfig,
} from '../../engine/site';

function problemsOf(input: unknown): { path: string; message: string }[] {
  try {
    validateSiteConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SiteConfigError);
    return (error as SiteConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

function withDevices(devices: unknown[], links: unknown[] = []): unknown {
  return { format: 'mpbackup-site', version: 1, name: 'Test', devices, links };
}

describe('site config validation', () => {
  it('accepts the demo config and fills defaults', () => {
    const config = validateSiteConfig(demoSiteConfig());
    const library = config.devices.find((d) => d.kind === 'library')!;
    expect(library.kind === 'library' && library.tapeCapacity).toBe(256 * 2 ** 20);
  });

  it('names the JSON path of a bad field', () => {
    const problems = problemsOf(withDevices([{ kind: 'switch', id: 'sw', name: 'SW', ports: 0 }]));
    expect(problems).toEqual([{ path: 'devices[0].ports', message: 'a device has at least 1 port' }]);
  });

  it('names an unknown device kind and an unknown field', () => {
    const kind = problemsOf(withDevices([{ kind: 'robot', id: 'r', name: 'R' }]));
    expect(kind[0]!.path).toBe('devices[0].kind');
    const extra = problemsOf(withDevices([{ kind: 'backup-server', id: 'b', name: 'B', colour: 'red' }]));
    expect(extra[0]!.path).toBe('devices[0]');
    expect(extra[0]!.message).toContain('colour');
  });

  it('parses sizes with units and refuses nonsense', () => {
    const library = (capacity: unknown) => ({ kind: 'library', id: 'lib', name: 'L', dir: 'l', tapes: [{ id: 'T1', capacity }] });
    const config = validateSiteConfig(withDevices([library('1GiB')]));
    const parsed = config.devices[0]!;
    expect(parsed.kind === 'library' && parsed.tapes[0]!.capacity).toBe(2 ** 30);
    expect(problemsOf(withDevices([library('lots')]))[0]!.path).toBe('devices[0].tapes[0].capacity');
  });

  it('refuses duplicate ids across devices and tapes', () => {
    const problems = problemsOf(
      withDevices([
        { kind: 'backup-server', id: 'A', name: 'A' },
        { kind: 'library', id: 'lib', name: 'L', dir: 'l', tapes: [{ id: 'A' }] },
      ]),
    );
    expect(problems).toEqual([{ path: 'devices[1].tapes[0].id', message: 'duplicate id "A" (first used at devices[0].id)' }]);
  });

  it('checks links: known devices, ports in range, one link per port, no loops', () => {
    const devices = [
      { kind: 'switch', id: 'sw', name: 'SW', ports: 2 },
      { kind: 'backup-server', id: 'srv', name: 'S' },
    ];
    expect(problemsOf(withDevices(devices, [{ a: 'ghost:0', b: 'sw:0' }]))).toEqual([{ path: 'links[0].a', message: 'no device "ghost"' }]);
    expect(problemsOf(withDevices(devices, [{ a: 'srv:0', b: 'sw:2' }]))).toEqual([
      { path: 'links[0].b', message: '"sw" has ports 0 to 1, not 2' },
    ]);
    expect(
      problemsOf(withDevices(devices, [{ a: 'srv:0', b: 'sw:0' }, { a: 'srv:0', b: 'sw:1' }])),
    ).toEqual([{ path: 'links[1].a', message: 'port srv:0 is already wired at links[0].a' }]);
    expect(problemsOf(withDevices(devices, [{ a: 'sw:0', b: 'sw:1' }]))[0]!.path).toBe('links[0]');
    expect(problemsOf(withDevices(devices, [{ a: 'sw-0', b: 'sw:1' }]))[0]!.path).toBe('links[0].a');
  });

  it('reports invalid JSON with the file name', () => {
    expect(() => parseSiteConfig('{"format":', '/x/site.json')).toThrow(/^\/x\/site\.json: \(top level\): not valid JSON/);
  });
});

describe('site files', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-site-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('an invalid config changes nothing on disk', () => {
    const dir = tempDir();
    writeSiteConfig(dir, demoSiteConfig());
    const before = fs.readFileSync(path.join(dir, 'site.json'), 'utf8');
    const broken = { ...demoSiteConfig(), links: [{ a: 'nowhere:0', b: 'switch-1:0' }] } as SiteConfigInput;
    expect(() => writeSiteConfig(dir, broken)).toThrow(/links\[0\]\.a: no device "nowhere"/);
    expect(fs.readFileSync(path.join(dir, 'site.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['site.json']);
  });

  it('loading a directory without a site says how to make one', () => {
    expect(() => loadSite(tempDir())).toThrow(/no site here \(create one with "mpbackup site init"\)/);
  });
});
