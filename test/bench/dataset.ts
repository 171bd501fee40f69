// The benchmarks' data set: incompressible files of mixed sizes (log-uniform from 4 KiB to
// 64 MiB: many small files, most bytes in large ones) in 16 folders, the same every run; and a
// demo-topology site whose storage is that data set.
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { initSite } from '../../engine';
import { SITE_CONFIG_FILE, writeSiteConfig, type SiteConfigInput } from '../../engine/site';

/** File sizes adding up to `total`, from xorshift32 (the contents are cryptographically random). */
function sizes(total: number): number[] {
  let x = 0x5eed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const out: number[] = [];
  let left = total;
  while (left > 0) {
    const size = Math.min(left, Math.round(2 ** (12 + next() * 14)));
    out.push(size);
    left -= size;
  }
  return out;
}

/** Writes the data set of `total` bytes under `dir`; returns how many files it has. */
export function writeDataSet(dir: string, total: number): number {
  const files = sizes(total);
  const block = Buffer.alloc(4 * 2 ** 20);
  files.forEach((size, i) => {
    const file = path.join(dir, `d${i % 16}`, `f${String(i).padStart(5, '0')}.bin`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    for (let done = 0; done < size; done += block.length) {
      randomFillSync(block);
      fs.writeSync(fd, block, 0, Math.min(block.length, size - done));
    }
    fs.closeSync(fd);
  });
  return files.length;
}

/** A fresh demo-topology site in `work` whose storage is `data`, with big blank tapes and no library delays. */
export async function benchSite(work: string, data: string, size: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(work, 'site-'));
  await initSite(dir, { demo: true, demoSize: 256 * 1024 });
  const config = JSON.parse(fs.readFileSync(path.join(dir, SITE_CONFIG_FILE), 'utf8')) as SiteConfigInput;
  for (const device of config.devices) {
    if (device.kind === 'storage') device.root = data;
    if (device.kind === 'library') {
      device.tapeCapacity = 2 * size + 64 * 2 ** 20;
      device.loadDelayMs = 0;
      device.positionDelayMs = 0;
    }
  }
  writeSiteConfig(dir, config);
  return dir;
}
