// The site session under changes that overlap: while another site is being opened (or created,
// or the config saved) no job may start on the site still open, and a second change is refused,
// so exactly one engine is open afterwards and every other site's lock is free; while the site is
// reopened with a new config the session says so instead of answering from a closed engine; a
// config is never saved over a change made meanwhile (a tape labelled), nothing is written then;
// nor one that would take a tape holding backups away from them (removed, renamed, its library
// removed or its folder moved, a capacity below what it holds).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, SiteSession } from '../../engine';
import { JobStateError } from '../../engine/jobs';
import { SITE_CONFIG_FILE } from '../../engine/site';
import { makeBackupSite } from '../helpers/backup-site';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs('mpb-session-');

async function twoSites(): Promise<{ a: string; b: string; session: SiteSession }> {
  const root = tempDir();
  const a = await makeBackupSite(path.join(root, 'a'), { size: 256 * 1024 });
  const b = await makeBackupSite(path.join(root, 'b'), { size: 256 * 1024 });
  return { a, b, session: await SiteSession.open(a) };
}

function configOf(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, SITE_CONFIG_FILE), 'utf8')) as Record<string, unknown>;
}

describe('the site session', () => {
  it('lets no job start on the open site while another is being opened', async () => {
    const { a, b, session } = await twoSites();
    try {
      const before = session.engine;
      const done = await before.backup({ target: '/pictures', mode: 'mirrored' });
      expect(done.job.state).toBe('succeeded');
      // Asked for in the same turn as the change, before it could have ended.
      const opening = session.openSite(b);
      const backup = before.startBackup({ target: '/pictures', mode: 'mirrored' });
      const verify = before.startVerify({ backupId: done.backup!.id });
      await expect(backup).rejects.toThrow(JobStateError);
      await expect(backup).rejects.toThrow(/no job can start now: the site is being changed \(open another site\)/);
      await expect(verify).rejects.toThrow(JobStateError);
      await opening;
      expect(session.engine.site.dir).toBe(b);
      // Nothing was recorded on the site left behind.
      const old = await Engine.open(a);
      expect(old.jobs().map((job) => job.id)).toEqual([done.job.id]);
      old.close();
    } finally {
      session.close();
    }
  });

  it('refuses a second change while one is under way: one engine open after, the other lock free', async () => {
    const { a, b, session } = await twoSites();
    try {
      const opening = session.openSite(b);
      const saving = session.saveConfig({ ...configOf(a), name: 'Changed meanwhile' });
      const creating = session.createSite(path.join(tempDir(), 'c'));
      await expect(saving).rejects.toThrow(/the site is being changed \(open another site\)/);
      await expect(creating).rejects.toThrow(JobStateError);
      await opening;
      expect(session.engine.site.dir).toBe(b);
      expect(configOf(a).name).not.toBe('Changed meanwhile');
      // Site a's lock was let go: it opens here again.
      const again = await Engine.open(a);
      again.close();
      // And the change done, the next one goes.
      await session.openSite(a);
      expect(session.engine.site.dir).toBe(a);
    } finally {
      session.close();
    }
  });

  it('says the site is being reopened while a saved config takes effect', async () => {
    const { a, session } = await twoSites();
    try {
      const saving = session.saveConfig({ ...configOf(a), name: 'Renamed' });
      expect(() => session.engine).toThrow(/being reopened with its new config/);
      const engine = await saving;
      expect(session.engine).toBe(engine);
      expect(engine.describe().name).toBe('Renamed');
    } finally {
      session.close();
    }
  });

  it('never saves over a change made since the operator began: a tape labelled meanwhile stays', async () => {
    const { a, session } = await twoSites();
    try {
      const base = session.siteConfig();
      await session.engine.labelTape({ library: 'library-A', tape: 'A00099' });
      const labelled = fs.readFileSync(path.join(a, SITE_CONFIG_FILE), 'utf8');
      await expect(session.saveConfig({ ...base, name: 'Mine' }, base)).rejects.toThrow(/site\.json was changed since these changes began/);
      expect(fs.readFileSync(path.join(a, SITE_CONFIG_FILE), 'utf8')).toBe(labelled);
      // Made again on the saved config, the change is saved.
      const now = session.siteConfig();
      await session.saveConfig({ ...now, name: 'Mine' }, now);
      expect(configOf(a).name).toBe('Mine');
      expect(JSON.stringify(configOf(a))).toContain('A00099');
    } finally {
      session.close();
    }
  });

  it('refuses a config that would take tapes away from the backups on them, and checks it so', async () => {
    const { a, session } = await twoSites();
    try {
      const done = await session.engine.backup({ target: '/pictures', mode: 'mirrored' });
      expect(done.job.state).toBe('succeeded');
      const onTape = new Map<string, string[]>();
      for (const f of session.engine.catalog.backups.fragments(done.backup!.id)) onTape.set(f.library, [...(onTape.get(f.library) ?? []), f.tape]);
      const [library, tapes] = [...onTape][0]!;
      const tape = tapes[0]!;
      const config = session.siteConfig() as { devices: { kind: string; id: string; dir?: string; tapes?: { id: string; capacity?: number }[] }[] };
      const index = config.devices.findIndex((d) => d.id === library);
      const edited = (edit: (lib: (typeof config.devices)[number]) => void) => {
        const copy = structuredClone(config);
        edit(copy.devices[index]!);
        return copy;
      };
      const cases = [
        { config: edited((lib) => (lib.tapes = lib.tapes!.filter((t) => t.id !== tape))), path: `devices[${index}].tapes`, message: new RegExp(`tape ${tape} is no longer in ${library}, but it holds backups ${done.backup!.id}`) },
        { config: edited((lib) => (lib.tapes!.find((t) => t.id === tape)!.id = 'RENAMED')), path: `devices[${index}].tapes`, message: new RegExp(`tape ${tape} is no longer in ${library}`) },
        { config: edited((lib) => (lib.dir = 'elsewhere')), path: `devices[${index}].dir`, message: /its folder cannot move away from them/ },
        { config: edited((lib) => (lib.tapes!.find((t) => t.id === tape)!.capacity = 64 * 1024)), path: `devices[${index}].tapes[${config.devices[index]!.tapes!.findIndex((t) => t.id === tape)}].capacity`, message: /already holds \d+ bytes, more than a capacity of 65536/ },
      ];
      const before = fs.readFileSync(path.join(a, SITE_CONFIG_FILE), 'utf8');
      for (const { config: bad, path: at, message } of cases) {
        const check = session.checkConfig(bad);
        expect(check.ok).toBe(false);
        expect(check.problems).toContainEqual({ path: at, message: expect.stringMatching(message) });
        await expect(session.saveConfig(bad)).rejects.toThrow(message);
      }
      // The library removed with its links: named at the top.
      const removed = structuredClone(config) as unknown as { devices: { id: string }[]; links: { a: string; b: string }[] };
      removed.devices = removed.devices.filter((d) => d.id !== library);
      removed.links = removed.links.filter((l) => !l.a.startsWith(`${library}:`) && !l.b.startsWith(`${library}:`));
      expect(session.checkConfig(removed).problems).toContainEqual({ path: 'devices', message: expect.stringMatching(new RegExp(`library ${library} was removed, but its tapes .*${tape}`)) });
      expect(fs.readFileSync(path.join(a, SITE_CONFIG_FILE), 'utf8')).toBe(before);
      // A tape that holds nothing may go.
      const empty = config.devices[index]!.tapes!.find((t) => !tapes.includes(t.id))!.id;
      expect(session.checkConfig(edited((lib) => (lib.tapes = lib.tapes!.filter((t) => t.id !== empty))))).toEqual({ ok: true, problems: [] });
    } finally {
      session.close();
    }
  });
});
