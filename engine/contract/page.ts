// What every host serves the renderer's page with, so the desktop window and the browser host
// cannot drift apart: the Content-Security-Policy (the page loads only its own scripts, styles
// and images, nothing from the network). A host that carries the contract over a WebSocket adds
// its own endpoint to `connect-src`.

const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The policy, with `connect` (e.g. `ws://127.0.0.1:8080`) allowed besides the page's own origin. */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  for (const source of connect) {
    if (!/^(wss?|https?):\/\/[^\s;,']+$/.test(source)) throw new Error(`not a connect-src source: ${JSON.stringify(source)}`);
  }
  return DIRECTIVES.map(([name, value]) => `${name} ${name === 'connect-src' ? [value, ...connect].join(' ') : value}`).join('; ');
}

/** The policy of the desktop window: nothing to connect to besides the page itself. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
