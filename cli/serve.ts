// `mpbackup serve`: the headless browser host. Opens the site in a session with warm movers and
// its scheduler (as the desktop app does; the operator may open or create another site from the
// page), serves the built renderer and the contract's WebSocket on 127.0.0.1 only, prints the
// page's address with a fresh token, and runs until SIGINT or SIGTERM; then it closes the
// sockets and the site (the catalog persisted, the site's lock released). The page is the
// checkout's out/renderer (`npm run build`), or $MPBACKUP_RENDERER_DIR.
import { SiteSession, WARM_MOVERS } from '../engine';
import { sessionService } from '../engine/service';
import { print, type Command, type Context } from './command';
import { EXIT_OK, UsageError } from './errors';
import { builtRenderer, checkPort, RENDERER_DIR, startServer } from './serve/server';

/** Resolves with the name of the first of SIGINT and SIGTERM the process gets. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function portOf(values: Context['values']): number {
  const text = values.port as string | undefined;
  if (text === undefined) return 0;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  try {
    return checkPort(port);
  } catch {
    throw new UsageError(`--port: a whole number from 0 to 65535 (0: any free port), not "${text}"`);
  }
}

/** Serves the site in `ctx.site` until `until` settles. */
export async function serveSite(ctx: Context, port: number, until: Promise<unknown>): Promise<number> {
  const rendererDir = builtRenderer(ctx.env.MPBACKUP_RENDERER_DIR || RENDERER_DIR);
  // While the host runs, due schedules start their jobs (runs missed while it was down are recorded as missed).
  const session = await SiteSession.open(ctx.site, { warmMovers: WARM_MOVERS, scheduler: true });
  try {
    let running;
    try {
      running = await startServer({ service: sessionService(session), port, rendererDir, onRefused: (status, reason) => ctx.io.err(`mpbackup serve: refused a connection (${status}): ${reason}`) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for any free one`, { cause: error });
      throw error;
    }
    const site = session.engine.site;
    print(ctx, { url: running.url, port: running.port, site: site.dir }, () => `serving ${site.name} at ${running.url} (Ctrl+C stops)`);
    await until;
    await running.close();
  } finally {
    session.close();
  }
  return EXIT_OK;
}

export const serve: Command = {
  name: 'serve',
  usage: 'serve [--port N]',
  summary: 'serve the UI to a browser on 127.0.0.1 (prints its address with a token; runs until Ctrl+C)',
  options: { port: { type: 'string' } },
  positionals: 0,
  async run(ctx) {
    const port = portOf(ctx.values);
    return serveSite(ctx, port, signalled());
  },
};
