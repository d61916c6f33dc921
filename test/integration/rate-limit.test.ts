import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/app/http/api-server.ts';
import { issueApiToken } from '../../src/auth/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const LIMITS = {
  RATE_LIMIT_PER_TOKEN: '5',
  RATE_LIMIT_PER_IP: '8',
  RATE_LIMIT_AUTH_FAILURES: '3',
  RATE_LIMIT_WINDOW_SECONDS: '60',
};

const cases = [
  ...DATABASE_KINDS.map((kind) => ({ kind, store: 'postgres' })),
  { kind: 'pglite' as const, store: 'memory' },
];

describe.each(cases)('rate limits on $kind, $store store', ({ kind, store }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false, env: { ...LIMITS, RATE_LIMIT_STORE: store } });
  });
  afterAll(() => t?.close());

  const get = (url: string, token?: string) =>
    fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function statuses(n: number, call: () => Promise<Response>) {
    const out: Response[] = [];
    for (let i = 0; i < n; i++) out.push(await call());
    return out;
  }

  function expectTooMany(response: Response) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('counts per token: the sixth call in the window is 429 with Retry-After; another token is unaffected', async () => {
    const { token } = await issueApiToken(t.deps.db, { name: 'busy', role: 'viewer' });
    const answers = await statuses(6, () => get(`${t.url}/v1/personas`, token));
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('5');
    expectTooMany(answers[5]!);
    const body = (await answers[5]!.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ code: 'too_many_requests', message: expect.stringMatching(/at most 5 per 60 s/) });
    expect((await get(`${t.url}/v1/personas`, t.token)).status).toBe(200);
  });

  it('limits failed authentication per IP far harder, without locking out a valid token from that IP', async () => {
    const answers = await statuses(4, () => get(`${t.url}/v1/personas`, 'ta_guessed-token-000000000000'));
    expect(answers.slice(0, 3).map((r) => r.status)).toEqual([401, 401, 401]);
    expectTooMany(answers[3]!);
    expect((await get(`${t.url}/v1/personas`)).status).toBe(429);
    const { token } = await issueApiToken(t.deps.db, { name: 'valid', role: 'viewer' });
    expect((await get(`${t.url}/v1/personas`, token)).status).toBe(200);
  });

  it('counts unauthenticated routes per IP (probes and scrapes aside)', async () => {
    // The OAuth callback is the one /v1 route without a token: it answers 400 here (no state), counted per IP.
    const answers = await statuses(9, () => get(`${t.url}/v1/threads/oauth/callback`));
    expect(answers.slice(0, 8).every((r) => r.status !== 429)).toBe(true);
    expectTooMany(answers[8]!);
    // Probes and scrapes are never limited: they must answer through an outage of the shared store.
    expect((await get(`${t.url}/health`)).status).toBe(200);
  });

  it.runIf(store === 'postgres')('replicas over one database share the count', async () => {
    const replica = await buildApiServer(t.deps);
    await replica.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = replica.server.address();
      const replicaUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { token } = await issueApiToken(t.deps.db, { name: 'shared', role: 'viewer' });
      for (let i = 0; i < 3; i++) expect((await get(`${t.url}/v1/personas`, token)).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await get(`${replicaUrl}/v1/personas`, token)).status).toBe(200);
      expectTooMany(await get(`${replicaUrl}/v1/personas`, token));
      expectTooMany(await get(`${t.url}/v1/personas`, token));
    } finally {
      await replica.close();
    }
  });
});

describe('rate limits behind a trusted proxy (TRUST_PROXY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { worker: false, env: { ...LIMITS, TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(() => t?.close());

  it('counts failed authentication per client address the proxy forwards, not per proxy', async () => {
    const guess = (client: string) =>
      fetch(`${t.url}/v1/personas`, { headers: { authorization: 'Bearer ta_guess', 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) expect((await guess('203.0.113.7')).status).toBe(401);
    expect((await guess('203.0.113.7')).status).toBe(429);
    expect((await guess('198.51.100.9')).status).toBe(401);
    const [row] = await t.deps.db.query<{ ip: string }>('SELECT ip FROM audit_log ORDER BY id DESC LIMIT 1');
    expect(row).toBeUndefined();
  });
});

describe('rate limits behind one proxy hop (TRUST_PROXY=1, as the Kubernetes manifests set)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { worker: false, env: { ...LIMITS, TRUST_PROXY: '1' } });
  });
  afterAll(() => t?.close());

  it('takes the address the proxy appended, so a client cannot escape the limit by writing its own', async () => {
    const guess = (spoofed: string) =>
      fetch(`${t.url}/v1/personas`, {
        headers: { authorization: 'Bearer ta_guess', 'x-forwarded-for': `${spoofed}, 203.0.113.7` },
      });
    for (let i = 0; i < 3; i++) expect((await guess(`10.0.0.${i}`)).status).toBe(401);
    expect((await guess('10.0.0.99')).status).toBe(429);
  });
});
