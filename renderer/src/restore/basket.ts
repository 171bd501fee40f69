// The restore basket's rules, pure: an entry already inside a folder of the basket (or a whole
// backup) adds nothing; a folder added takes the place of what the basket holds inside it. And
// what a destination typed by hand must look like before the engine is asked.
import type { RestorePick } from './picks';

export type BasketItem = Omit<RestorePick, 'backupId'>;

export interface BasketAdd {
  items: BasketItem[];
  /** Picks that went in. */
  added: number;
  /** Picks already in the basket, or inside a folder of it. */
  covered: number;
}

/** Whether restoring `outer` restores `inner` too. */
export function covers(outer: string, inner: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

export function addToBasket(items: readonly BasketItem[], picks: readonly RestorePick[]): BasketAdd {
  let next = [...items];
  let added = 0;
  let covered = 0;
  for (const { backupId: _backup, ...item } of picks) {
    if (next.some((have) => covers(have.path, item.path))) {
      covered++;
      continue;
    }
    next = next.filter((have) => !covers(item.path, have.path));
    next.push(item);
    added++;
  }
  return { items: next, added, covered };
}

/** Picks grouped by backup, in the order their backups first appear. */
export function byBackup(picks: readonly RestorePick[]): Map<number, RestorePick[]> {
  const groups = new Map<number, RestorePick[]>();
  for (const pick of picks) groups.set(pick.backupId, [...(groups.get(pick.backupId) ?? []), pick]);
  return groups;
}

/** What is wrong with a destination before the engine is asked: nothing, empty, or not absolute. */
export function destinationProblem(text: string): 'empty' | 'relative' | null {
  const path = text.trim();
  if (path === '') return 'empty';
  return /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(path) ? null : 'relative';
}
