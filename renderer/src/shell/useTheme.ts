// Applies the theme store to the page: `data-theme` on <html> when the operator chose light or
// dark (style.css follows the system's preference otherwise), and tracks that preference.
import { onUnmounted, watchEffect } from 'vue';
import { useThemeStore } from '../stores/theme';

export function useTheme(): void {
  const theme = useThemeStore();
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const follow = () => (theme.systemDark = media?.matches ?? false);
  follow();
  media?.addEventListener('change', follow);
  const stop = watchEffect(() => {
    const root = document.documentElement;
    if (theme.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme.choice;
  });
  onUnmounted(() => {
    media?.removeEventListener('change', follow);
    stop();
  });
}
