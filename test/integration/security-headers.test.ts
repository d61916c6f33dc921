import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const ALLOWED = 'https://app.example.com';

function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
}

describe.each(DATABASE_KINDS)('security headers and CORS on %s', (kind) => {
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    open = await startTestApp(kind, { worker: false, env: { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` } });
    closed = await startTestApp(kind, { worker: false });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('sends helmet headers on the API and on /docs, with a CSP that does not force https', async () => {
    for (const response of [await closed.api('/v1/personas'), await fetch(`${closed.url}/docs/`)]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      await response.body?.cancel();
    }
  });

  it('CORS is closed by default: no origin is allowed', async () => {
    const response = await preflight(`${closed.url}/v1/personas`, ALLOWED);
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${closed.url}/v1/personas`, {
      headers: { origin: ALLOWED, authorization: `Bearer ${closed.token}` },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS allows exactly the listed origins', async () => {
    const allowed = await preflight(`${open.url}/v1/personas`, ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const local = await preflight(`${open.url}/v1/tasks`, 'http://localhost:5173');
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await preflight(`${open.url}/v1/personas`, 'https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${open.url}/v1/personas`, {
      headers: { origin: ALLOWED, authorization: `Bearer ${open.token}` },
    });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('refuses a body over 256 KiB with 413 saying so', async () => {
    const response = await closed.api('/v1/personas', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('the swagger UI at /docs still renders in a real browser under this CSP', async () => {
    // Chromium runs the page's scripts under the CSP above; the operations appear only if they ran.
    const { stdout } = await promisify(execFile)(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--virtual-time-budget=10000',
        '--dump-dom',
        `${closed.url}/docs/`,
      ],
      { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 },
    );
    expect(stdout).toContain('data-path="/v1/personas"');
    expect(stdout).toContain('data-path="/v1/tokens"');
  }, 90_000);
});
