// Reading a backup back from its tapes: the fragments of one copy in stream order, record by
// record, each checked against its SHA-256 and its place in the stream, each fragment against its
// checksum (the SHA-256 of its records' digests in order).
// Verification and (later) restore read through here; nothing is written.
import { createHash } from 'node:crypto';
import type { FragmentView } from '../contract';
import type { Volume } from '../media';
import type { SiteModel } from '../site';
import { libraryDriver } from './libraries';

export class ReadbackError extends Error {
  override name = 'ReadbackError';
}

/**
 * Passes the bytes of copy `copy` of backup `backupId` to `sink` in stream order and returns the
 * SHA-256 of the whole stream. Throws ReadbackError when a record is missing, damaged or out of place.
 */
export async function readCopy(
  site: SiteModel,
  backupId: number,
  fragments: readonly FragmentView[],
  copy: number,
  sink: (bytes: Buffer) => void = () => {},
): Promise<string> {
  const stream = createHash('sha256');
  let offset = 0;
  const runs = fragments.filter((f) => f.copy === copy).sort((a, b) => a.offset - b.offset);
  for (const fragment of runs) {
    if (fragment.offset !== offset) throw new ReadbackError(`copy ${copy}: bytes ${offset} to ${fragment.offset} are on no tape`);
    const volume: Volume = await libraryDriver(site, fragment.library).load(fragment.tape);
    try {
      const run = createHash('sha256');
      let position = fragment.position;
      for (let i = 0; i < fragment.chunks; i++) {
        const { record, payload } = await volume.read(position).catch((error: Error) => {
          throw new ReadbackError(`tape ${fragment.tape} at ${position}: ${error.message}`);
        });
        if (record.type !== 'data' || record.backupId !== backupId || record.offset !== offset) {
          throw new ReadbackError(`tape ${fragment.tape} at ${position}: expected backup ${backupId} offset ${offset}, found ${record.type} record of backup ${record.backupId} offset ${record.offset}`);
        }
        run.update(Buffer.from(record.sha256, 'hex'));
        stream.update(payload);
        sink(payload);
        offset += payload.length;
        position = record.end;
      }
      if (offset - fragment.offset !== fragment.size) throw new ReadbackError(`tape ${fragment.tape} at ${fragment.position}: the fragment holds ${offset - fragment.offset} bytes, not ${fragment.size}`);
      if (run.digest('hex') !== fragment.sha256) throw new ReadbackError(`tape ${fragment.tape} at ${fragment.position}: the fragment's checksum does not match`);
    } finally {
      await volume.unload();
    }
  }
  return stream.digest('hex');
}
