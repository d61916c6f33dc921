import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/content/seeded-random.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe.each(DATABASE_KINDS)('bad input gets a 4xx that says what is wrong on %s', (kind) => {
  let t: TestApp;
  let persona: Persona;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
    persona = await t.createPersona();
  });
  afterAll(() => t?.close());

  async function expectError(res: Response, status: number, message: RegExp) {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(message);
  }

  const postTask = (body: string) => t.api('/v1/tasks', { method: 'POST', body });

  it('refuses bad task requests', async () => {
    await expectError(await postTask(JSON.stringify({ persona_id: UNKNOWN_ID })), 422, /persona .* does not exist/);
    await expectError(await postTask('{"persona_id": '), 400, /JSON/i);
    await expectError(await postTask(JSON.stringify({ persona_id: 123 })), 400, /persona_id/);
    await expectError(await postTask(JSON.stringify({ persona_id: persona.id, variants: 'two' })), 400, /variants/);
    await expectError(await postTask(JSON.stringify({ persona_id: persona.id, variants: 0 })), 400, /variants/);
    await expectError(await postTask(JSON.stringify({ persona_id: persona.id, variants: 11 })), 400, /variants/);
    await expectError(await postTask(JSON.stringify({ persona_id: persona.id, topic: 'x'.repeat(281) })), 400, /topic/);
    await expectError(await postTask(JSON.stringify({ persona_id: persona.id, colour: 'red' })), 400, /colour|unrecognized/i);
    await expectError(await postTask(JSON.stringify({})), 400, /persona_id/);
    await expectError(await postTask('[]'), 400, /body/);
    const wrongType = await t.api('/v1/tasks', { method: 'POST', body: '<task/>', headers: { 'content-type': 'application/xml' } });
    expect(wrongType.status).toBe(415);
    const badKey = await t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: persona.id }),
      headers: { 'idempotency-key': 'has spaces' },
    });
    await expectError(badKey, 400, /idempotency-key/);
  });

  it('refuses bad ids, unknown ids, cursors and query parameters', async () => {
    for (const path of ['/v1/tasks/nope', '/v1/tasks/nope/events', '/v1/posts/nope', '/v1/personas/nope']) {
      await expectError(await t.api(path), 400, /UUID/);
    }
    await expectError(await t.api(`/v1/tasks/${UNKNOWN_ID}`), 404, /does not exist/);
    await expectError(await t.api(`/v1/tasks/${UNKNOWN_ID}/events`), 404, /does not exist/);
    await expectError(await t.api(`/v1/posts/${UNKNOWN_ID}`), 404, /does not exist/);
    await expectError(await t.api(`/v1/personas/${UNKNOWN_ID}`), 404, /does not exist/);
    await expectError(await t.api('/v1/posts?cursor=garbage'), 400, /cursor/);
    await expectError(await t.api('/v1/posts?limit=1000'), 400, /limit/);
    await expectError(await t.api('/v1/posts?status=published-yesterday'), 400, /status/);
    await expectError(await t.api('/v1/posts?sort=asc'), 400, /sort|unrecognized/i);
    await expectError(await t.api('/v1/no-such-thing'), 404, /no route/);
  });

  it('refuses bad personas', async () => {
    const post = (body: unknown) => t.api('/v1/personas', { method: 'POST', body: JSON.stringify(body) });
    await expectError(await post({ ...personaFields(), slug: 'Not A Slug' }), 400, /slug/);
    const { name: _name, ...missingName } = personaFields();
    await expectError(await post(missingName), 400, /name/);
    await expectError(await post({ ...personaFields(), hook_patterns: ['interpretive_dance'] }), 400, /hook_patterns/);
    await expectError(await post(personaFields({ slug: persona.slug })), 409, /already exists/);
    const patch = (body: unknown) => t.api(`/v1/personas/${persona.id}`, { method: 'PATCH', body: JSON.stringify(body) });
    await expectError(await patch({}), 400, /at least one field/);
    await expectError(await patch({ favourite_colour: 'blue' }), 400, /favourite_colour|unrecognized/i);
  });

  it('never answers 5xx to random input (bounded fuzz)', async () => {
    const rng = createSeededRandom(20261128);
    const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)]!;
    const values: unknown[] = [null, true, -1, 0, 1e308, 'x'.repeat(5000), '', '💥', [], [1, 'a'], {}, { a: { b: [null] } },
      persona.id, UNKNOWN_ID, '../../etc/passwd', "'; DROP TABLE posts; --"];
    const fields = ['persona_id', 'topic', 'variants', 'slug', 'name', 'niche', 'topics', 'hook_patterns', '__proto__', 'constructor'];
    const routes: [string, string][] = [
      ['POST', '/v1/tasks'], ['POST', '/v1/personas'], ['PATCH', `/v1/personas/${persona.id}`],
      ['GET', '/v1/posts'], ['GET', '/v1/personas'], ['GET', `/v1/tasks/${UNKNOWN_ID}`],
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const [method, path] = pick(routes);
      const payload: Record<string, unknown> = {};
      for (let f = 0; f < 1 + Math.floor(rng() * 4); f++) payload[pick(fields)] = pick(values);
      const raw = rng() < 0.15 ? JSON.stringify(payload).slice(0, Math.floor(rng() * 20)) : JSON.stringify(payload);
      const query = new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, String(v)])).toString();
      const res =
        method === 'GET'
          ? await t.api(`${path}?${query}`)
          : await t.api(path, { method, body: raw });
      statuses.add(res.status);
      expect(res.status, `${method} ${path} ${raw.slice(0, 200)}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
    expect([...statuses].some((s) => s >= 400)).toBe(true);
  });
});
