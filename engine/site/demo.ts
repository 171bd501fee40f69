// The demo site: one host and its storage, backup servers A B C, copy devices A B C, libraries
// A B C with 8 file-backed tapes each, and four FC switches. Switches 1-3 each serve one
// server, copy device and library; switch 4 reaches all of them, so three independent streams
// exist when everything is available and any single switch failure still leaves three (two
// failures leave two). Sample data for the spec's targets is generated deterministically.
import fs from 'node:fs';
import path from 'node:path';
import type { ScheduleInput } from '../contract';
import type { SiteConfigInput } from './config';

export const DEMO_DEFAULT_SIZE = 64 * 2 ** 20;
export const DEMO_MIN_SIZE = 256 * 2 ** 10;
const TAPE_CAPACITY = 256 * 2 ** 20;
const LETTERS = ['A', 'B', 'C'] as const;
export const DEMO_LOAD_DELAY_MS = 2000;
export const DEMO_POSITION_DELAY_MS = 500;

export function demoSiteConfig(): SiteConfigInput {
  const devices: SiteConfigInput['devices'] = [
    { kind: 'host', id: 'host-1', name: 'Application host', ports: 2 },
    { kind: 'storage', id: 'storage-1', name: 'Disk array', ports: 4, root: 'storage', volumes: { 'X:': 'volumes/X.img' } },
  ];
  const links: SiteConfigInput['links'] = [
    { a: 'host-1:0', b: 'switch-1:0' },
    { a: 'host-1:1', b: 'switch-2:0' },
  ];
  for (let s = 1; s <= 4; s++) {
    devices.push({ kind: 'switch', id: `switch-${s}`, name: `FC switch ${s}`, ports: 16 });
    links.push({ a: `storage-1:${s - 1}`, b: `switch-${s}:1` });
  }
  LETTERS.forEach((letter, i) => {
    const edge = `switch-${i + 1}`;
    const lower = letter.toLowerCase();
    devices.push(
      { kind: 'backup-server', id: `server-${letter}`, name: `Backup server ${letter}`, ports: 2 },
      { kind: 'copy-device', id: `copy-${letter}`, name: `Copy device ${letter}`, ports: 2 },
      {
        kind: 'library',
        id: `library-${letter}`,
        name: `Tape library ${letter}`,
        ports: 2,
        dir: `libraries/${lower}`,
        tapeCapacity: TAPE_CAPACITY,
        tapes: Array.from({ length: 8 }, (_, t) => ({ id: `${letter}0000${t + 1}` })),
        // Slow enough for an operator to see the library mount and position its tapes.
        loadDelayMs: DEMO_LOAD_DELAY_MS,
        positionDelayMs: DEMO_POSITION_DELAY_MS,
      },
    );
    // Each device has one port on its own switch and one on switch 4 (ports 2.. of switch 4).
    const spare = 2 + i * 3;
    links.push(
      { a: `server-${letter}:0`, b: `${edge}:2` },
      { a: `server-${letter}:1`, b: `switch-4:${spare}` },
      { a: `copy-${letter}:0`, b: `${edge}:3` },
      { a: `copy-${letter}:1`, b: `switch-4:${spare + 1}` },
      { a: `library-${letter}:0`, b: `${edge}:4` },
      { a: `library-${letter}:1`, b: `switch-4:${spare + 2}` },
    );
  });
  return { format: 'mpbackup-site', version: 1, name: 'Demo site', devices, links, demo: true };
}

/**
 * The spec's example schedule [410]: daily 22:00 `X:`, 22:30 `/pictures`, 23:00 `/movies`, each
 * with a two-hour window, in the given time zone.
 */
export function demoSchedules(timeZone: string): (ScheduleInput & { timeZone: string })[] {
  const daily = (target: string, time: string, windowEnd: string, mode: ScheduleInput['mode']) => ({
    target,
    mode,
    streams: 2,
    chunkSize: null,
    timeoutMs: null,
    when: { kind: 'daily' as const, time },
    windowEnd,
    timeZone,
    enabled: true,
  });
  return [daily('X:', '22:00', '00:00+1', 'mirrored'), daily('/pictures', '22:30', '00:30+1', 'mirrored'), daily('/movies', '23:00', '01:00+1', 'failover')];
}

/**
 * Writes the sample data of the demo storage under `siteDir`: the `X:` volume image (a quarter
 * of `size`), `/pictures` (a quarter, many small files) and `/movies` (half, a few large files).
 */
export function writeDemoData(siteDir: string, size: number): void {
  const random = new DemoRandom(0x5eed);
  const storage = path.join(siteDir, 'storage');
  const volumeBytes = Math.floor(size / 4);
  fs.mkdirSync(path.join(siteDir, 'volumes'), { recursive: true });
  writeRandomFile(path.join(siteDir, 'volumes', 'X.img'), volumeBytes, random);

  let left = Math.floor(size / 4);
  let n = 1;
  const pictures = path.join(storage, 'pictures');
  while (left > 0) {
    const year = 2024 + (n % 2);
    const month = pad(1 + (n % 12));
    const bytes = Math.min(left, 16 * 1024 + random.below(240 * 1024));
    writeRandomFile(path.join(pictures, String(year), month, `IMG_${String(n).padStart(4, '0')}.jpg`), bytes, random);
    left -= bytes;
    n++;
  }
  // Names that exercise the archive format: non-ASCII, a long path, an empty file and folder.
  writeRandomFile(path.join(pictures, 'trips', 'Ōsaka 大阪', 'castle at dusk.jpg'), 12 * 1024, random);
  const deep = path.join(pictures, 'trips', 'a long folder name that keeps going', 'and another level of folders', 'to pass one hundred characters');
  writeRandomFile(path.join(deep, 'panorama.jpg'), 8 * 1024, random);
  writeRandomFile(path.join(pictures, 'empty.txt'), 0, random);
  fs.mkdirSync(path.join(pictures, 'to sort'), { recursive: true });

  const movies = path.join(storage, 'movies');
  const movieBytes = Math.floor(size / 2);
  const sizes = [0.3, 0.25, 0.2, 0.15, 0.1].map((share) => Math.floor(movieBytes * share));
  sizes.forEach((bytes, i) => writeRandomFile(path.join(movies, `movie-${i + 1}.mp4`), bytes, random));

  stampTimes(storage, random);
}

function writeRandomFile(file: string, bytes: number, random: DemoRandom): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    const block = Buffer.alloc(Math.min(bytes, 1 << 20));
    for (let done = 0; done < bytes; done += block.length) {
      random.fill(block);
      fs.writeSync(fd, block, 0, Math.min(block.length, bytes - done));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Gives every file a modification time in 2024-2025, so listings look like real data. */
function stampTimes(dir: string, random: DemoRandom): void {
  const start = Date.UTC(2024, 0, 1) / 1000;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) stampTimes(full, random);
    const time = start + random.below(730 * 86400);
    fs.utimesSync(full, time, time);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** xorshift32: fast, deterministic bytes for sample data (not for anything secret). */
class DemoRandom {
  constructor(private state: number) {}

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  below(n: number): number {
    return this.next() % n;
  }

  fill(buffer: Buffer): void {
    const words = Math.floor(buffer.length / 4);
    for (let i = 0; i < words; i++) buffer.writeUInt32LE(this.next(), i * 4);
    for (let i = words * 4; i < buffer.length; i++) buffer[i] = this.next() & 0xff;
  }
}
