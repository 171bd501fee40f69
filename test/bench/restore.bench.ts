// `npm run bench -- restore`: browsing a catalog of 1,000,000 entries (browse.ts), then full and
// single-file restores against tar (restore-run.ts).
import { benchBrowse } from './browse';
import { benchRestoreRun } from './restore-run';

await benchBrowse();
await benchRestoreRun();
