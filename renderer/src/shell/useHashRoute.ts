// Keeps the page's address hash and the navigation store in step: following links, the back
// button and typed addresses, and showing where the operator went in the address bar.
import { onUnmounted, watch } from 'vue';
import { useNavStore } from '../stores/nav';

export function useHashRoute(): void {
  const nav = useNavStore();
  const follow = () => nav.followHash(window.location.hash);
  follow();
  window.addEventListener('hashchange', follow);
  const stop = watch(
    () => nav.hash,
    (hash) => {
      if (window.location.hash !== hash) window.location.hash = hash;
    },
  );
  onUnmounted(() => {
    window.removeEventListener('hashchange', follow);
    stop();
  });
}
