#!/usr/bin/env node
// `npm start`: builds the app, then runs the desktop app, or the browser host where Electron
// cannot run (see cli/start.ts). TypeScript is loaded through tsx, as bin/mpbackup does.
import { register } from 'tsx/esm/api';

register();
const { start } = await import('../cli/start.ts');
process.exitCode = await start(process.argv.slice(2));
