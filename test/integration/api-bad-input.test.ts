import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/platform/seeded-random.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { personaFields } from '../support/factories.ts';
import { insertDraft } from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The query and body field names an operation documents: what the fuzz fills with bad values. */
function fieldsOf(operation: OpenApiOperation): string[] {
  const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const body = Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {});
  return [...query, ...body];
}

describe.each(DATABASE_KINDS)('bad input gets a 4xx that says what is wrong on %s', (kind) => {
  let t: TestApp;
  let sim: RunningSimulator;
  let persona: Persona;
  beforeAll(async () => {
    // Routes that check a token or a code with Threads ask a real simulator, which refuses bad ones.
    sim = await startThreadsSimulator({
      seed: 5,
      appId: 'fuzz-app',
      appSecret: 'fuzz-app-secret',
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp(kind, {
      worker: false,
      env: {
        THREADS_API_BASE_URL: sim.url,
        THREADS_APP_ID: 'fuzz-app',
        THREADS_APP_SECRET: 'fuzz-app-secret',
        THREADS_REDIRECT_URI: 'https://agent.example.test/v1/threads/oauth/callback',
        TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32),
      },
    });
    persona = await t.createPersona();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

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
    await expectError(
      await postTask(JSON.stringify({ persona_id: persona.id, colour: 'red' })),
      400,
      /colour|unrecognized/i,
    );
    await expectError(await postTask(JSON.stringify({})), 400, /persona_id/);
    await expectError(await postTask('[]'), 400, /body/);
    const wrongType = await t.api('/v1/tasks', {
      method: 'POST',
      body: '<task/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(wrongType.status).toBe(415);
    const badKey = await t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: persona.id }),
      headers: { 'idempotency-key': 'has spaces' },
    });
    await expectError(badKey, 400, /idempotency-key/);
  });

  it('refuses a topic in another language than the persona writes, saying what to give instead', async () => {
    for (const topic of ['キーボードで日本語を打つ', 'cómo aprender inglés rápido', 'particles は and が']) {
      await expectError(
        await postTask(JSON.stringify({ persona_id: persona.id, topic })),
        422,
        /another language|reads as .*give the topic in English/,
      );
    }
    // English topics with names, figures and trade terms are fine.
    for (const topic of ['SEO for a niche tool', 'pricing a $29 plan versus a $49 plan', 'cold retard timing']) {
      expect((await postTask(JSON.stringify({ persona_id: persona.id, topic }))).status, topic).toBe(202);
    }
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
    const patch = (body: unknown) =>
      t.api(`/v1/personas/${persona.id}`, { method: 'PATCH', body: JSON.stringify(body) });
    await expectError(await patch({}), 400, /at least one field/);
    await expectError(await patch({ favourite_colour: 'blue' }), 400, /favourite_colour|unrecognized/i);
  });

  it('never answers 5xx to random input on any /v1 route of the OpenAPI document (bounded fuzz)', async () => {
    const doc = (await (await fetch(`${t.url}/docs/json`)).json()) as OpenApiDocument;
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          path,
          method: method.toUpperCase(),
          fields: fieldsOf(operation),
        })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(24);

    const rng = createSeededRandom(20261128);
    const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)]!;
    const draft = await insertDraft(t.deps.db, persona.id);
    const values: unknown[] = [
      null,
      true,
      -1,
      0,
      1e308,
      'x'.repeat(5000),
      '',
      '💥',
      [],
      [1, 'a'],
      {},
      { a: { b: [null] } },
      persona.id,
      draft.id,
      UNKNOWN_ID,
      '2026-13-45T99:00:00Z',
      '7d',
      'USD',
      '../../etc/passwd',
      "'; DROP TABLE posts; --",
      'a\u0000b',
      'a\ud800b',
    ];
    const junkFields = ['__proto__', 'constructor', 'colour'];
    const tried = new Set<string>();
    const statuses = new Set<number>();
    for (let i = 0; i < 800; i++) {
      const operation = pick(operations);
      // Deleting the fixtures would leave the rest of the run nothing to hit but 404s.
      const ids = operation.method === 'DELETE' ? [UNKNOWN_ID, 'nope'] : [persona.id, draft.id, UNKNOWN_ID, 'nope'];
      const path = operation.path.replace(/\{[^}]+\}/g, () => pick(ids));
      const payload: Record<string, unknown> = {};
      const fields = [...operation.fields, ...junkFields];
      for (let f = 0; f < 1 + Math.floor(rng() * 4); f++) payload[pick(fields)] = pick(values);
      const raw = rng() < 0.15 ? JSON.stringify(payload).slice(0, Math.floor(rng() * 20)) : JSON.stringify(payload);
      const query = new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, String(v)])).toString();
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(operation.method);
      const res = hasBody
        ? await t.api(path, { method: operation.method, body: raw })
        : await t.api(`${path}?${query}`, { method: operation.method });
      tried.add(`${operation.method} ${operation.path}`);
      statuses.add(res.status);
      expect(
        res.status,
        `${operation.method} ${path} ${hasBody ? raw.slice(0, 200) : query.slice(0, 200)}`,
      ).toBeLessThan(500);
      // An event stream that was opened (a real task) is not read to its end.
      if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
      else await res.arrayBuffer();
    }
    expect(tried.size).toBe(operations.length);
    // Both refusals and accepted requests: the fuzz reaches the handlers, not only the validators.
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    expect([...statuses].some((s) => s < 300)).toBe(true);
  });

  it('refuses NUL bytes, lone surrogates, over-long and deeply nested values in every field of every operation (0 × 5xx)', async () => {
    const doc = (await (await fetch(`${t.url}/docs/json`)).json()) as OpenApiDocument;
    const draft = await insertDraft(t.deps.db, persona.id);
    // Each value as JSON text (a body field) and as the raw bytes of a URL (a path or query parameter).
    const BAD: { name: string; json: string; url: string; named: boolean }[] = [
      { name: 'NUL', json: JSON.stringify('a\u0000b'), url: 'a%00b', named: true },
      { name: 'lone high surrogate', json: '"a\\ud800b"', url: 'a%ED%A0%80b', named: false },
      { name: 'lone low surrogate', json: '"\\udc00"', url: '%ED%B0%80', named: false },
      { name: 'over-long', json: JSON.stringify('x'.repeat(100_000)), url: 'x'.repeat(8000), named: false },
      {
        name: 'deeply nested',
        json: `${'['.repeat(5000)}"deep"${']'.repeat(5000)}`,
        url: '['.repeat(4000),
        named: false,
      },
    ];
    // A valid body per operation: the bad value replaces one field of it, so the rest passes the schema
    // and an unguarded value would reach the service and the database.
    const validBodies: Record<string, () => Record<string, unknown>> = {
      'POST /v1/personas': () => ({ ...personaFields() }),
      'PATCH /v1/personas/{id}': () => ({ name: 'Renamed' }),
      'POST /v1/tasks': () => ({ persona_id: persona.id, topic: 'pricing' }),
      'PUT /v1/personas/{id}/threads-account': () => ({ access_token: 'not-a-real-token-0123' }),
      'POST /v1/revenue/events': () => ({
        external_id: `ev-${Math.random()}`,
        stream: 'lead',
        amount: 1,
        currency: 'USD',
      }),
      'POST /v1/posts/{id}/reject': () => ({ reason: 'off topic' }),
    };
    const failures: string[] = [];
    let requests = 0;
    let namedRefusals = 0;
    for (const [template, item] of Object.entries(doc.paths)) {
      if (!template.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        const verb = method.toUpperCase();
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(verb);
        const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const bodyFields = Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {});
        // Real rows (never deleted: DELETE gets an unknown id), so only the bad value decides.
        const id = () => (verb === 'DELETE' ? UNKNOWN_ID : template.startsWith('/v1/posts/') ? draft.id : persona.id);
        const fields = [
          ...pathParams.map((name) => ({ in: 'params', name })),
          ...query.map((name) => ({ in: 'querystring', name })),
          ...bodyFields.map((name) => ({ in: 'body', name })),
        ];
        for (const field of fields) {
          for (const bad of BAD) {
            let path = template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
              field.in === 'params' && name === field.name ? bad.url : id(),
            );
            if (field.in === 'querystring') path += `?${field.name}=${bad.url}`;
            const valid = validBodies[`${verb} ${template}`]?.() ?? {};
            delete valid[field.name];
            const fieldsText = JSON.stringify(valid).slice(1, -1);
            const badText = field.in === 'body' ? `${JSON.stringify(field.name)}:${bad.json}` : '';
            const body = hasBody ? `{${[fieldsText, badText].filter(Boolean).join(',')}}` : undefined;
            const res = await t.api(path, { method: verb, body });
            requests += 1;
            const text = await res.text();
            const label = `${verb} ${template} ${field.in}.${field.name} = ${bad.name}: ${res.status} ${text.slice(0, 160)}`;
            if (res.status >= 500) failures.push(label);
            // A JSON body carries the exact bad text, as does a URL's %00: both must be refused by name.
            const exact = field.in === 'body' ? bad.name !== 'over-long' && bad.name !== 'deeply nested' : bad.named;
            if (exact && (bad.name === 'NUL' || bad.name.includes('surrogate') || bad.name === 'deeply nested')) {
              if (res.status !== 400 || !text.includes(field.name)) failures.push(`not refused by name: ${label}`);
              else namedRefusals += 1;
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(300);
    expect(namedRefusals).toBeGreaterThan(100);
  });
});
