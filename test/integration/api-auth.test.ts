import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/api-tokens.ts';
import { ensureAdminToken } from '../../src/app/roles/bootstrap.ts';
import { personaFields } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const ADMIN_TOKEN = 'env-admin-token-0123456789abcdef';

interface Route {
  method: string;
  path: (ids: { persona: string; task: string; post: string }) => string;
  body?: () => unknown;
}

/** Every /v1 route; ids point at real rows so that only the token decides the answer. */
const V1_ROUTES: Route[] = [
  { method: 'GET', path: () => '/v1/personas' },
  { method: 'POST', path: () => '/v1/personas', body: () => personaFields() },
  { method: 'GET', path: (ids) => `/v1/personas/${ids.persona}` },
  { method: 'PATCH', path: (ids) => `/v1/personas/${ids.persona}`, body: () => ({ name: 'Renamed' }) },
  { method: 'DELETE', path: (ids) => `/v1/personas/${ids.persona}` },
  { method: 'POST', path: () => '/v1/tasks', body: () => ({ persona_id: randomUUID() }) },
  { method: 'GET', path: (ids) => `/v1/tasks/${ids.task}` },
  { method: 'GET', path: (ids) => `/v1/tasks/${ids.task}/events` },
  { method: 'GET', path: () => '/v1/posts' },
  { method: 'GET', path: (ids) => `/v1/posts/${ids.post}` },
];

const BAD_AUTHORIZATION: { name: string; header?: string; message: RegExp }[] = [
  { name: 'no Authorization header', message: /Authorization: Bearer/ },
  { name: 'a wrong token', header: 'Bearer ta_this-token-was-never-issued', message: /not valid/ },
  { name: 'Basic credentials', header: 'Basic xyz', message: /Authorization: Bearer/ },
  { name: '"Bearer" with no token', header: 'Bearer', message: /Authorization: Bearer/ },
  { name: 'two words after Bearer', header: 'Bearer abc def', message: /Authorization: Bearer/ },
];

describe.each(DATABASE_KINDS)('API authentication on %s', (kind) => {
  let t: TestApp;
  let ids: { persona: string; task: string; post: string };

  beforeAll(async () => {
    t = await startTestApp(kind, {
      worker: false,
      env: { API_ADMIN_TOKEN: ADMIN_TOKEN, API_TOKEN_CACHE_SECONDS: '0.5' },
    });
    const persona = await t.createPersona();
    const task = await t.deps.tasks.createTask({ persona_id: persona.id });
    ids = { persona: persona.id, task: task.task.id, post: randomUUID() };
  });
  afterAll(() => t?.close());

  function call(route: Route, authorization?: string) {
    const body = route.body?.();
    return fetch(`${t.url}${route.path(ids)}`, {
      method: route.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  describe.each(BAD_AUTHORIZATION)('with $name', ({ header, message }) => {
    it.each(V1_ROUTES.map((r) => [`${r.method} ${r.path({ persona: ':id', task: ':id', post: ':id' })}`, r] as const))(
      '%s answers 401 with a JSON error and www-authenticate',
      async (_name, route) => {
        const response = await call(route, header);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(response.headers.get('content-type')).toContain('application/json');
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
        expect(body.error.message).toMatch(message);
      },
    );
  });

  it('does not run the handler of a refused request', async () => {
    const slug = `refused-${randomUUID().slice(0, 8)}`;
    expect(
      (await call({ method: 'POST', path: () => '/v1/personas', body: () => personaFields({ slug }) })).status,
    ).toBe(401);
    expect((await call({ method: 'DELETE', path: (x) => `/v1/personas/${x.persona}` })).status).toBe(401);
    expect(
      (await call({ method: 'POST', path: () => '/v1/tasks', body: () => ({ persona_id: ids.persona }) })).status,
    ).toBe(401);

    expect(await t.deps.db.query('SELECT 1 FROM personas WHERE slug = $1', [slug])).toHaveLength(0);
    expect((await t.api(`/v1/personas/${ids.persona}`)).status).toBe(200);
    const [tasks] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE persona_id = $1', [
      ids.persona,
    ]);
    expect(tasks!.n).toBe(1);
  });

  it('checks the token on HEAD and on percent-encoded paths too', async () => {
    expect((await fetch(`${t.url}/v1/personas`, { method: 'HEAD' })).status).toBe(401);
    // %76 is "v": whatever route this reaches, it must not answer without a token.
    const encoded = await fetch(`${t.url}/%761/personas`);
    expect([401, 404]).toContain(encoded.status);
    const encodedId = await fetch(`${t.url}/v1/personas/${encodeURIComponent(ids.persona)}`);
    expect(encodedId.status).toBe(401);
  });

  it('refuses the stored hash of a valid token used as a token', async () => {
    const response = await fetch(`${t.url}/v1/personas`, {
      headers: { authorization: `Bearer ${hashToken(t.token)}` },
    });
    expect(response.status).toBe(401);
  });

  it('serves /health, /ready, /metrics and /docs/json without a token', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: kind, queue: 'pg-boss' });

    const metrics = await fetch(`${t.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_request_duration_seconds');

    const docs = await fetch(`${t.url}/docs/json`);
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/personas', '/v1/tasks', '/v1/posts/{id}']));
  });

  it('accepts the stored token and API_ADMIN_TOKEN, in any case of "Bearer"', async () => {
    expect(t.deps.adminToken).toBe(ADMIN_TOKEN);
    for (const authorization of [`Bearer ${t.token}`, `Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`]) {
      const response = await fetch(`${t.url}/v1/personas/${ids.persona}`, { headers: { authorization } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { id: string }).id).toBe(ids.persona);
    }
    // A token of the same length that differs in its last character is refused.
    const almost = `${ADMIN_TOKEN.slice(0, -1)}X`;
    expect((await fetch(`${t.url}/v1/personas`, { headers: { authorization: `Bearer ${almost}` } })).status).toBe(401);
  });

  // Runs last: it empties api_tokens, which revokes t.token.
  it('ensureAdminToken: nothing with API_ADMIN_TOKEN; otherwise one token, printed once, stored as a hash', async () => {
    await t.deps.db.query('DELETE FROM api_tokens');
    const countTokens = async () =>
      (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens'))[0]!.n;

    const printed: string[] = [];
    const print = (text: string) => printed.push(text);

    await ensureAdminToken(t.deps.db, ADMIN_TOKEN, print);
    expect(printed).toEqual([]);
    expect(await countTokens()).toBe(0);

    await ensureAdminToken(t.deps.db, undefined, print);
    expect(printed).toHaveLength(1);
    const token = /\b(ta_[A-Za-z0-9_-]+)/.exec(printed[0]!)?.[1];
    expect(token).toBeDefined();
    expect(token!.length).toBeGreaterThanOrEqual(30);

    const rows = await t.deps.db.query<{ token_hash: string; row: string }>(
      'SELECT token_hash, row_to_json(api_tokens)::text AS row FROM api_tokens',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashToken(token!));
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.row).not.toContain(token!);
    expect(rows[0]!.row).not.toContain(token!.slice(3));

    const withPrinted = await fetch(`${t.url}/v1/personas`, { headers: { authorization: `Bearer ${token}` } });
    expect(withPrinted.status).toBe(200);
    // The token the harness made was deleted above: trusted from the cache for at most
    // API_TOKEN_CACHE_SECONDS after its last look-up, then the table decides.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await t.api('/v1/personas')).status).toBe(401);

    await ensureAdminToken(t.deps.db, undefined, print);
    expect(printed).toHaveLength(1);
    expect(await countTokens()).toBe(1);
  });
});
