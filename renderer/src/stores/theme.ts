// The console's theme: following the system's light or dark preference unless the operator
// picked one, which is remembered in localStorage. The shell applies it to the page
// (shell/useTheme.ts); this store only holds the choice.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { recall, remember } from './browserStorage';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export const THEME_STORAGE_KEY = 'mpbackup.theme';

function remembered(): ThemeChoice {
  const saved = recall(THEME_STORAGE_KEY);
  return (THEME_CHOICES as readonly string[]).includes(saved ?? '') ? (saved as ThemeChoice) : 'system';
}

export const useThemeStore = defineStore('theme', () => {
  const choice = ref<ThemeChoice>(remembered());
  /** Whether the system prefers dark (kept up to date by the shell). */
  const systemDark = ref(false);
  const effective = computed<'light' | 'dark'>(() => (choice.value === 'system' ? (systemDark.value ? 'dark' : 'light') : choice.value));

  function choose(next: ThemeChoice): void {
    choice.value = next;
    remember(THEME_STORAGE_KEY, next === 'system' ? null : next);
  }

  return { choice, systemDark, effective, choose };
});
