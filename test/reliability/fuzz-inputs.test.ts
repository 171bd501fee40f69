// Part 3a of the reliability suite: fuzzing the operator's inputs with fast-check.
// - The site config: the demo site's config mutated at random places (keys dropped, values
//   replaced by any JSON, unknown keys, duplicated devices and links), any value at all, and the
//   file's text cut or garbled. validateSiteConfig either accepts it or throws a SiteConfigError
//   listing every problem at its JSON path; writeSiteConfig writes nothing for a bad one; a bad
//   site.json stops Engine.open before the catalog is touched; the contract's saveSiteConfig
//   answers bad-request and leaves site.json, the open site and its catalog as they were, and
//   checkSiteConfig reports the same problems.
// - The command line (cli/main's run, in-process): every command with a mutation that makes it
//   wrong (an unknown option, a bad value, a positional too many or missing, junk words): exit 2,
//   one readable line on stderr, and the site's files unchanged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, SiteConfigError, SiteSession } from '../../engine';
import { remoteApi, ApiError, type BackupApi } from '../../engine/contract';
import { inProcessWire, sessionService } from '../../engine/service';
import { SITE_CONFIG_FILE, validateSiteConfig, writeSiteConfig } from '../../engine/site';
import { makeBackupSite } from '../helpers/backup-site';
import { cli } from '../helpers/cli';
import { announce, catalogDump, filesDigest, report, SEED, TRIALS } from './common';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a JSON value, as a path of keys and indexes. */
function places(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...places(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...places(v, [...at, k]));
  return out;
}

type Mutation = { op: 'drop' | 'replace' | 'unknown-key' | 'duplicate'; where: number; value: Json; key: string };

/** Applies mutations to a copy of `config`. */
function mutate(config: Json, mutations: Mutation[]): Json {
  const copy = structuredClone(config);
  for (const m of mutations) {
    const all = places(copy).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const at = all[m.where % all.length]!;
    let parent: Json = copy;
    for (const key of at.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string]!;
    const key = at.at(-1)!;
    const container = parent as Record<string | number, Json>;
    if (m.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete container[key];
    } else if (m.op === 'replace') {
      container[key] = m.value;
    } else if (m.op === 'unknown-key') {
      const target = container[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[`x-${m.key}`] = m.value;
      else container[key] = { [m.key]: m.value };
    } else if (Array.isArray(parent)) {
      parent.push(structuredClone(parent[key as number]!));
    } else {
      container[key] = [container[key]!, container[key]!];
    }
  }
  return copy;
}

const mutations = fc.array(
  fc.record({
    op: fc.constantFrom('drop', 'replace', 'unknown-key', 'duplicate'),
    where: fc.nat(),
    value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    key: fc.string({ minLength: 1, maxLength: 8 }),
  }) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 3 },
);

/** A SiteConfigError that lists its problems readably, each at a JSON path. */
function expectClearConfigError(error: unknown, file: string): void {
  expect(error).toBeInstanceOf(SiteConfigError);
  const e = error as SiteConfigError;
  expect(e.problems.length).toBeGreaterThan(0);
  for (const p of e.problems) {
    expect(typeof p.path).toBe('string');
    expect(p.message.trim().length).toBeGreaterThan(0);
  }
  // One line per problem, each naming the file (a JSON parser's message may quote the text, newlines and all).
  expect(e.message.startsWith(`${file}: `)).toBe(true);
  for (const p of e.problems) expect(e.message).toContain(`${file}: ${p.path || '(top level)'}: ${p.message}`);
}

