// A real mover process driven through MoverClient: chunks stored with their checksums and
// positions, and each way a mover can fail (killed, hung past the timeout, crashing on a
// fault, a full tape) ends the command with the right code and a dead or usable process.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../engine/contract';
import { LABEL_SIZE, RECORD_OVERHEAD } from '../../engine/media';
import { MoverClient, type InitMessage, type StoredMessage } from '../../engine/movers';
import { StreamReader, takeListing, writeListing, type Listing } from '../../engine/payload';
import { useTempDirs } from '../helpers/temp';

const CHUNK = 64 * 1024;

describe('MoverClient with a mover process', () => {
  const tempDir = useTempDirs('mpb-mover-');
  const clients: MoverClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.fence();
  });

  async function setUp(options: { faults?: Fault[]; capacity?: number; timeoutMs?: number } = {}) {
    const dir = tempDir();
    const source = path.join(dir, 'src');
    fs.mkdirSync(source);
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(source, `f${i}`), createHash('sha512').update(String(i)).digest('hex').repeat(800));
    const listing = await takeListing(source, 'directory');
    writeListing(path.join(dir, 'listing.json'), listing);
    const init: Omit<InitMessage, 'type'> = {
      mover: { id: 'copy-A', kind: 'copy-device' },
      listingFile: path.join(dir, 'listing.json'),
      streamSize: listing.size,
      chunkSize: CHUNK,
      backupId: 3,
      stream: 0,
      library: { id: 'library-A', dir: path.join(dir, 'lib'), tapes: [{ id: 'A00001', capacity: options.capacity ?? 8 * 2 ** 20 }], loadDelayMs: 0, positionDelayMs: 0 },
      reserveTail: 0,
      path: ['storage-1', 'switch-1'],
      faults: options.faults ?? [],
    };
    const { client, result } = await MoverClient.start(init, options.timeoutMs ?? 10_000);
    clients.push(client);
    expect(result).toEqual({ ok: true });
    expect(await client.load('A00001', 0)).toEqual({ ok: true });
    return { client, listing, chunks: Math.ceil(listing.size / CHUNK), tape: path.join(dir, 'lib', 'A00001.tape') };
  }

  async function sourceSha(listing: Listing, offset: number, length: number): Promise<string> {
    const reader = new StreamReader(listing);
    return createHash('sha256').update((await reader.read(offset, length)).bytes).digest('hex');
  }

  it('stores every chunk durably, in order, with its checksum and position', async () => {
    const { client, listing, chunks } = await setUp();
    const stored: StoredMessage[] = [];
    expect(await client.write({ tape: 'A00001', position: LABEL_SIZE, first: 0, count: chunks }, (m) => stored.push(m))).toEqual({ ok: true });
    expect(stored.map((m) => m.chunk)).toEqual([...Array(chunks).keys()]);
    let position = LABEL_SIZE;
    for (const m of stored) {
      expect(m.position).toBe(position);
      expect(m.end).toBe(position + RECORD_OVERHEAD + m.length);
      expect(m.sha256).toBe(await sourceSha(listing, m.offset, m.length));
      expect(m.run.position).toBe(LABEL_SIZE);
      position = m.end;
    }
    await client.stop();
    expect(client.alive).toBe(false);
  });

  it('a hung mover times out and is killed', async () => {
    const { client, chunks } = await setUp({ faults: [{ device: 'copy-A', kind: 'hang', at: { chunk: 1 } }], timeoutMs: 800 });
    const started = performance.now();
    const result = await client.write({ tape: 'A00001', position: LABEL_SIZE, first: 0, count: chunks }, () => {});
    expect(result).toMatchObject({ ok: false, code: 'timeout', device: 'copy-A' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(750);
    await client.fence();
    expect(client.alive).toBe(false);
  });

  it('a crash fault kills the process: the command ends as crashed', async () => {
    const { client, chunks } = await setUp({ faults: [{ device: 'copy-A', kind: 'crash', at: { chunk: 2 } }] });
    const stored: number[] = [];
    const result = await client.write({ tape: 'A00001', position: LABEL_SIZE, first: 0, count: chunks }, (m) => stored.push(m.chunk));
    expect(result).toMatchObject({ ok: false, code: 'crashed', device: 'copy-A', message: expect.stringMatching(/killed \(SIGKILL\)/) });
    expect(stored).toEqual([0, 1]);
    expect(client.alive).toBe(false);
  });

  it('a switch going down fails the command with path-down, naming the switch', async () => {
    const { client, chunks } = await setUp({ faults: [{ device: 'switch-1', kind: 'down', at: { chunk: 1 } }] });
    const result = await client.write({ tape: 'A00001', position: LABEL_SIZE, first: 0, count: chunks }, () => {});
    expect(result).toMatchObject({ ok: false, code: 'path-down', device: 'switch-1', chunk: 1 });
    expect(client.alive).toBe(true);
  });

  it('a full tape ends the command with end-of-medium and nothing written past the last chunk', async () => {
    const capacity = LABEL_SIZE + 2 * (RECORD_OVERHEAD + CHUNK) + 100;
    const { client, chunks, tape } = await setUp({ capacity });
    const stored: StoredMessage[] = [];
    const result = await client.write({ tape: 'A00001', position: LABEL_SIZE, first: 0, count: chunks }, (m) => stored.push(m));
    expect(result).toMatchObject({ ok: false, code: 'end-of-medium', device: 'A00001', chunk: 2 });
    expect(stored.map((m) => m.chunk)).toEqual([0, 1]);
    expect(fs.statSync(tape).size).toBe(stored.at(-1)!.end);
  });
});
