// The built app's mover program (out/main/mover.js, bundled by electron-vite) runs as a mover:
// it starts, takes its work, loads a tape and stores chunks that read back as the source.
// The desktop app forks this file; in a checkout the TypeScript source runs instead.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTapeLibrary } from '../../engine/media';
import { MoverClient, type StoredMessage } from '../../engine/movers';
import { StreamReader, takeListing, writeListing } from '../../engine/payload';
import { ROOT } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

const BUILT = path.join(ROOT, 'out/main/mover.js');

describe('the bundled mover', () => {
  const tempDir = useTempDirs('mpb-built-mover-');
  const clients: MoverClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.fence();
  });

  it('stores chunks that read back as the source', async () => {
    expect(fs.existsSync(BUILT)).toBe(true);
    const dir = tempDir();
    const source = path.join(dir, 'src');
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'a.bin'), createHash('sha512').update('a').digest().toString('hex').repeat(3000));
    const listing = await takeListing(source, 'directory');
    writeListing(path.join(dir, 'listing.json'), listing);
    const chunkSize = 64 * 1024;
    const chunks = Math.ceil(listing.size / chunkSize);
    const library = { id: 'library-A', dir: path.join(dir, 'lib'), tapes: [{ id: 'A00001', capacity: 16 * 2 ** 20 }], loadDelayMs: 0, positionDelayMs: 0 };

    const { client, result } = await MoverClient.spawn('copy-A', 10_000, { script: BUILT, execArgv: [] });
    clients.push(client);
    expect(result).toEqual({ ok: true });
    const init = { mover: { id: 'copy-A', kind: 'copy-device' as const }, listingFile: path.join(dir, 'listing.json'), streamSize: listing.size, chunkSize, backupId: 1, stream: 0, library, reserveTail: 0, path: ['storage-1'], faults: [] };
    expect(await client.init(init)).toEqual({ ok: true });
    expect(await client.load('A00001', 0)).toEqual({ ok: true });
    const stored: StoredMessage[] = [];
    expect(await client.write({ tape: 'A00001', position: 4096, first: 0, count: chunks }, (m) => stored.push(m))).toEqual({ ok: true });
    expect(stored.map((m) => m.chunk)).toEqual([...Array(chunks).keys()]);
    await client.stop();

    const volume = await new FileTapeLibrary(library).load('A00001');
    const reader = new StreamReader(listing);
    try {
      for (const m of stored) {
        const { payload } = await volume.read(m.position);
        expect(payload.equals((await reader.read(m.offset, m.length)).bytes)).toBe(true);
      }
    } finally {
      await volume.unload();
    }
  });
});
