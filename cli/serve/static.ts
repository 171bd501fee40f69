// The built renderer as static files, confined to its build directory: a request path is decoded
// once, refused when it holds `..`, `.`, a backslash or a NUL, resolved inside the directory,
// and its real path (symlinks followed) must still lie inside the directory's real path.
// GET and HEAD only; every response carries the headers the caller gives (CSP, nosniff).
import fs from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type Resolved = { file: string; size: number } | { status: 400 | 403 | 404; reason: string };

/**
 * The file a request target names inside `root` (a real path), or why there is none. `target`
 * is the raw request target (`/assets/index.js?x`), as the client sent it.
 */
export function resolveStatic(root: string, target: string): Resolved {
  const rawPath = target.split(/[?#]/, 1)[0]!;
  if (!rawPath.startsWith('/')) return { status: 400, reason: 'the request target is not a path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 403, reason: 'the path holds a NUL or a backslash' };
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return { status: 403, reason: 'the path leaves the build directory' };
  const relative = segments.filter((s) => s !== '').join('/') || 'index.html';
  const candidate = path.resolve(root, relative);
  if (!inside(root, candidate)) return { status: 403, reason: 'the path leaves the build directory' };
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { status: 404, reason: 'no such file' };
  }
  if (!inside(root, real)) return { status: 403, reason: 'the path leads out of the build directory' };
  const stat = fs.statSync(real);
  if (!stat.isFile()) return { status: 404, reason: 'not a file' };
  return { file: real, size: stat.size };
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Answers one request for a static file of `root` (a real path). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('only GET and HEAD\n');
    return;
  }
  const resolved = resolveStatic(root, req.url ?? '');
  if ('status' in resolved) {
    res.writeHead(resolved.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${resolved.reason}\n`);
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(resolved.file),
    'Content-Length': resolved.size,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(fs.createReadStream(resolved.file), res);
  } catch {
    res.destroy(); // the file went away or the client left: nothing more to say
  }
}
