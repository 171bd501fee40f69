// Asks before unsaved changes to the site config are lost: leaving the Site view (a link, the
// address bar, the back button: the navigation store's leave guard), or opening or creating
// another site. The question waits in `pending` until the operator answers: stay (nothing
// happens), or discard the changes and go on (for another site, they are discarded only once it
// is open: when it cannot be, the changes are still there). In the browser host, closing or
// reloading the page asks the browser's own question too. The desktop window is told instead (desktopHost), and its
// closing asks in a dialog of its own: a page that stopped its own unload there would keep the
// window from closing without saying why.
import { onMounted, onUnmounted, ref, watch } from 'vue';
import { useNavStore, type Route } from '../stores/nav';
import { useSiteConfigStore } from '../stores/siteConfig';
import { desktopHost } from '../restore/desktopHost';

export type LeaveReason = 'leave' | 'open' | 'create';

/** Goes on; another site's opening answers whether it did. */
export type Proceed = () => void | Promise<boolean>;

export interface PendingLeave {
  reason: LeaveReason;
  proceed: Proceed;
}

export function useLeaveGuard() {
  const nav = useNavStore();
  const config = useSiteConfigStore();
  const pending = ref<PendingLeave | null>(null);

  /** Runs `proceed` now, or once the operator agreed to lose the unsaved changes. */
  function ask(reason: LeaveReason, proceed: Proceed): void {
    if (!config.dirty) void proceed();
    else pending.value = { reason, proceed };
  }

  function guard(next: Route): boolean {
    if (!config.dirty) return true;
    // The address may already show where the operator wanted to go: it shows this view again.
    if (window.location.hash !== nav.hash) window.history.replaceState(window.history.state, '', nav.hash);
    pending.value = { reason: 'leave', proceed: () => void nav.go(next.view, next.param) };
    return false;
  }

  function stay(): void {
    pending.value = null;
  }

  async function discard(): Promise<void> {
    const waiting = pending.value;
    pending.value = null;
    if (!waiting) return;
    if (waiting.reason === 'leave') {
      config.discard();
      waiting.proceed();
    } else if ((await waiting.proceed()) === true) config.discard();
  }

  function beforeUnload(event: BeforeUnloadEvent): void {
    if (!config.dirty) return;
    event.preventDefault();
    event.returnValue = '';
  }

  /** Tells the desktop window, which asks before it closes while there are unsaved changes. */
  function tellWindow(unsaved: boolean): void {
    void desktopHost()
      ?.setUnsavedChanges(unsaved)
      .catch(() => {
        // A window that cannot be told closes without asking; the changes are still asked about here.
      });
  }

  let unguard: (() => void) | null = null;
  let stopTelling: (() => void) | null = null;
  onMounted(() => {
    unguard = nav.guardLeaving(guard);
    if (desktopHost()) stopTelling = watch(() => config.dirty, tellWindow, { immediate: true });
    else window.addEventListener('beforeunload', beforeUnload);
  });
  onUnmounted(() => {
    unguard?.();
    if (stopTelling) {
      stopTelling();
      tellWindow(false);
    }
    window.removeEventListener('beforeunload', beforeUnload);
  });

  return { pending, ask, stay, discard };
}
