// `npm run bench -- restore`: full and single-file restores against tar (restore-run.ts).
import { benchRestoreRun } from './restore-run';

await benchRestoreRun();
