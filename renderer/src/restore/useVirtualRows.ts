// A long list drawn a window at a time: from the scroll position and height of its scrolling
// element (rows of one fixed height under a sticky header of another), the rows to draw (with a
// few more on each side) and the space to leave above and below them; and scrolling a row into
// view, drawn or not. Follows the element's size; lets go of it on unmount.
import { computed, onMounted, onUnmounted, ref, type Ref } from 'vue';

/** Height assumed until the element is measured (and where layout gives none, as in tests). */
const FALLBACK_HEIGHT = 600;
const OVERSCAN = 8;

export function useVirtualRows(scroller: Ref<HTMLElement | null>, count: Ref<number>, rowHeight: number, headerHeight: number) {
  const scrollTop = ref(0);
  const height = ref(FALLBACK_HEIGHT);
  let observer: ResizeObserver | null = null;
  let element: HTMLElement | null = null;

  const rowsHigh = computed(() => Math.max(1, Math.floor((height.value - headerHeight) / rowHeight)));
  const first = computed(() => Math.max(0, Math.min(count.value, Math.floor(scrollTop.value / rowHeight) - OVERSCAN)));
  const last = computed(() => Math.min(count.value, Math.ceil((scrollTop.value + height.value - headerHeight) / rowHeight) + OVERSCAN));
  const padTop = computed(() => first.value * rowHeight);
  const padBottom = computed(() => Math.max(0, count.value - last.value) * rowHeight);

  function measure(): void {
    if (!element) return;
    scrollTop.value = element.scrollTop;
    height.value = element.clientHeight || FALLBACK_HEIGHT;
  }

  /** Scrolls as little as needed for row `index` to be wholly visible below the header. */
  function scrollToIndex(index: number): void {
    if (!element || index < 0) return;
    const top = index * rowHeight;
    const visible = height.value - headerHeight;
    let next = element.scrollTop;
    if (top < next) next = top;
    else if (top + rowHeight > next + visible) next = top + rowHeight - visible;
    if (next !== element.scrollTop) {
      element.scrollTop = next;
      scrollTop.value = next;
    }
  }

  onMounted(() => {
    element = scroller.value;
    if (!element) return;
    element.addEventListener('scroll', measure, { passive: true });
    if (typeof ResizeObserver === 'function') {
      observer = new ResizeObserver(measure);
      observer.observe(element);
    }
    measure();
  });

  onUnmounted(() => {
    element?.removeEventListener('scroll', measure);
    observer?.disconnect();
    observer = null;
    element = null;
  });

  return { first, last, padTop, padBottom, rowsHigh, scrollToIndex };
}
