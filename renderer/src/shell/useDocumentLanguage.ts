// Keeps the page's `<html lang>` on the language in use, so screen readers speak it and the
// browser picks fonts for it (Japanese glyphs rather than Chinese ones for the same characters).
import { onUnmounted, watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';

export function useDocumentLanguage(): void {
  const { locale } = useI18n();
  const stop = watchEffect(() => {
    document.documentElement.lang = locale.value;
  });
  onUnmounted(stop);
}
