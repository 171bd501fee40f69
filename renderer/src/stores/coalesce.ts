// A call that many events may ask for at once, run once shortly after the first of them asks
// (a burst of device events reloads the stream capacity once, not fifty times).
export function coalesce(run: () => unknown, delayMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, delayMs);
  };
}
