// What the config editor hands every field inside it: the engine's problems placed at the paths
// the form shows (site/problems.ts), the attributes that tie an input to its problems
// (aria-invalid, aria-describedby), and a way to tell screen readers what an edit did that is
// not in view (a device removed with its links).
import { computed, inject, provide, type ComputedRef, type InjectionKey } from 'vue';
import { problemId, type ConfigProblem } from './problems';

interface EditorContext {
  placed: ComputedRef<ReadonlyMap<string, ConfigProblem[]>>;
  announce: (text: string) => void;
}

const EDITOR: InjectionKey<EditorContext> = Symbol('site-config-editor');

export function provideEditor(context: EditorContext): void {
  provide(EDITOR, context);
}

export interface Editor {
  /** The problems shown at a path. */
  at(path: string): ConfigProblem[];
  /** What an input at a path carries: aria-invalid and the id of its problems' text. */
  aria(path: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string };
  announce(text: string): void;
}

export function useEditor(): Editor {
  const context = inject(EDITOR, { placed: computed(() => new Map<string, ConfigProblem[]>()), announce: () => {} });
  const at = (path: string) => context.placed.value.get(path) ?? [];
  return {
    at,
    aria: (path) => (at(path).length ? { 'aria-invalid': 'true', 'aria-describedby': problemId(path) } : {}),
    announce: context.announce,
  };
}
