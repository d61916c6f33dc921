import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSse } from '../support/sse.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const PRICES = JSON.stringify({ 'premium-1': { prompt: 3, completion: 15 }, 'cheap-1': { prompt: 0.2, completion: 0.8 } });

describe.each(DATABASE_KINDS)('model spend through the product on %s', (kind) => {
  let server: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    t = await startTestApp(kind, {
      env: {
        OPENAI_BASE_URL: server.url,
        LLM_HOOK_MODEL: 'premium-1',
        LLM_BODY_MODEL: 'cheap-1',
        LLM_PRICES: PRICES,
        LLM_MAX_RETRIES: '0',
        QUALITY_MIN_SCORE: '0',
        LLM_PERSONA_DAILY_BUDGET_USD: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    let n = 0;
    server.respondWith((body) =>
      chatCompletion(`Line ${n++} about budgets with ${n * 7}% more clarity. What would you change?`, {
        model: body.model,
        promptTokens: 1000 + n,
        completionTokens: 100,
      }),
    );
  });

  async function runTask(personaId: string, variants = 1) {
    const { id } = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: personaId, variants }) })
    ).json()) as { id: string };
    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
    return { id, events };
  }

  it('stores the tokens the server reported and their price, per call and per post', async () => {
    const persona = await t.createPersona();
    const { id } = await runTask(persona.id, 2);
    const calls = await t.deps.db.query<{ model: string; service: string; prompt_tokens: number; completion_tokens: number; cost_usd: string; post_id: string }>(
      'SELECT model, service, prompt_tokens, completion_tokens, cost_usd::text, post_id FROM llm_calls WHERE task_id = $1 ORDER BY id',
      [id],
    );
    expect(calls).toHaveLength(server.requests.length);
    for (const call of calls) {
      const price = call.model === 'premium-1' ? { p: 3, c: 15 } : { p: 0.2, c: 0.8 };
      expect(call.service === 'hook' ? 'premium-1' : 'cheap-1').toBe(call.model);
      expect(Number(call.cost_usd)).toBeCloseTo((call.prompt_tokens * price.p + call.completion_tokens * price.c) / 1e6, 8);
      expect(call.post_id).not.toBeNull();
    }
    const served = server.requests.length;
    const stored = calls.reduce((n, c) => n + c.prompt_tokens, 0);
    expect(stored).toBe(Array.from({ length: served }, (_, i) => 1000 + i + 1).reduce((a, b) => a + b, 0));

    const posts = await t.deps.db.query<{ cost: number; calls: number }>(
      `SELECT p.cost_usd::float8 AS cost, (SELECT sum(cost_usd)::float8 FROM llm_calls c WHERE c.post_id = p.id) AS calls
         FROM posts p WHERE task_id = $1`,
      [id],
    );
    for (const post of posts) expect(post.cost).toBeCloseTo(post.calls, 8);

    const costs = (await (await t.api('/v1/costs?group_by=service')).json()) as {
      rows: { key: string; calls: number; cost_usd: number; prompt_tokens: number }[];
      total: { calls: number; cost_usd: number };
    };
    const totalStored = calls.reduce((n, c) => n + Number(c.cost_usd), 0);
    expect(costs.total.cost_usd).toBeCloseTo(totalStored, 8);
    expect(costs.rows.map((r) => r.key).sort()).toEqual(['body', 'hook']);
    const hook = costs.rows.find((r) => r.key === 'hook')!;
    const body = costs.rows.find((r) => r.key === 'body')!;
    expect(hook.cost_usd).toBeGreaterThan(body.cost_usd);

    const byModel = (await (await t.api('/v1/costs?group_by=model')).json()) as { rows: { key: string }[] };
    expect(byModel.rows.map((r) => r.key).sort()).toEqual(['cheap-1', 'premium-1']);
    const byPersona = (await (await t.api('/v1/costs?group_by=persona')).json()) as { rows: { key: string; cost_usd: number }[] };
    expect(byPersona.rows.find((r) => r.key === persona.slug)?.cost_usd).toBeCloseTo(totalStored, 8);
  });

  it('stops a persona over its daily budget before any call, without retrying', async () => {
    const persona = await t.createPersona();
    await t.deps.db.query(
      `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome)
       VALUES ('openai-compatible', 'premium-1', 'hook', $1, 0.9999, 1, 'ok')`,
      [persona.id],
    );
    const { id, events } = await runTask(persona.id);
    expect(server.requests).toHaveLength(0);
    expect(events.at(-1)!.event).toBe('error');
    expect(String(events.at(-1)!.data.message)).toMatch(/daily budget of persona .* reached/);
    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { status: string; runs: number };
    expect(task).toMatchObject({ status: 'failed', runs: 1 });
  });

  it('refuses a bad costs query with a clear message', async () => {
    const res = await t.api('/v1/costs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/from/);
    expect((await t.api('/v1/costs?group_by=colour')).status).toBe(400);
  });
});
