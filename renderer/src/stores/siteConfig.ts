// The open site's devices and wiring as the operator edits them (docs/site-config.md): site.json
// as the engine gave it (`saved`), the operator's draft of it (edited through the form, or as
// JSON text in the advanced view), the engine's check of the draft a moment after each change
// (every problem at its JSON path), and saving it, which writes site.json and reopens the site.
// The draft is kept until it is saved or discarded. When another client saves this site's config
// the draft stays (what Discard goes back to is the new one), but it is never saved over that
// change: a save sends the config the draft started from (`base`) and the engine refuses it when
// site.json holds another by now (a tape labelled counts too); when another site is opened or
// created, a draft of the old one is dropped, as saving it would write it into the new site.
// While a save runs the draft cannot change (the editor is inert), so nothing typed is lost. A
// field that takes its text only when the operator is done with it (a device's id) holds an
// unsaved change while it is being typed: it counts as one (`pending`), so leaving asks first and
// Save takes it (the field gives it up as the focus leaves for the button; the save then waits
// for its check).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { stableJson, type SiteChange, type SiteConfigDocument } from '../../../engine/contract';
import { useApi } from '../api/client';
import { cloneJson, isObject } from '../site/draft';
import type { ConfigProblem } from '../site/problems';
import { failure, type Failure } from './failure';

/** How long after the last change the draft is checked. */
export const CHECK_DELAY_MS = 300;

/** Why the draft is not what the operator left: another client changed the site meanwhile. */
export interface DraftNotice {
  kind: 'dropped' | 'saved-elsewhere';
  /** The site shown now. */
  name: string;
}

/** Why the JSON view's text is no config. */
export type RawProblem = { kind: 'syntax'; message: string } | { kind: 'not-object' };

