// The current time as a ref that ticks (for elapsed times and "in the last day" counts); the
// timer stops with the component.
import { onUnmounted, ref, type Ref } from 'vue';

export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onUnmounted(() => clearInterval(timer));
  return now;
}
