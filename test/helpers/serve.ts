// For tests of the headless host: a small stand-in for the built renderer (unit tests run before
// the build), and the `ws` package's WebSocket sending an Origin header as a browser does.
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../engine/contract';

export const INDEX_HTML = '<!doctype html><html><head><title>Multipath Backup Manager</title><script type="module" src="/assets/app.js"></script></head><body><div id="app"></div></body></html>\n';

/** A build directory with index.html, a script, a stylesheet and an icon; returns its real path. */
export function writeFakeRenderer(dir: string): string {
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("app");\n');
  fs.writeFileSync(path.join(dir, 'assets', 'style.css'), 'body { margin: 0 }\n');
  fs.writeFileSync(path.join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  return fs.realpathSync(dir);
}

/** The `ws` WebSocket, opening with `Origin: origin` (a browser sends its page's origin). */
export function originWebSocket(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
}
