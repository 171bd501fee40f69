// The restore tree's measurement in the built UI: a target with a backup of 100,000 files whose
// directories hold 5,000 entries each (the fake engine answers every catalogList with the same
// folder, paged by offset and limit as the engine pages it: its first entry a folder of 5,000
// more). One run opens the Restore view from its navigation entry, opens the backup, then times
// opening that folder: from the click on its open/closed mark to the frame after its entries
// are drawn (the next requestAnimationFrame after the first of them is in the page), and checks
// that only the rows in view are drawn.
import type { Page } from 'playwright-core';
import type { BackupSummary, DirectoryEntry, DirectoryListing, TargetSummary } from '../../../engine/contract';
import { RUNS, type Measurement } from './measurement';
import type { PageElement, PageGlobals } from './page';

export const FOLDER_ENTRIES = 5000;
const BACKUP_FILES = 100_000;
const FOLDER = 'album';
/** Rows drawn at most for a window of the benchmark's height (the rest are virtual). */
const DRAWN_AT_MOST = 120;

function entry(no: number, name: string, type: DirectoryEntry['type']): DirectoryEntry {
  return { no, name, path: name, type, size: type === 'file' ? 3_500_000 + no : 0, mtimeMs: 1_780_000_000_000 + no * 1000, mode: 0o644, linkTarget: null, status: 'ok', children: type === 'directory' ? FOLDER_ENTRIES : null };
}

function answers(): Record<string, unknown> {
  const target: TargetSummary = { target: '/photos', backups: 1, completeBackups: 1, newestDataTime: '2026-12-01T02:00:00.000Z' };
  const backup: BackupSummary = {
    id: 1,
    jobId: 1,
    target: '/photos',
    mode: 'mirrored',
    state: 'complete',
    dataTime: '2026-12-01T02:00:00.000Z',
    startedAt: '2026-12-01T02:00:00.000Z',
    endedAt: '2026-12-01T03:10:00.000Z',
    size: BACKUP_FILES * 3_500_000,
    chunkSize: 8 * 2 ** 20,
    sourceKind: 'directory',
    files: BACKUP_FILES,
    copies: [
      { copy: 0, state: 'complete' },
      { copy: 1, state: 'complete' },
    ],
    outcome: 'succeeded',
    completeCopies: 2,
    tapes: ['A00001', 'B00001'],
    restorable: true,
  };
  const entries = [entry(0, FOLDER, 'directory'), ...Array.from({ length: FOLDER_ENTRIES - 1 }, (_, i) => entry(i + 1, `IMG_${String(i + 1).padStart(5, '0')}.jpg`, 'file'))];
  const listing: DirectoryListing = { backupId: 1, path: '', entries, total: FOLDER_ENTRIES, offset: 0 };
  return { catalogTargets: [target], catalogBackups: [backup], catalogList: listing };
}

/** Opens the folder in the page and answers the ms from the click to the frame after its entries are drawn. */
function timeExpand(folder: string): Promise<number> {
  const { document, performance, requestAnimationFrame, MouseEvent, window } = globalThis as unknown as PageGlobals;
  return new Promise((resolve, reject) => {
    const toggle = document.querySelector(`tr[data-path="${folder}"] [data-toggle]`);
    if (!toggle) return reject(new Error(`ui bench: no open/closed mark on ${folder}`));
    const start = performance.now();
    performance.mark('bench-restore-expand');
    toggle.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window, button: 0 }));
    const drawn = (): PageElement | null => document.querySelector(`tr[data-path^="${folder}/"]`);
    const check = () => {
      if (performance.now() - start > 10_000) return reject(new Error('ui bench: the folder did not open within 10 s'));
      if (drawn()) requestAnimationFrame(() => resolve(performance.now() - start));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

async function run(page: Page): Promise<Record<string, number>> {
  await page.locator('a[data-view="restore"]').click();
  await page.locator('tr[data-backup="1"] [data-toggle]').click();
  await page.locator(`tr[data-path="${FOLDER}"]`).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300);
  const ms = await page.evaluate(timeExpand, FOLDER);
  const rowCount = Number(await page.locator('[role="treegrid"]').getAttribute('aria-rowcount'));
  const drawn = await page.locator('[role="treegrid"] tbody tr[role="row"]').count();
  // Header, target, backup, the backup's 5,000 entries and the folder's 5,000.
  if (rowCount !== 3 + 2 * FOLDER_ENTRIES) throw new Error(`ui bench: the tree has ${rowCount} rows, not ${3 + 2 * FOLDER_ENTRIES}`);
  if (drawn > DRAWN_AT_MOST) throw new Error(`ui bench: ${drawn} rows drawn: the tree is not virtualised`);
  return { restore_tree_expand_ms: ms };
}

export const restoreTreeMeasurement: Measurement = {
  figures: [{ metric: 'restore_tree_expand_ms', unit: 'ms' }],
  runs: RUNS,
  answers,
  run,
};