export const useSiteConfigStore = defineStore('siteConfig', () => {
  const api = useApi();
  const saved = shallowRef<SiteConfigDocument | null>(null);
  /** The config the draft started from: what a save may replace. */
  const base = shallowRef<SiteConfigDocument | null>(null);
  const draft = ref<SiteConfigDocument | null>(null);
  /** The JSON view's text as typed (null: the draft's, formatted). */
  const rawText = ref<string | null>(null);
  /** Why rawText is no config (the draft is then the last text that was). */
  const rawError = ref<RawProblem | null>(null);
  const loading = ref(false);
  const loadError = ref<Failure | null>(null);
  const problems = ref<ConfigProblem[]>([]);
  /** The draft the problems are for (stable JSON); they are current when it is the draft's. */
  const checkedKey = ref<string | null>(null);
  const checking = ref(false);
  const checkError = ref<Failure | null>(null);
  const saving = ref(false);
  const saveError = ref<Failure | null>(null);
  /** The site's name when the draft was last saved from here (for "Saved" until the next change). */
  const savedName = ref<string | null>(null);
  const notice = ref<DraftNotice | null>(null);
  /** Paths of fields whose typed text the draft has not taken yet. */
  const pending = ref<ReadonlySet<string>>(new Set());
  /** Counts the times the draft started over (read, discarded): fields show its text again. */
  const resets = ref(0);
  let checks = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const draftKey = computed(() => (draft.value ? stableJson(draft.value) : ''));
  const savedKey = computed(() => (saved.value ? stableJson(saved.value) : ''));
  const dirty = computed(() => draft.value !== null && (draftKey.value !== savedKey.value || rawError.value !== null || pending.value.size > 0));
  const checked = computed(() => draft.value !== null && checkedKey.value === draftKey.value && !checking.value);
  const valid = computed(() => checked.value && problems.value.length === 0 && rawError.value === null);
  /** A change not known to be wrong: one being checked or typed is checked when Save is pressed. */
  const canSave = computed(() => dirty.value && !saving.value && rawError.value === null && (valid.value || !checked.value || pending.value.size > 0));

  /** A field's typed text is, or is no longer, waiting for the draft to take it. */
  function setPending(path: string, waiting: boolean): void {
    if (pending.value.has(path) === waiting) return;
    const next = new Set(pending.value);
    if (waiting) next.add(path);
    else next.delete(path);
    pending.value = next;
  }

  function startOver(): void {
    pending.value = new Set();
    resets.value++;
  }

  /** Reads site.json; the draft starts over from it. */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      const doc = await api.getSiteConfig();
      saved.value = doc;
      base.value = doc;
      draft.value = cloneJson(doc);
      startOver();
      rawText.value = null;
      rawError.value = null;
      loadError.value = null;
    } catch (cause) {
      loadError.value = failure('site.failures.readConfig', cause);
    } finally {
      loading.value = false;
    }
  }

  /** What the view asks for when it opens: the config, unless a draft is kept. */
  async function open(): Promise<void> {
    if (!dirty.value && !loading.value) await load();
  }

  /** Changes the draft through `edit` (the form's way). */
  function change(edit: (doc: SiteConfigDocument) => void): void {
    if (!draft.value || saving.value) return;
    edit(draft.value);
    rawText.value = null;
    rawError.value = null;
    savedName.value = null;
  }

  /** The JSON view's text: it becomes the draft when it is a JSON object. */
  function setRaw(text: string): void {
    if (saving.value) return;
    rawText.value = text;
    savedName.value = null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      rawError.value = { kind: 'syntax', message: cause instanceof Error ? cause.message : String(cause) };
      return;
    }
    if (!isObject(parsed)) {
      rawError.value = { kind: 'not-object' };
      return;
    }
    rawError.value = null;
    draft.value = parsed;
  }

  /** The draft as the JSON view shows it. */
  function format(doc: SiteConfigDocument): string {
    return `${JSON.stringify(doc, null, 2)}\n`;
  }

  function discard(): void {
    base.value = saved.value;
    draft.value = saved.value ? cloneJson(saved.value) : null;
    startOver();
    rawText.value = null;
    rawError.value = null;
    saveError.value = null;
    notice.value = null;
  }

  async function check(): Promise<void> {
    timer = null;
    const doc = draft.value;
    if (!doc) return;
    // A plain copy, as in save().
    const key = draftKey.value;
    const mine = ++checks;
    checking.value = true;
    try {
      const answer = await api.checkSiteConfig({ config: cloneJson(doc) });
      if (mine !== checks) return;
      problems.value = answer.problems;
      checkedKey.value = key;
      checkError.value = null;
    } catch (cause) {
      if (mine === checks) checkError.value = failure('site.failures.check', cause);
    } finally {
      if (mine === checks) checking.value = false;
    }
  }

  function checkSoon(): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void check(), CHECK_DELAY_MS);
  }

  /** Writes the draft to site.json and reopens the site with it; answers whether it did. */
  async function save(): Promise<boolean> {
    if (!canSave.value || !draft.value) return false;
    // A field given up just now: its change is checked first.
    if (!checked.value) {
      if (timer !== null) clearTimeout(timer);
      await check();
    }
    if (!valid.value || pending.value.size > 0 || saving.value) return false;
    saving.value = true;
    try {
      // A plain copy: a transport that clones what it sends (Electron's IPC) cannot clone a reactive proxy.
      const site = await api.saveSiteConfig({ config: cloneJson(draft.value), ...(base.value ? { base: cloneJson(base.value) } : {}) });
      saveError.value = null;
      notice.value = null;
      await load();
      savedName.value = site.name;
      return true;
    } catch (cause) {
      saveError.value = failure('site.failures.save', cause);
      return false;
    } finally {
      saving.value = false;
    }
  }

  function siteChanged(change: SiteChange): void {
    // The change this console's own save made: save() reads the config again itself.
    if (saving.value) return;
    if (!dirty.value || saved.value === null) {
      if (saved.value !== null || draft.value !== null) void load();
      return;
    }
    if (change.reason === 'config-saved') {
      notice.value = { kind: 'saved-elsewhere', name: change.name };
      void api.getSiteConfig().then((doc) => (saved.value = doc), (cause) => (loadError.value = failure('site.failures.readConfig', cause)));
      return;
    }
    notice.value = { kind: 'dropped', name: change.name };
    void load();
  }

  function dismissNotice(): void {
    notice.value = null;
  }

  watch(draftKey, (key) => {
    if (key !== '') checkSoon();
  });
  api.on('site', siteChanged);

  return {
    saved,
    draft,
    rawText,
    rawError,
    loading,
    loadError,
    problems,
    checkedKey,
    checking,
    checkError,
    saving,
    saveError,
    savedName,
    notice,
    pending,
    resets,
    dirty,
    checked,
    valid,
    canSave,
    load,
    open,
    change,
    setRaw,
    format,
    discard,
    check,
    save,
    dismissNotice,
    setPending,
  };
});
