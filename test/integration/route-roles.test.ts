import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken, type Role } from '../../src/auth/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

/**
 * Written apart from the product's table on purpose: routes only admins may call. Everything else:
 * GET → viewer and up, any other method → editor and up.
 */
const ADMIN_ONLY = new Set(['POST /v1/tokens', 'GET /v1/tokens', 'DELETE /v1/tokens/{id}', 'GET /v1/audit']);
/** Opened by a browser coming back from Threads, authenticated by its single-use state, not a token. */
const NO_TOKEN = new Set(['GET /v1/threads/oauth/callback']);
const ROLES: Role[] = ['viewer', 'editor', 'admin'];
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

function neededRole(route: string): Role {
  if (ADMIN_ONLY.has(route)) return 'admin';
  return route.startsWith('GET ') ? 'viewer' : 'editor';
}

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

describe.each(DATABASE_KINDS)('route × role matrix on %s', (kind) => {
  let t: TestApp;
  let routes: string[];
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
    for (const role of ROLES) tokens[role] = (await issueApiToken(t.deps.db, { name: `matrix-${role}`, role })).token;
    const spec = (await (await fetch(`${t.url}/docs/json`)).json()) as OpenApi;
    routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((route) => !NO_TOKEN.has(route));
  });
  afterAll(() => t?.close());

  function call(route: string, token: string) {
    const [method, path] = route.split(' ') as [string, string];
    // Unknown ids: a role that may call the route gets a 400 or 404, never a change to real data.
    const url = path.replaceAll(/\{[^}]+\}/g, () => randomUUID());
    const hasBody = !['GET', 'DELETE'].includes(method);
    return t.apiAs(token, url, { method, body: hasBody ? '{}' : undefined });
  }

  it('finds every /v1 route in the OpenAPI document, the admin-only ones included', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
    for (const route of ADMIN_ONLY) expect(routes).toContain(route);
    expect(routes).toEqual(
      expect.arrayContaining(['POST /v1/personas', 'POST /v1/tasks', 'POST /v1/posts/{id}/approve']),
    );
  });

  it.each(ROLES)('%s: 403 exactly on the routes its role may not use', async (role) => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const route of routes) {
      const response = await call(route, tokens[role]);
      const allowed = RANK[role] >= RANK[neededRole(route)];
      const body = response.headers.get('content-type')?.includes('json')
        ? await response.json()
        : await response.text();
      if (!response.headers.get('content-type')?.includes('json')) await response.body?.cancel();
      expect(response.status, `${route} as ${role}`).not.toBe(401);
      expect(response.status, `${route} as ${role}`).toBeLessThan(500);
      outcomes.push(`${route} ${response.status === 403 ? 'forbidden' : 'allowed'}`);
      expected.push(`${route} ${allowed ? 'allowed' : 'forbidden'}`);
      if (response.status === 403) {
        expect(body).toEqual({ error: { code: 'forbidden', message: expect.stringContaining(`role is ${role}`) } });
      }
    }
    expect(outcomes).toEqual(expected);
    // The roles really differ: the viewer is refused every mutation, the editor only the admin routes.
    const refused = outcomes.filter((o) => o.endsWith('forbidden')).length;
    if (role === 'viewer') expect(refused).toBeGreaterThanOrEqual(15);
    if (role === 'editor') expect(refused).toBe(ADMIN_ONLY.size);
    if (role === 'admin') expect(refused).toBe(0);
  });

  it('a refused mutation changes nothing', async () => {
    const persona = await t.createPersona();
    const response = await fetch(`${t.url}/v1/personas/${persona.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    expect(response.status).toBe(403);
    expect((await t.api(`/v1/personas/${persona.id}`)).status).toBe(200);
  });
});
