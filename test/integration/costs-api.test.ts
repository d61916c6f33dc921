import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const PRICE = { 'premium-1': { prompt: 3, completion: 15 }, 'cheap-1': { prompt: 0.2, completion: 0.8 } } as const;

interface CallRow {
  id: number;
  model: string;
  service: string;
  persona: string;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  cache_hit: boolean;
  priced: boolean;
  outcome: string;
  post_id: string | null;
}

interface CostReport {
  from: string;
  to: string;
  group_by: string;
  rows: {
    key: string;
    calls: number;
    cache_hits: number;
    prompt_tokens: number;
    completion_tokens: number;
    cost_usd: number;
  }[];
  total: { calls: number; cache_hits: number; prompt_tokens: number; completion_tokens: number; cost_usd: number };
}

describe.each(DATABASE_KINDS)('model spend and GET /v1/costs on %s', (kind) => {
  let server: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    t = await startTestApp(kind, {
      env: {
        OPENAI_BASE_URL: server.url,
        LLM_HOOK_MODEL: 'premium-1',
        LLM_BODY_MODEL: 'cheap-1',
        LLM_PRICES: JSON.stringify(PRICE),
        LLM_MAX_RETRIES: '0',
        QUALITY_MIN_SCORE: '0',
        // One draft per post: these tests count and price each call of a hook-then-body draft.
        LEARNING_CANDIDATES: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    let n = 0;
    server.respondWith((body) =>
      chatCompletion(`Line ${n++} about budgets with ${n * 7}% more clarity. What would you change?`, {
        model: body.model,
        promptTokens: 1000 + n,
        completionTokens: 100 + n,
      }),
    );
  });

  async function runTask(personaId: string, variants = 1) {
    const res = await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: personaId, variants }) });
    const { id } = (await res.json()) as { id: string };
    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
    return { id, events };
  }

  function callsWhere(where: string, params: unknown[]) {
    return t.deps.db.query<CallRow>(
      `SELECT c.id::int AS id, c.model, c.service, coalesce(p.slug, 'unattributed') AS persona, c.prompt_tokens,
              c.completion_tokens, c.cost_usd::float8 AS cost_usd, c.cache_hit, c.priced, c.outcome, c.post_id
         FROM llm_calls c LEFT JOIN personas p ON p.id = c.persona_id WHERE ${where} ORDER BY c.id`,
      params,
    );
  }

  async function costs(query: string): Promise<CostReport> {
    const res = await t.api(`/v1/costs?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as CostReport;
  }

  it('stores the tokens the server reported times the price table, per call and per post', async () => {
    const persona = await t.createPersona();
    const { id } = await runTask(persona.id, 2);
    const calls = await callsWhere('c.task_id = $1', [id]);
    expect(calls).toHaveLength(server.requests.length);
    // The server reported 1000 + n prompt and 100 + n completion tokens for its n-th answer (from 1).
    calls.forEach((call, i) => {
      const n = i + 1;
      const price = PRICE[call.model as keyof typeof PRICE];
      expect(call.model).toBe(call.service === 'hook' ? 'premium-1' : 'cheap-1');
      expect(call).toMatchObject({
        prompt_tokens: 1000 + n,
        completion_tokens: 100 + n,
        priced: true,
        cache_hit: false,
      });
      expect(call.cost_usd).toBeCloseTo(((1000 + n) * price.prompt + (100 + n) * price.completion) / 1e6, 8);
      expect(call.post_id).not.toBeNull();
    });
    // By hand: the first hook costs (1001 × $3 + 101 × $15) / 1M, the first body (1002 × $0.20 + 102 × $0.80) / 1M.
    expect(calls[0]!.cost_usd).toBeCloseTo(0.004518, 10);
    expect(calls[1]!.cost_usd).toBeCloseTo(0.000282, 10);

    const posts = await t.deps.db.query<{
      id: string;
      cost: number;
      prompt_tokens: number;
      models: Record<string, string>;
    }>('SELECT id, cost_usd::float8 AS cost, prompt_tokens, models FROM posts WHERE task_id = $1', [id]);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      const own = calls.filter((c) => c.post_id === post.id);
      expect(post.cost).toBeCloseTo(
        own.reduce((s, c) => s + c.cost_usd, 0),
        8,
      );
      expect(post.prompt_tokens).toBe(own.reduce((s, c) => s + c.prompt_tokens, 0));
      expect(post.models).toMatchObject({ hook: 'premium-1', body: 'cheap-1', provider: 'openai-compatible' });
    }
  });

  it('reports, per model, service and persona, exactly what llm_calls holds; hooks on the premium model cost more', async () => {
    const persona = await t.createPersona();
    await runTask(persona.id, 2);
    const all = await callsWhere(`c.created_at >= now() - interval '30 days'`, []);
    const keyOf = {
      model: (c: CallRow) => c.model,
      service: (c: CallRow) => c.service,
      persona: (c: CallRow) => c.persona,
    };

    for (const groupBy of ['model', 'service', 'persona'] as const) {
      const report = await costs(`group_by=${groupBy}`);
      expect(report.group_by).toBe(groupBy);
      const keys = [...new Set(all.map(keyOf[groupBy]))].sort();
      expect(report.rows.map((r) => r.key).sort()).toEqual(keys);
      for (const row of report.rows) {
        const mine = all.filter((c) => keyOf[groupBy](c) === row.key);
        expect(row).toMatchObject({
          calls: mine.length,
          cache_hits: mine.filter((c) => c.cache_hit).length,
          prompt_tokens: mine.reduce((s, c) => s + c.prompt_tokens, 0),
          completion_tokens: mine.reduce((s, c) => s + c.completion_tokens, 0),
        });
        expect(row.cost_usd).toBeCloseTo(
          mine.reduce((s, c) => s + c.cost_usd, 0),
          8,
        );
      }
      expect(report.total.calls).toBe(all.length);
      expect(report.total.cost_usd).toBeCloseTo(
        all.reduce((s, c) => s + c.cost_usd, 0),
        8,
      );
    }

    const byService = await costs('group_by=service');
    const hook = byService.rows.find((r) => r.key === 'hook')!;
    const body = byService.rows.find((r) => r.key === 'body')!;
    expect(hook.cost_usd).toBeGreaterThan(body.cost_usd * 5);
    const byModel = await costs('group_by=model');
    expect(byModel.rows.map((r) => r.key)).toEqual(expect.arrayContaining(['premium-1', 'cheap-1']));
    expect(byModel.rows[0]!.cost_usd).toBeGreaterThanOrEqual(byModel.rows.at(-1)!.cost_usd);
  });

  it('counts only the calls between from and to (30 days back by default)', async () => {
    const persona = await t.createPersona();
    await t.deps.db.query(
      `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
       VALUES ('openai-compatible', 'premium-1', 'hook', $1, 0.5, 1, 'ok', now() - interval '40 days')`,
      [persona.id],
    );
    const recent = await costs('group_by=persona');
    expect(recent.rows.find((r) => r.key === persona.slug)).toBeUndefined();
    expect(new Date(recent.to).getTime() - new Date(recent.from).getTime()).toBe(30 * 86_400_000);

    const from = new Date(Date.now() - 50 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 35 * 86_400_000).toISOString();
    const old = await costs(`group_by=persona&from=${from}&to=${to}`);
    expect(old.rows).toEqual([
      { key: persona.slug, calls: 1, cache_hits: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0.5 },
    ]);
    expect(old).toMatchObject({ from, to });
  });

  it("uses a persona's own model tiers, and flags a model missing from the price table", async () => {
    const res = await t.api('/v1/personas', {
      method: 'POST',
      body: JSON.stringify(personaFields({ hook_model: 'mystery-9000', body_model: 'premium-1', daily_budget_usd: 5 })),
    });
    expect(res.status).toBe(201);
    const persona = (await res.json()) as Persona;
    expect(persona).toMatchObject({ hook_model: 'mystery-9000', body_model: 'premium-1', daily_budget_usd: 5 });

    const { id } = await runTask(persona.id);
    expect(server.requests.slice(0, 2).map((r) => r.model)).toEqual(['mystery-9000', 'premium-1']);
    const [hook, body] = await callsWhere('c.task_id = $1', [id]);
    expect(hook).toMatchObject({ model: 'mystery-9000', priced: false, cost_usd: 0, prompt_tokens: 1001 });
    expect(body).toMatchObject({ model: 'premium-1', priced: true });
    expect(body!.cost_usd).toBeGreaterThan(0);
  });

  it("pays once for a retried task's hook: the second run's identical request is a cache hit at $0", async () => {
    let bodies = 0;
    server.respondWith((request) =>
      request.model === 'cheap-1' && bodies++ === 0
        ? { status: 500, json: { error: { message: 'boom' } } }
        : chatCompletion(
            request.model === 'cheap-1'
              ? 'I moved the annual plan to the left and explained the monthly price in one line. Which plan do you show first?'
              : 'What would you change about your pricing page this week?',
            { model: request.model, promptTokens: 900, completionTokens: 40 },
          ),
    );
    const persona = await t.createPersona();
    const { id, events } = await runTask(persona.id);
    expect(events.at(-1)!.event).toBe('done');
    const calls = await callsWhere('c.task_id = $1', [id]);
    expect(calls.map((c) => [c.service, c.outcome, c.cache_hit])).toEqual([
      ['hook', 'ok', false],
      ['body', 'error', false],
      ['hook', 'ok', true],
      ['body', 'ok', false],
    ]);
    expect(calls[1]).toMatchObject({ model: 'cheap-1', cost_usd: 0 });
    expect(calls[2]).toMatchObject({ cost_usd: 0, prompt_tokens: 0, completion_tokens: 0, priced: true });
    expect(server.requests.map((r) => r.model)).toEqual(['premium-1', 'cheap-1', 'cheap-1']);

    const report = await costs('group_by=persona');
    expect(report.rows.find((r) => r.key === persona.slug)).toMatchObject({ calls: 4, cache_hits: 1 });
    const durations = (await t.deps.metrics.registry.getSingleMetric('llm_request_duration_seconds')!.get()).values;
    expect(durations.some((v) => v.labels.outcome === 'cache_hit' && v.labels.model === 'premium-1')).toBe(true);
    expect(durations.some((v) => v.labels.outcome === 'error' && v.labels.model === 'cheap-1')).toBe(true);
  });

  it('refuses a bad costs query with a clear message', async () => {
    const res = await t.api('/v1/costs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/from/);
    expect((await t.api('/v1/costs?group_by=colour')).status).toBe(400);
    expect((await t.api('/v1/costs?from=yesterday')).status).toBe(400);
  });
});