describe('fuzzing the inputs of operators', () => {
  let root: string;
  let site: string;
  let demo: Json;
  const tried = { validate: 0, write: 0, open: 0, save: 0, cli: 0, accepted: 0 };

  beforeAll(async () => {
    announce('fuzz inputs');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-rel-fuzz-'));
    site = await makeBackupSite(path.join(root, 'site'), { size: 512 * 1024 });
    const engine = await Engine.open(site);
    try {
      // Something in the catalog for commands to find (or not).
      expect((await engine.backup({ target: '/pictures', chunkSize: 64 * 1024 })).job.state).toBe('succeeded');
    } finally {
      engine.close();
    }
    demo = JSON.parse(fs.readFileSync(path.join(site, SITE_CONFIG_FILE), 'utf8')) as Json;
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    const inputs = tried.validate + tried.write + tried.open + tried.save + tried.cli;
    process.stdout.write(
      `reliability: fuzz inputs: site configs validated ${tried.validate} (${tried.accepted} still valid after mutation), written ${tried.write}, opened ${tried.open}, saved over the contract ${tried.save}; command lines ${tried.cli}\n`,
    );
    report('fuzz inputs', { 'inputs tried': inputs });
  });

  it('validateSiteConfig accepts a config or names every problem, whatever it is given', () => {
    const check = (value: unknown) => {
      tried.validate += 1;
      try {
        validateSiteConfig(value, 'site.json');
        tried.accepted += 1;
      } catch (error) {
        expectClearConfigError(error, 'site.json');
      }
    };
    fc.assert(fc.property(mutations, (m) => check(mutate(demo, m))), { seed: SEED, numRuns: 30 * TRIALS });
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), check), { seed: SEED, numRuns: 10 * TRIALS });
  });

  it('writeSiteConfig writes nothing for a bad config', () => {
    const before = filesDigest(site);
    fc.assert(
      fc.property(mutations, (m) => {
        const config = mutate(demo, m);
        let valid = true;
        try {
          validateSiteConfig(config);
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        tried.write += 1;
        let thrown: unknown = null;
        try {
          writeSiteConfig(site, config as never);
        } catch (error) {
          thrown = error;
        }
        expectClearConfigError(thrown, path.join(site, SITE_CONFIG_FILE));
      }),
      { seed: SEED, numRuns: 3 * TRIALS },
    );
    expect(filesDigest(site)).toEqual(before);
  });

  it('a bad site.json stops the open before the catalog is touched', async () => {
    const scratch = path.join(root, 'scratch');
    const text = JSON.stringify(demo, null, 2);
    const candidates = fc.oneof(
      mutations.map((m) => JSON.stringify(mutate(demo, m))),
      // The file cut short, or garbled at a few bytes.
      fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)),
      fc.array(fc.tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        let t = text;
        for (const [at, s] of edits) t = t.slice(0, at) + s + t.slice(at + s.length);
        return t;
      }),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (content) => {
        let valid = true;
        try {
          validateSiteConfig(JSON.parse(content));
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        tried.open += 1;
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.mkdirSync(scratch);
        fs.writeFileSync(path.join(scratch, SITE_CONFIG_FILE), content);
        const opened = Engine.open(scratch);
        await expect(opened).rejects.toBeInstanceOf(SiteConfigError);
        await opened.catch((error: unknown) => expectClearConfigError(error, path.join(scratch, SITE_CONFIG_FILE)));
        expect(fs.readdirSync(scratch)).toEqual([SITE_CONFIG_FILE]);
        expect(fs.readFileSync(path.join(scratch, SITE_CONFIG_FILE), 'utf8')).toBe(content);
      }),
      { seed: SEED, numRuns: 3 * TRIALS },
    );
  });

  it("the contract's saveSiteConfig answers bad-request and changes nothing; checkSiteConfig names the same problems", async () => {
    const session = await SiteSession.open(site);
    const api: BackupApi = remoteApi(inProcessWire(sessionService(session)));
    try {
      const engine = session.engine;
      const files = filesDigest(site);
      const catalog = catalogDump(engine.catalog);
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutations.map((m) => mutate(demo, m) as unknown), fc.anything({ maxDepth: 2 })), async (config) => {
          // The config as it arrives (the wire is JSON): without one, the call itself is malformed.
          const arrived = JSON.parse(JSON.stringify({ config })) as { config?: unknown };
          const refusal = async (call: Promise<unknown>) => {
            const error = await call.then(
              () => null,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(ApiError);
            expect((error as ApiError).code).toBe('bad-request');
            return (error as ApiError).message;
          };
          if (!('config' in arrived)) {
            tried.save += 1;
            expect(await refusal(api.checkSiteConfig({ config }))).toMatch(/^checkSiteConfig: .*config/s);
            expect(await refusal(api.saveSiteConfig({ config }))).toMatch(/^saveSiteConfig: .*config/s);
            return;
          }
          let problems: unknown = null;
          try {
            validateSiteConfig(arrived.config);
          } catch (error) {
            problems = (error as SiteConfigError).problems;
          }
          fc.pre(problems !== null);
          tried.save += 1;
          const check = await api.checkSiteConfig({ config });
          expect(check.ok).toBe(false);
          expect(check.problems).toEqual(problems);
          expect(await refusal(api.saveSiteConfig({ config }))).toMatch(/site\.json: /);
          expect(session.engine).toBe(engine);
        }),
        { seed: SEED, numRuns: 2 * TRIALS },
      );
      expect(catalogDump(session.engine.catalog)).toEqual(catalog);
      expect(filesDigest(site, (rel) => rel.startsWith('catalog.'))).toEqual(new Map([...files].filter(([rel]) => !rel.startsWith('catalog.'))));
    } finally {
      session.close();
    }
  });

  /** Commands and valid arguments, each with the values one of its options may wrongly take. */
  const COMMANDS: Array<{ words: string[]; args: string[]; bad: Record<string, string[]>; positionals: [number, number] }> = [
    { words: ['site', 'show'], args: [], bad: {}, positionals: [0, 0] },
    { words: ['site', 'init'], args: ['--demo'], bad: { '--demo-size': ['1KiB', 'lots', '-5', '', '64MiBs'] }, positionals: [0, 0] },
    { words: ['device', 'set-state'], args: ['library-A', 'unavailable'], bad: {}, positionals: [2, 2] },
    { words: ['streams', 'plan'], args: [], bad: { '--streams': ['0', '1', '9', 'x', '2.5', '-2', ''], '--mover': ['tape', 'server', ''], '--pin': ['9=server-A', 'x', '0=', '=server-A'], '--exclude': ['no-such-device', ''] }, positionals: [0, 0] },
    {
      words: ['backup'],
      args: ['/pictures'],
      bad: {
        '--mode': ['mirror', 'FAILOVER', ''],
        '--streams': ['1', '0', '100', 'two'],
        '--chunk-size': ['1', '1KiB', '100GiB', 'big', '-1MiB'],
        '--timeout': ['0', '-1', 'soon', '1.5'],
        '--inject': ['copy-A', 'copy-A:explode', 'no-such:crash', 'copy-A:crash@chunk=x', 'switch-1:crash', 'A00001:media-error@chunk=-1', 'copy-A:hang,rate=1MiB'],
      },
      positionals: [1, 1],
    },
    { words: ['jobs', 'list'], args: [], bad: { '--limit': ['0', '-1', 'all', '1.5', ''] }, positionals: [0, 0] },
    { words: ['jobs', 'show'], args: ['1'], bad: {}, positionals: [1, 1] },
    { words: ['catalog', 'list'], args: [], bad: { '--limit': ['0', 'x'], '--before': ['x', '0', '-1'] }, positionals: [0, 0] },
    { words: ['catalog', 'show'], args: ['1'], bad: {}, positionals: [1, 1] },
    { words: ['catalog', 'ls'], args: ['1'], bad: { '--offset': ['-1', 'x'], '--limit': ['0', '100001', 'x'] }, positionals: [1, 2] },
    { words: ['catalog', 'find'], args: ['1', 'img'], bad: { '--limit': ['0', 'x'] }, positionals: [1, 2] },
    { words: ['restore'], args: ['1', '--to', path.join(os.tmpdir(), 'mpb-rel-fuzz-never-written')], bad: { '--on-conflict': ['replace', ''], '--timeout': ['0', 'x'], '--inject': ['library-A:down', 'x'] }, positionals: [1, 1] },
    { words: ['verify'], args: ['1'], bad: { '--timeout': ['0', 'x', '-5'] }, positionals: [1, 1] },
    { words: ['schedule', 'add'], args: ['/pictures', '--daily', '22:00'], bad: { '--daily': ['25:00', '7pm', ''], '--cron': ['every day', '* * *'], '--time-zone': ['Mars/Olympus', ''], '--window-end': ['30:00', 'x'], '--streams': ['1', 'x'] }, positionals: [1, 1] },
    { words: ['schedule', 'edit'], args: ['1', '--daily', '21:00'], bad: { '--daily': ['24:01', 'x'], '--time-zone': ['Nowhere/Else'] }, positionals: [1, 1] },
    { words: ['schedule', 'move'], args: ['1', '--due', '2099-01-01T22:00:00Z', '--to', '2099-01-01T23:00:00Z'], bad: { '--due': ['yesterday', ''], '--to': ['2000-01-01T00:00:00Z', 'x'] }, positionals: [1, 1] },
    { words: ['schedule', 'remove'], args: ['1'], bad: {}, positionals: [1, 1] },
    { words: ['schedule', 'list'], args: [], bad: {}, positionals: [0, 0] },
    { words: ['schedule', 'runs'], args: [], bad: { '--schedule': ['x', '0'], '--limit': ['0', 'x'] }, positionals: [0, 0] },
    { words: ['schedule', 'forecast'], args: [], bad: { '--from': ['tomorrow', ''], '--to': ['x'] }, positionals: [0, 0] },
    { words: ['schedule', 'run'], args: ['1'], bad: {}, positionals: [1, 1] },
    { words: ['catalog', 'rebuild'], args: [], bad: {}, positionals: [0, 0] },
    { words: ['serve'], args: [], bad: { '--port': ['-1', '70000', 'x', '1.5'] }, positionals: [0, 0] },
    { words: ['run-scheduler'], args: [], bad: {}, positionals: [0, 0] },
  ];

  /** A junk word that is never `--` (after which every word is a positional) nor a request for help. */
  const junk = fc.string({ maxLength: 12 }).filter((w) => w !== '--' && w !== '-h' && w !== '--help' && !/^--?(h|help)=?/.test(w));

  /** A command line that is wrong in at least one way the command checks before it does anything. */
  const wrongCommandLine = fc.constantFrom(...COMMANDS).chain((command) => {
    const options = Object.keys(command.bad);
    const [, max] = command.positionals;
    const positionals = command.args.filter((a, i) => !a.startsWith('--') && (i === 0 || !command.args[i - 1]!.startsWith('--')));
    const flags = command.args.filter((a) => !positionals.includes(a));
    const mutations: Array<fc.Arbitrary<string[]>> = [
      // An option the command does not have.
      fc.string({ minLength: 1, maxLength: 10 }).map((w) => [...command.args, `--zz-${w.replace(/[^a-z]/gi, 'q')}`]),
      // Junk words with an unknown option among them.
      fc.tuple(fc.array(junk, { maxLength: 4 }), fc.nat()).map(([words, at]) => {
        const all = [...command.args, ...words];
        all.splice(at % (all.length + 1), 0, '--no-such-option');
        return all;
      }),
      // One positional too many.
      fc.string({ maxLength: 8 }).filter((w) => !w.startsWith('-')).map((w) => [...positionals, ...Array.from({ length: max + 1 - positionals.length }, () => w || 'extra'), ...flags]),
    ];
    if (command.positionals[0] > 0) mutations.push(fc.constant(flags)); // the positionals missing
    if (options.length > 0) {
      // An option with a value it cannot take.
      mutations.push(
        fc.constantFrom(...options).chain((option) => fc.constantFrom(...command.bad[option]!).map((value) => [...command.args.filter((a, i, all) => a !== option && all[i - 1] !== option), option, value])),
      );
    }
    return fc.oneof(...mutations).map((args) => [...command.words, ...args]);
  });

  it('every command refuses a wrong command line with exit 2 and one line, and changes nothing', async () => {
    const before = filesDigest(site);
    await fc.assert(
      fc.asyncProperty(wrongCommandLine, async (args) => {
        tried.cli += 1;
        const result = await cli(...args, '--site', site);
        const what = `mpbackup ${args.map((a) => JSON.stringify(a)).join(' ')}: exit ${result.code}: ${result.err}`;
        expect(result.code, what).toBe(2);
        expect(result.err.split('\n'), what).toHaveLength(1);
        expect(result.err, what).toMatch(/^mpbackup: \S/);
        expect(result.err, what).not.toMatch(/\n\s+at |TypeError|ReferenceError|undefined/);
        expect(result.out, what).toBe('');
        expect(filesDigest(site), what).toEqual(before);
      }),
      { seed: SEED, numRuns: 20 * TRIALS },
    );
    expect(fs.existsSync(path.join(os.tmpdir(), 'mpb-rel-fuzz-never-written'))).toBe(false);
  });
});
