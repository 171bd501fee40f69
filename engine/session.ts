// The site a host has open, which the operator can change while the host runs: open another site
// directory, create a site (empty, or the demo site), or save the open site's devices and wiring
// (checked as the file is checked and against the backups on its tapes, written atomically, and
// the site reopened with it). Hosts
// carry the session's calls and events and bind what they need to each engine it opens
// (`onEngine`); the engine behind them changes, they do not. Nothing changes while a job runs or
// a scheduled run waits for streams; one change at a time, and while it is under way no job may
// start (the open engine holds them: engine.holdJobs); a site that cannot be opened leaves the
// open one as it was. A config is saved over the one the operator started from, never over a
// change made meanwhile (another console's save, a tape labelled): that is a conflict.
import fs from 'node:fs';
import path from 'node:path';
import { stableJson, type ConfigCheck, type SiteChange, type SiteConfigDocument } from './contract';
import { Engine } from './engine';
import { initSite } from './init';
import { JobStateError } from './jobs';
import { mediaProblems } from './media-check';
import { SITE_CONFIG_FILE, SiteConfigError, validateSiteConfig, writeSiteConfig, type SiteConfig, type SiteConfigInput } from './site';
import { writeFileAtomic } from './durable';

export interface SessionOptions {
  /** Idle mover processes each opened engine keeps started (see Engine.open). */
  warmMovers?: number;
  /** Whether each opened engine runs its scheduler while it is open. */
  scheduler?: boolean;
}

/** What a host binds to one engine; what it returns is called when the session leaves that engine. */
export type EngineBinding = (engine: Engine) => (() => void) | void;

export class SiteSession {
  private readonly bindings = new Map<EngineBinding, (() => void) | void>();
  private readonly changeListeners = new Set<(change: SiteChange) => void>();
  /** What is being changed now (one change at a time), or null. */
  private changing: string | null = null;
  /** Why there is no open engine to answer (the site is being reopened, or could not be), or null. */
  private closedBecause: string | null = null;

  private constructor(
    private current: Engine,
    private readonly options: SessionOptions,
  ) {}

  /** Opens the site in `dir` (see Engine.open), with its scheduler running when asked. */
  static async open(dir: string, options: SessionOptions = {}): Promise<SiteSession> {
    const session = new SiteSession(await Engine.open(dir, { warmMovers: options.warmMovers ?? 0 }), options);
    if (options.scheduler) session.current.startScheduler();
    return session;
  }

  /** The open engine; JobStateError while the site is being reopened (or could not be). */
  get engine(): Engine {
    if (this.closedBecause !== null) throw new JobStateError(this.closedBecause);
    return this.current;
  }

  /** Runs `bind` for the open engine now and for every engine opened later; returns the function that stops it. */
  onEngine(bind: EngineBinding): () => void {
    this.bindings.set(bind, bind(this.current));
    return () => {
      this.bindings.get(bind)?.();
      this.bindings.delete(bind);
    };
  }

