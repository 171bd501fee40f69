// The site a host has open, which the operator can change while the host runs: open another site
// directory, create a site (empty, or the demo site), or save the open site's devices and wiring
// (checked as the file is checked, written atomically, and the site reopened with it). Hosts
// carry the session's calls and events and bind what they need to each engine it opens
// (`onEngine`); the engine behind them changes, they do not. Nothing changes while a job runs or
// a scheduled run waits for streams; a site that cannot be opened leaves the open one as it was.
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigCheck, SiteChange, SiteConfigDocument } from './contract';
import { Engine } from './engine';
import { initSite } from './init';
import { JobStateError } from './jobs';
import { SITE_CONFIG_FILE, SiteConfigError, validateSiteConfig, writeSiteConfig, type SiteConfigInput } from './site';

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

  get engine(): Engine {
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
    if (sameDir(target, this.current.site.dir)) return this.current;
    this.checkIdle('open another site');
    const next = await Engine.open(target, { warmMovers: this.options.warmMovers ?? 0 });
    this.replace(next, 'opened');
    return next;
  }

  /** Creates a site in an empty or new directory (the demo site with `demo`) and opens it. */
  async createSite(dir: string, options: { name?: string; demo?: boolean } = {}): Promise<Engine> {
    this.checkIdle('create a site');
    const target = path.resolve(dir);
    await initSite(target, { demo: options.demo ?? false, ...(options.name !== undefined ? { name: options.name } : {}) });
    const next = await Engine.open(target, { warmMovers: this.options.warmMovers ?? 0 });
    this.replace(next, 'created');
    return next;
  }

  /** The open site's `site.json`, as written. */
  siteConfig(): SiteConfigDocument {
    return JSON.parse(fs.readFileSync(this.configFile(), 'utf8')) as SiteConfigDocument;
  }

  /** What is wrong with a config, checked as the file is (nothing is written). */
  checkConfig(config: unknown): ConfigCheck {
    try {
      validateSiteConfig(config, this.configFile());
      return { ok: true, problems: [] };
    } catch (error) {
      if (!(error instanceof SiteConfigError)) throw error;
      return { ok: false, problems: error.problems };
    }
  }

  /**
   * Writes a config (checked first: a bad one throws SiteConfigError and writes nothing) and
   * reopens the site with it. Should the site not open with it, the old config is put back.
   */
  async saveConfig(config: unknown): Promise<Engine> {
    validateSiteConfig(config, this.configFile());
    this.checkIdle("change the site's devices and wiring");
    const dir = this.current.site.dir;
    const before = fs.readFileSync(this.configFile(), 'utf8');
    this.leave();
    let next: Engine;
    try {
      writeSiteConfig(dir, config as SiteConfigInput);
      next = await Engine.open(dir, { warmMovers: this.options.warmMovers ?? 0 });
    } catch (error) {
      writeSiteConfig(dir, JSON.parse(before) as SiteConfigInput);
      this.enter(await Engine.open(dir, { warmMovers: this.options.warmMovers ?? 0 }));
      throw error;
    }
    this.enter(next);
    this.emit('config-saved');
    next.log('info', 'the site config was changed by the operator');
    return next;
  }

  close(): void {
    this.leave();
    this.bindings.clear();
  }

  private configFile(): string {
    return path.join(this.current.site.dir, SITE_CONFIG_FILE);
  }

  /** Throws JobStateError when the open site has work that a change would cut short. */
  private checkIdle(what: string): void {
    const busy = this.current.busy();
    if (busy) throw new JobStateError(`cannot ${what} now: ${busy}`);
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
