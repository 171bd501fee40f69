// Where the mover program is and how Node runs it: from a checkout, the TypeScript source through
// tsx's loader; from the built app, `mover.js` beside the bundled main process (see
// electron.vite.config.ts). Electron's fork runs it with Electron's own Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MoverLaunch {
  script: string;
  execArgv: string[];
}

export function moverLaunch(): MoverLaunch {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return { script: path.join(path.dirname(here), 'process.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  return { script: path.join(path.dirname(here), 'mover.js'), execArgv: [] };
}
