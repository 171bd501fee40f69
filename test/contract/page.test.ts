// The page's Content-Security-Policy, shared by the desktop window and the browser host: the same
// directives in both, the browser host adding only its WebSocket to connect-src.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../engine/contract';
import { CONTENT_SECURITY_POLICY as WINDOW_POLICY } from '../../electron/main/window';

describe('the page policy', () => {
  it('is the desktop window policy, plus the WebSocket for the browser host', () => {
    expect(WINDOW_POLICY).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    const served = contentSecurityPolicy(['ws://127.0.0.1:4321']);
    expect(served).toBe(CONTENT_SECURITY_POLICY.replace("connect-src 'self';", "connect-src 'self' ws://127.0.0.1:4321;"));
  });

  it('refuses a source that could widen or break the policy', () => {
    for (const bad of ['*', "ws://x; script-src 'unsafe-eval'", 'ws://a b', 'javascript:alert(1)', "'unsafe-inline'", '']) {
      expect(() => contentSecurityPolicy([bad]), bad).toThrow(/not a connect-src source/);
    }
  });
});
