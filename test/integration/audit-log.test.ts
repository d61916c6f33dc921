import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/index.ts';
import { personaFields } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

interface AuditRow {
  id: string;
  at: string;
  token_id: string | null;
  token_name: string | null;
  method: string;
  route: string;
  resource_id: string | null;
  ip: string;
  status: number;
  request_id: string;
}

describe.each(DATABASE_KINDS)('audit log on %s', (kind) => {
  let t: TestApp;
  const clock = new Date('2026-07-01T09:30:00Z');
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false, overrides: { now: () => clock } });
  });
  afterAll(() => t?.close());

  const as = (token: string, route: string, init?: RequestInit) => t.apiAs(token, route, init);

  async function audit(): Promise<AuditRow[]> {
    // Rows are written as each answer goes out; wait until the last call's row is there.
    await new Promise((r) => setTimeout(r, 200));
    const response = await t.api('/v1/audit?limit=100');
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: AuditRow[] }).data;
  }

  it('records who did what to which resource, from where, with the outcome; never bodies or secrets', async () => {
    const editor = await issueApiToken(t.deps.db, { name: 'alice-editor', role: 'editor' });
    const viewer = await issueApiToken(t.deps.db, { name: 'bob-viewer', role: 'viewer' });
    const persona = await t.createPersona();
    const secretText = 'voice-that-must-not-be-logged-9f3a';

    expect(
      (
        await as(editor.token, `/v1/personas/${persona.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ voice: secretText }),
        })
      ).status,
    ).toBe(200);
    expect((await as(viewer.token, `/v1/personas/${persona.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await as('ta_wrong-token-0000000000000000', '/v1/tasks', { method: 'POST', body: '{}' })).status).toBe(401);
    const task = await as(editor.token, '/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: persona.id }),
    });
    expect(task.status).toBe(202);
    const taskId = ((await task.json()) as { id: string }).id;
    expect((await as(editor.token, '/v1/personas')).status).toBe(200);

    const rows = await audit();
    // Each row is written once its answer has gone out, so rows of back-to-back calls may swap places.
    const mine = rows
      .filter((r) => r.at === clock.toISOString())
      .sort((a, b) => a.request_id.localeCompare(b.request_id, 'en', { numeric: true }));
    expect(mine.map((r) => [r.token_name, r.method, r.route, r.resource_id, r.status])).toEqual([
      ['alice-editor', 'PATCH', '/v1/personas/:id', persona.id, 200],
      ['bob-viewer', 'DELETE', '/v1/personas/:id', persona.id, 403],
      [null, 'POST', '/v1/tasks', null, 401],
      ['alice-editor', 'POST', '/v1/tasks', taskId, 202],
    ]);
    expect(mine[0]!.token_id).toBe(editor.record.id);
    expect(mine.every((r) => r.ip === '127.0.0.1' && r.request_id.length > 0)).toBe(true);

    const [stored] = await t.deps.db.query<{ all: string }>(
      "SELECT coalesce(json_agg(audit_log)::text, '') AS all FROM audit_log",
    );
    expect(stored!.all).not.toContain(secretText);
    expect(stored!.all).not.toContain(editor.token);
    expect(stored!.all).not.toContain('ta_wrong-token');
  });

  it('pages with a cursor, newest first, and is for admins only', async () => {
    const editor = await issueApiToken(t.deps.db, { name: 'pager', role: 'editor' });
    for (let i = 0; i < 5; i++) {
      await as(editor.token, '/v1/personas', { method: 'POST', body: JSON.stringify(personaFields()) });
    }
    await new Promise((r) => setTimeout(r, 200));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await t.api(`/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        data: AuditRow[];
        next_cursor: string | null;
      };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    const all = (await t.deps.db.query<{ id: string }>('SELECT id::text AS id FROM audit_log ORDER BY id DESC')).map(
      (r) => r.id,
    );
    expect(seen).toEqual(all);
    expect((await as(editor.token, '/v1/audit')).status).toBe(403);
    expect((await t.api('/v1/audit?cursor=abc')).status).toBe(400);
  });
});
