// Durable file writes shared by every engine folder that keeps state on disk: a file is either
// its old content or its complete new content, whatever instant a crash comes at. What an
// interrupted write leaves behind: at most a `<name>.tmp` file beside the final one.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `file` atomically: temp file, fsync, rename, fsync of the directory. With
 * `durable: false` (a file only a running job reads, gone with the job after a crash) the file is
 * still complete or absent, but the fsyncs are left out.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, { durable = true } = {}): void {
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, data);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (durable) fsyncDir(path.dirname(file));
}

/** Makes a directory's entries (a rename, a new file) durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