  /** Watches the site change (opened, created, reopened with a saved config). */
  onSiteChange(listener: (change: SiteChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Opens another site in place of this one. The open one stays as it was when that fails. */
  async openSite(dir: string): Promise<Engine> {
    const target = path.resolve(dir);
    if (this.changing === null && sameDir(target, this.current.site.dir)) return this.current;
    return this.change('open another site', async () => {
      const next = await Engine.open(target, { warmMovers: this.options.warmMovers ?? 0 });
      this.replace(next, 'opened');
      return next;
    });
  }

  /** Creates a site in an empty or new directory (the demo site with `demo`) and opens it. */
  async createSite(dir: string, options: { name?: string; demo?: boolean } = {}): Promise<Engine> {
    const target = path.resolve(dir);
    return this.change('create a site', async () => {
      await initSite(target, { demo: options.demo ?? false, ...(options.name !== undefined ? { name: options.name } : {}) });
      const next = await Engine.open(target, { warmMovers: this.options.warmMovers ?? 0 });
      this.replace(next, 'created');
      return next;
    });
  }

  /** The open site's `site.json`, as written. */
  siteConfig(): SiteConfigDocument {
    return JSON.parse(fs.readFileSync(this.configFile(), 'utf8')) as SiteConfigDocument;
  }

  /** What is wrong with a config, checked as the file is and against the backups on tape (nothing is written). */
  checkConfig(config: unknown): ConfigCheck {
    try {
      this.validate(config);
      return { ok: true, problems: [] };
    } catch (error) {
      if (!(error instanceof SiteConfigError)) throw error;
      return { ok: false, problems: error.problems };
    }
  }

  /**
   * Writes a config (checked first: a bad one throws SiteConfigError and writes nothing) and
   * reopens the site with it. `base` is the config the operator's changes started from: when
   * site.json no longer holds it (changed meanwhile), nothing is written (JobStateError). Should
   * the site not open with the new config, the old file is put back as it was and reopened.
   */
  async saveConfig(config: unknown, base?: unknown): Promise<Engine> {
    this.validate(config);
    return this.change("change the site's devices and wiring", async () => {
      const file = this.configFile();
      const dir = this.current.site.dir;
      const before = fs.readFileSync(file, 'utf8');
      if (base !== undefined && stableJson(JSON.parse(before)) !== stableJson(base)) {
        throw new JobStateError('site.json was changed since these changes began (saved from another console, or a tape was labelled): nothing was written; discard the changes and make them again on the saved config');
      }
      const reopening = 'the site is being reopened with its new config: try again in a moment';
      this.closedBecause = reopening;
      this.leave();
      let next: Engine;
      try {
        writeSiteConfig(dir, config as SiteConfigInput);
        next = await Engine.open(dir, { warmMovers: this.options.warmMovers ?? 0 });
      } catch (error) {
        writeFileAtomic(file, before);
        try {
          this.enter(await Engine.open(dir, { warmMovers: this.options.warmMovers ?? 0 }));
        } catch (again) {
          this.closedBecause = `the site in ${dir} is not open: it did not open with the new config (${(error as Error).message}) nor again with the old one (${(again as Error).message}); open a site`;
          throw new Error(this.closedBecause, { cause: again });
        }
        throw error;
      }
      this.enter(next);
      this.emit('config-saved');
      next.log('info', 'the site config was changed by the operator');
      return next;
    });
  }

  close(): void {
    this.leave();
    this.bindings.clear();
  }

  /**
   * A config checked as the file is, then against what the open site's tapes hold (see
   * media-check.ts): SiteConfigError with every problem at its path.
   */
  private validate(config: unknown): SiteConfig {
    const file = this.configFile();
    const valid = validateSiteConfig(config, file);
    if (this.closedBecause === null) {
      const problems = mediaProblems(this.current.site, this.current.catalog, this.current.inventory, valid);
      if (problems.length > 0) throw new SiteConfigError(file, problems);
    }
    return valid;
  }

  private configFile(): string {
    return path.join(this.current.site.dir, SITE_CONFIG_FILE);
  }

  /**
   * Runs one change of the site: refused (JobStateError) while another is under way or the open
   * site has work the change would cut short; meanwhile no job may start on the open engine.
   */
  private async change<T>(what: string, body: () => Promise<T>): Promise<T> {
    if (this.changing !== null) throw new JobStateError(`cannot ${what} now: the site is being changed (${this.changing})`);
    if (this.closedBecause === null) {
      const busy = this.current.busy();
      if (busy) throw new JobStateError(`cannot ${what} now: ${busy}`);
    }
    this.changing = what;
    const release = this.current.holdJobs(`the site is being changed (${what})`);
    try {
      return await body();
    } finally {
      this.changing = null;
      release();
    }
  }

  private replace(next: Engine, reason: SiteChange['reason']): void {
    this.leave();
    this.enter(next);
    this.emit(reason);
  }

  /** Unbinds the hosts from the open engine and closes it (its catalog persisted, its lock released). */
  private leave(): void {
    for (const [bind, unbind] of this.bindings) {
      unbind?.();
      this.bindings.set(bind, undefined);
    }
    this.current.close();
  }

  private enter(engine: Engine): void {
    this.current = engine;
    this.closedBecause = null;
    if (this.options.scheduler) engine.startScheduler();
    for (const bind of this.bindings.keys()) this.bindings.set(bind, bind(engine));
  }

  private emit(reason: SiteChange['reason']): void {
    const change: SiteChange = { reason, dir: this.current.site.dir, name: this.current.site.name };
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch {
        // Watching never stops the session.
      }
    }
  }
}

function sameDir(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
