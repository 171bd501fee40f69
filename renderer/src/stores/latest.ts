// Overlapping reads of the same thing: only the newest may set what it read. A read started
// before the site changed answers about the old site; the read the change started is newer and
// wins, whichever answers last. `const isLatest = reads(); await ...; if (!isLatest()) return;`
export function latestReads(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}
