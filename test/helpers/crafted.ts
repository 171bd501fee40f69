// Tar streams crafted for tests, with whatever names they are given (`..`, absolute paths,
// symlinks pointing out), laid out as our writer lays out a backup stream.
import path from 'node:path';
import type { ExtractEntry } from '../../engine/payload';
import { layOut } from '../../engine/payload/listing';
import { encodeHeaders } from '../../engine/payload/tar';

export type CraftedSpec = Pick<ExtractEntry, 'path' | 'type'> & { data?: string | Buffer; linkTarget?: string };

/** A tar stream of the entries, and the entries with their offsets in it. */
export function craftStream(specs: CraftedSpec[]): { stream: Buffer; entries: ExtractEntry[] } {
  const entries = specs.map((s, no) => ({
    no,
    parent: null,
    path: s.path,
    name: path.posix.basename(s.path),
    type: s.type,
    size: s.data === undefined ? 0 : Buffer.byteLength(s.data),
    mtimeMs: 1_700_000_000_000,
    mode: s.type === 'directory' ? 0o755 : 0o644,
    offset: 0,
    dataOffset: 0,
    ...(s.linkTarget === undefined ? {} : { linkTarget: s.linkTarget }),
  }));
  const size = layOut('directory', entries);
  const stream = Buffer.alloc(size);
  entries.forEach((e, i) => {
    encodeHeaders(e).copy(stream, e.offset);
    const data = specs[i]!.data;
    if (data !== undefined) Buffer.from(data).copy(stream, e.dataOffset);
  });
  return { stream, entries: entries.map(({ parent: _parent, ...e }) => e) };
}
