import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/app/http/api-server.ts';
import { TOKEN_CACHE_TTL_MS } from '../../src/auth/token-verifier.ts';
import { createPgliteDatabase } from '../../src/platform/db/pglite-database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import { runCli, waitFor } from '../support/child-process.ts';
import { personaFields } from '../support/factories.ts';
import { insertDraft } from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

interface Created {
  id: string;
  token: string;
  role: string;
  persona_ids: string[] | null;
}

describe.each(DATABASE_KINDS)('API tokens on %s', (kind) => {
  let t: TestApp;
  let clock = new Date('2026-06-01T12:00:00Z');

  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false, overrides: { now: () => clock } });
  });
  afterAll(() => t?.close());

  const as = (token: string, route: string, init?: RequestInit) => t.apiAs(token, route, init);

  async function create(body: unknown): Promise<Created> {
    const response = await t.api('/v1/tokens', { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return (await response.json()) as Created;
  }

  it('an admin creates a token shown once; the list never shows a token or its hash', async () => {
    const created = await create({ name: 'dashboard', role: 'viewer' });
    expect(created.token).toMatch(/^ta_[A-Za-z0-9_-]{30,}$/);
    expect(created).toMatchObject({ role: 'viewer', persona_ids: null });
    const listText = await (await t.api('/v1/tokens')).text();
    expect(listText).toContain(created.id);
    expect(listText).not.toContain(created.token);
    expect(listText).not.toContain(created.token.slice(3));
    expect(listText).not.toMatch(/[0-9a-f]{64}/);

    expect((await as(created.token, '/v1/personas')).status).toBe(200);
    expect((await as(created.token, '/v1/personas', { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await as(created.token, '/v1/tokens')).status).toBe(403);
  });

  it('records last use, and refuses a revoked token from the next request on', async () => {
    const created = await create({ name: 'ci', role: 'editor' });
    expect((await as(created.token, '/v1/personas')).status).toBe(200);
    const lastUsed = await waitFor(async () => {
      const list = (await (await t.api('/v1/tokens')).json()) as { data: { id: string; last_used_at: string }[] };
      return list.data.find((row) => row.id === created.id)?.last_used_at ?? undefined;
    }, 5_000);
    expect(lastUsed).toBe(clock.toISOString());

    expect((await t.api(`/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await as(created.token, '/v1/personas')).status).toBe(401);
    expect((await t.api(`/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('a revocation on one replica, or in the table, refuses the token on another within a notification, not the cache TTL', async () => {
    const replica = await buildApiServer(t.deps);
    await replica.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = replica.server.address();
      const replicaUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const onReplica = (token: string) =>
        fetch(`${replicaUrl}/v1/personas`, { headers: { authorization: `Bearer ${token}` } });
      /** How long the replica goes on accepting the token after `revoke` has answered. */
      async function acceptedFor(token: string, revoke: () => Promise<void>): Promise<number> {
        expect((await onReplica(token)).status).toBe(200);
        await revoke();
        const start = performance.now();
        await waitFor(async () => ((await onReplica(token)).status === 401 ? true : undefined), TOKEN_CACHE_TTL_MS * 2);
        return performance.now() - start;
      }

      const viaApi = await create({ name: 'replicated', role: 'viewer' });
      const apiRevoked = await acceptedFor(viaApi.token, async () => {
        expect((await t.api(`/v1/tokens/${viaApi.id}`, { method: 'DELETE' })).status).toBe(204);
      });
      // The CLI or an operator's SQL: no API process was told, only the table's trigger.
      const viaSql = await create({ name: 'sql-revoked', role: 'viewer' });
      expect((await as(viaSql.token, '/v1/personas')).status).toBe(200);
      const sqlRevoked = await acceptedFor(viaSql.token, async () => {
        await t.deps.db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [viaSql.id]);
      });
      expect((await as(viaSql.token, '/v1/personas')).status).toBe(401);
      expect(apiRevoked).toBeLessThan(TOKEN_CACHE_TTL_MS / 2);
      expect(sqlRevoked).toBeLessThan(TOKEN_CACHE_TTL_MS / 2);
    } finally {
      await replica.close();
    }
  });

  it('refuses a token once it has expired', async () => {
    const created = await create({ name: 'short', role: 'viewer', expires_at: '2026-06-01T13:00:00Z' });
    expect((await as(created.token, '/v1/personas')).status).toBe(200);
    clock = new Date('2026-06-01T13:00:01Z');
    expect((await as(created.token, '/v1/personas')).status).toBe(401);
  });

  it.each([
    [{ name: 'x', role: 'root' }, 400, /role/],
    [{ name: '', role: 'viewer' }, 400, /name/],
    [{ name: 'x', role: 'viewer', expires_at: 'tomorrow' }, 400, /ISO 8601/],
    [{ name: 'x', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' }, 400, /future/],
    [{ name: 'x', role: 'viewer', personas: ['no-such-persona'] }, 422, /no-such-persona/],
  ])('POST /v1/tokens %j answers %i saying what to fix', async (body, status, message) => {
    const response = await t.api('/v1/tokens', { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("a token limited to personas sees its own; others' answer 404 and cross-persona routes 403", async () => {
    const mine = await t.createPersona();
    const other = await t.createPersona();
    const scoped = await create({ name: 'scoped', role: 'editor', personas: [mine.slug] });
    expect(scoped.persona_ids).toEqual([mine.id]);
    const minePost = await insertDraft(t.deps.db, mine.id);
    const otherPost = await insertDraft(t.deps.db, other.id);

    expect((await as(scoped.token, `/v1/personas/${mine.id}`)).status).toBe(200);
    expect((await as(scoped.token, `/v1/personas/${other.id}`)).status).toBe(404);
    expect((await as(scoped.token, `/v1/personas/${other.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t.api(`/v1/personas/${other.id}`)).status).toBe(200);
    expect((await as(scoped.token, '/v1/personas')).status).toBe(403);
    expect((await as(scoped.token, '/v1/kpis')).status).toBe(403);
    expect((await as(scoped.token, '/v1/posts')).status).toBe(403);
    expect((await as(scoped.token, `/v1/posts?persona_id=${mine.id}`)).status).toBe(200);
    expect((await as(scoped.token, `/v1/posts?persona_id=${other.id}`)).status).toBe(404);

    const task = (persona: string) =>
      as(scoped.token, '/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona }) });
    expect((await task(other.id)).status).toBe(404);
    const accepted = await task(mine.id);
    expect(accepted.status).toBe(202);
    const { id: taskId } = (await accepted.json()) as { id: string };
    expect((await as(scoped.token, `/v1/tasks/${taskId}`)).status).toBe(200);
    const otherTask = await t.deps.tasks.createTask({ persona_id: other.id });
    expect((await as(scoped.token, `/v1/tasks/${otherTask.task.id}`)).status).toBe(404);
    expect((await as(scoped.token, `/v1/posts/${minePost.id}`)).status).toBe(200);
    // Its neighbours may be any persona's posts: the route spans personas, so a limited token may not use it.
    expect((await as(scoped.token, `/v1/posts/${minePost.id}/similar`)).status).toBe(403);
    expect((await as(scoped.token, `/v1/posts/${otherPost.id}`)).status).toBe(404);
    expect((await as(scoped.token, `/v1/posts/${otherPost.id}/reject`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    expect((await t.api(`/v1/posts/${otherPost.id}`)).status).toBe(200);
  });
});

describe('threads-agent token (CLI)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-tokens-'));
  const env = { DATA_DIR: dataDir };
  // A loaded machine (the suite runs files in parallel) may take a while to open PGlite.
  const cli = (args: string[]) => runCli(args, env, 90_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates with a role and personas, lists without values, revokes by name', async () => {
    const unknown = await cli(['token', 'create', '--role', 'viewer', '--personas', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/no persona "nobody"/);
    const db = await createPgliteDatabase(path.join(dataDir, 'pglite'));
    await migrate(db);
    const persona = await insertPersona(db, personaFields(), 'user');
    await db.close();

    const created = await cli([
      'token',
      'create',
      '--name',
      'reports',
      '--role',
      'viewer',
      '--personas',
      persona.slug,
      '--expires',
      '2099-01-01T00:00:00Z',
    ]);
    expect(created.code).toBe(0);
    const token = /ta_[A-Za-z0-9_-]{30,}/.exec(created.output)?.[0];
    expect(token).toBeDefined();

    const listed = await cli(['token', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(new RegExp(`reports\\s+viewer\\s+${persona.id}\\s+expires 2099-01-01T00:00:00.000Z`));
    expect(listed.output).not.toContain(token!);

    const revoked = await cli(['token', 'revoke', 'reports']);
    expect(revoked.code).toBe(0);
    expect(revoked.output).toMatch(/revoked [0-9a-f-]{36} \(reports\)/);
  }, 400_000);
});
