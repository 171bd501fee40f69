// File trees for restore tests: a source tree with the awkward cases (empty files, files larger
// than a chunk, spaces and non-ASCII names, deep paths, empty directories, symlinks), and a
// description of a tree (type, mode, mtime to the millisecond, content digest or link target)
// to compare a restored tree with its source.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface TreeEntry {
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  mtimeMs: number;
  content: string;
}

/** Deterministic bytes. */
export function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Writes the awkward tree under `root`; `chunk` is the backup's chunk size. */
export function writeAwkwardTree(root: string, chunk: number): void {
  const file = (rel: string, data: Buffer, mode = 0o644) => {
    const at = path.join(root, rel);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.writeFileSync(at, data, { mode });
    fs.chmodSync(at, mode);
  };
  file('empty.txt', Buffer.alloc(0));
  file('big/larger than a chunk.bin', bytesOf(3 * chunk + 777, 1), 0o600);
  file('big/exactly a chunk.bin', bytesOf(chunk, 2));
  file('名前/ünïcødé file.txt', Buffer.from('こんにちは\n'));
  file('a/b/c/d/e/f/g/deep.txt', bytesOf(5000, 3), 0o640);
  file('scripts/run.sh', Buffer.from('#!/bin/sh\necho hi\n'), 0o755);
  file(`${'long-name-'.repeat(12)}/${'x'.repeat(120)}.dat`, bytesOf(1234, 4));
  fs.mkdirSync(path.join(root, 'empty dir'), { recursive: true });
  fs.symlinkSync('../empty.txt', path.join(root, 'scripts/link to empty'));
  fs.symlinkSync('/etc/hostname', path.join(root, 'absolute link'));
  // Times in the past, with milliseconds, children before parents (writing a child changes its parent's).
  const entries = fs.readdirSync(root, { recursive: true }).map(String).sort((a, b) => b.length - a.length);
  entries.forEach((rel, i) => {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 1_000_123 + 456);
    fs.lutimesSync(path.join(root, rel), t, t);
  });
}

/** Every entry under `root` by its relative POSIX path (hidden temporary files included, so tests see them). */
export function describeTree(root: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  for (const rel of fs.readdirSync(root, { recursive: true }).map(String).sort()) {
    const at = path.join(root, rel);
    const stats = fs.lstatSync(at);
    const type = stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : 'file';
    const content =
      type === 'file' ? createHash('sha256').update(fs.readFileSync(at)).digest('hex') : type === 'symlink' ? fs.readlinkSync(at) : '';
    out.set(rel.split(path.sep).join('/'), { type, mode: type === 'symlink' ? 0 : stats.mode & 0o7777, mtimeMs: Math.floor(stats.mtimeMs), content });
  }
  return out;
}

/**
 * describeTree with times to the second: a catalog rebuilt from the tapes knows sub-second times
 * only of entries with a pax header (docs/catalog.md, "Rebuilding the catalog").
 */
export function describeTreeToSeconds(root: string): Map<string, TreeEntry> {
  return new Map([...describeTree(root)].map(([rel, e]) => [rel, { ...e, mtimeMs: Math.floor(e.mtimeMs / 1000) }]));
}
