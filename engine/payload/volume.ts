// The size of a volume target: an image file's length, or a block device's capacity (which
// fstat reports as 0 on Linux, so it is read from /sys/dev/block/<major>:<minor>/size).
import fs from 'node:fs';

/** Bytes of the image file or block device `file` whose stat is `stats`. */
export function volumeSize(file: string, stats: fs.Stats): number {
  if (stats.isFile()) return stats.size;
  if (!stats.isBlockDevice()) throw new Error(`not an image file or block device: ${file}`);
  // glibc's dev_t encoding: major in bits 8-19 and 32-43, minor in bits 0-7 and 12-31 (and 44-63).
  const low = stats.rdev >>> 0;
  const high = Math.floor(stats.rdev / 2 ** 32) >>> 0;
  const major = (((low >>> 8) & 0xfff) | (high & 0xfffff000)) >>> 0;
  const minor = ((low & 0xff) | (((low >>> 12) | (high << 20)) & 0xffffff00)) >>> 0;
  const sysfs = `/sys/dev/block/${major}:${minor}/size`;
  let sectors: number;
  try {
    sectors = Number(fs.readFileSync(sysfs, 'latin1').trim());
  } catch (error) {
    throw new Error(`cannot size block device ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (!Number.isSafeInteger(sectors)) throw new Error(`cannot size block device ${file}: ${sysfs} is not a number`);
  return sectors * 512;
}
