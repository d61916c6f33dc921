import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createChatGateway } from '../../src/platform/llm/chat-gateway.ts';
import { createProviderBreaker } from '../../src/platform/llm/circuit-breaker.ts';
import type { WriteHookInput } from '../../src/generation/model/content-model.ts';
import { createOpenAiClient, providerHost } from '../../src/platform/llm/openai-client.ts';
import { createOpenAiCompatibleModel } from '../../src/generation/model/openai-compatible-model.ts';
import { createPricing } from '../../src/platform/llm/pricing.ts';
import { createMetrics, type Metrics } from '../../src/platform/observability/metrics.ts';
import { personaFields } from '../support/factories.ts';
import {
  chatCompletion,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type FakeReply,
} from '../support/fake-openai-server.ts';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const PRICES = { 'premium-1': { prompt: 3, completion: 15 }, 'cheap-1': { prompt: 0.2, completion: 0.8 } };
const persona = personaFields({
  name: 'Frugal Fran',
  voice: 'dry, practical, slightly sarcastic big sister',
  banned_words: ['hustle'],
  banned_topics: ['crypto'],
});
const hookInput: WriteHookInput = { persona, topic: 'emergency funds', hookPattern: 'contrarian', seed: 42 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DATABASE_KINDS)('the model gateway against a local OpenAI-compatible server, on %s', (kind) => {
  let server: FakeOpenAiServer;
  let testDb: TestDatabase;
  let db: Database;
  let metrics: Metrics;
  /** When each chat request reached the server, in order. */
  let arrivals: number[];

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    testDb = await createTestDatabase(kind);
    db = testDb.db;
    await migrate(db);
  });
  afterAll(async () => {
    await server.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    server.requests.length = 0;
    arrivals = [];
    respond((body) => chatCompletion('A line.', { model: body.model, promptTokens: 1000, completionTokens: 200 }));
    await db.query('DELETE FROM llm_cache');
    metrics = createMetrics();
  });

  /** Scripts the server like respondWith, and notes when each request arrived. */
  function respond(script: FakeReply[] | ((body: any) => FakeReply)) {
    const queue = Array.isArray(script) ? [...script] : null;
    server.respondWith((body) => {
      arrivals.push(performance.now());
      if (!queue) return (script as (body: any) => FakeReply)(body);
      return queue.shift() ?? chatCompletion('Fake completion.', { model: body.model });
    });
  }

  function build(
    options: {
      cacheTtlSeconds?: number;
      maxRetries?: number;
      timeoutMs?: number;
      failures?: number;
      halfOpenSeconds?: number;
      apiKey?: string;
    } = {},
  ) {
    const breaker = createProviderBreaker({
      host: providerHost(server.url),
      failures: options.failures ?? 3,
      halfOpenSeconds: options.halfOpenSeconds ?? 0.3,
      metrics,
    });
    const gateway = createChatGateway({
      // The client's own retries stay on here to show that the gateway turns them off.
      client: createOpenAiClient({ baseURL: server.url, apiKey: options.apiKey, timeoutMs: 60_000, maxRetries: 5 }),
      db,
      metrics,
      pricing: createPricing(PRICES),
      breaker,
      cacheTtlSeconds: options.cacheTtlSeconds ?? 3600,
      timeoutMs: options.timeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 0,
    });
    const model = createOpenAiCompatibleModel({ gateway, hookModel: 'premium-1', bodyModel: 'cheap-1' });
    return { gateway, model, breaker };
  }

  const gaugeOf = async () =>
    (await metrics.registry.getSingleMetric('circuit_breaker_state')!.get()).values.find(
      (v) => v.labels.dependency === `llm:${providerHost(server.url)}`,
    )?.value;
  const gaps = () => arrivals.slice(1).map((t, i) => t - arrivals[i]!);

  it('writes hooks on the premium model and bodies on the cheap one, priced from the reported usage', async () => {
    const { model } = build();
    const hook = await model.writeHook({ ...hookInput, feedback: 'it sounded like an ad' });
    const body = await model.writeBody({ ...hookInput, hook: 'Your emergency fund is too big.', maxChars: 420 });

    expect(server.requests.map((r) => r.model)).toEqual(['premium-1', 'cheap-1']);
    // 1000 prompt and 200 completion tokens at $3 / $15 per 1M, then at $0.20 / $0.80 per 1M.
    expect(hook.costUsd).toBeCloseTo(0.006, 12);
    expect(body.costUsd).toBeCloseTo(0.00036, 12);
    expect(hook).toMatchObject({ usage: { promptTokens: 1000, completionTokens: 200 }, priced: true, cacheHit: false });

    const [system, user] = server.requests[0].messages;
    expect(system.content).toContain('Frugal Fran');
    expect(system.content).toContain(persona.voice);
    expect(system.content).toContain('hustle');
    expect(user.content).toContain('contrarian');
    expect(user.content).toContain('The previous draft was rejected because it sounded like an ad');
    expect(server.requests[0]).toMatchObject({ seed: 42, temperature: 0.9, max_tokens: 80 });
    expect(server.requests[1].messages[1].content).toContain('at most 420 characters');
  });

  it("uses the persona's own model tiers when set, and plans the call's model and worst-case price", async () => {
    const { model } = build();
    const own = { ...hookInput, persona: { ...persona, hook_model: 'cheap-1' } };
    const plan = model.planCall('hook', own);
    expect(plan.model).toBe('cheap-1');
    // At most 80 completion tokens at $0.80 per 1M, plus the prompt.
    expect(plan.maxUsd).toBeGreaterThan((80 * 0.8) / 1e6);
    expect(plan.maxUsd).toBeLessThan((80 * 0.8 + 1000 * 0.2) / 1e6);
    await model.writeHook(own);
    expect(server.requests[0].model).toBe('cheap-1');
  });

  it('answers an identical request from the cache at $0, and a new seed or an expired entry from the server', async () => {
    const { model } = build();
    const first = await model.writeHook(hookInput);
    const again = await model.writeHook(hookInput);
    expect(server.requests).toHaveLength(1);
    expect(again).toMatchObject({ text: first.text, cacheHit: true, costUsd: 0 });
    expect((await model.writeHook({ ...hookInput, seed: 43 })).cacheHit).toBe(false);
    expect(server.requests).toHaveLength(2);
    await db.query(`UPDATE llm_cache SET expires_at = now() - interval '1 second'`);
    expect((await model.writeHook(hookInput)).cacheHit).toBe(false);
    expect(server.requests).toHaveLength(3);
    const cache = (await metrics.registry.getSingleMetric('llm_cache_requests_total')!.get()).values;
    expect(cache.find((v) => v.labels.result === 'hit')?.value).toBe(1);
    expect(cache.find((v) => v.labels.result === 'miss')?.value).toBe(3);
  });

  it('deletes expired cache entries, and caches nothing with a TTL of 0', async () => {
    await db.query(
      `INSERT INTO llm_cache (key, model, response, expires_at) VALUES ('stale', 'm', '{}', now() - interval '1 hour')`,
    );
    await build().model.writeHook(hookInput);
    expect(await db.query(`SELECT key FROM llm_cache WHERE key = 'stale'`)).toHaveLength(0);

    await db.query('DELETE FROM llm_cache');
    const { model } = build({ cacheTtlSeconds: 0 });
    await model.writeHook(hookInput);
    expect((await model.writeHook(hookInput)).cacheHit).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(await db.query('SELECT key FROM llm_cache')).toHaveLength(0);
  });

  it('flags a model missing from the price table and prices it at 0', async () => {
    respond(() => chatCompletion('x', { model: 'mystery-9000', promptTokens: 50, completionTokens: 50 }));
    const { model } = build();
    expect(await model.writeHook(hookInput)).toMatchObject({ costUsd: 0, priced: false, model: 'mystery-9000' });
  });

  it('estimates the tokens when the provider reports no usage, so the spend is not silently 0', async () => {
    respond((body) => chatCompletion('Twelve chars', { model: body.model, usage: false }));
    const { model } = build();
    const out = await model.writeHook(hookInput);
    expect(out.usage.completionTokens).toBe(3);
    expect(out.usage.promptTokens).toBeGreaterThan(50);
    expect(out.costUsd).toBeGreaterThan(0);
  });

  it('waits as long as a 429 says in Retry-After before retrying', async () => {
    respond([{ status: 429, json: { error: { message: 'slow down' } }, headers: { 'retry-after': '1' } }]);
    const { model } = build({ maxRetries: 2, cacheTtlSeconds: 0 });
    expect((await model.writeHook(hookInput)).text).toBe('Fake completion.');
    expect(server.requests).toHaveLength(2);
    // Our own first backoff is at most 0.5 s: a gap of a second is the server's Retry-After.
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
  });

  it('fails at once when Retry-After asks for longer than a call may wait, leaving the retry to the queue', async () => {
    respond([{ status: 429, json: { error: { message: 'daily limit' } }, headers: { 'retry-after': '3600' } }]);
    const { model } = build({ maxRetries: 2, cacheTtlSeconds: 0 });
    const started = performance.now();
    await expect(model.writeHook(hookInput)).rejects.toThrow(/429/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 500s with a growing, jittered backoff, then succeeds', async () => {
    const boom = { status: 500, json: { error: { message: 'boom' } } };
    respond([boom, boom]);
    const { model } = build({ maxRetries: 2, cacheTtlSeconds: 0 });
    expect((await model.writeHook(hookInput)).text).toBe('Fake completion.');
    expect(server.requests).toHaveLength(3);
    const [first, second] = gaps();
    // 0.5 s then 1 s, each less up to a quarter.
    expect(first).toBeGreaterThanOrEqual(370);
    expect(first).toBeLessThan(700);
    expect(second).toBeGreaterThanOrEqual(740);
    expect(second).toBeLessThan(1300);
  });

  it('gives up on a slow answer after the timeout, retrying it first', async () => {
    respond(() => ({ ...chatCompletion('late'), delayMs: 2000 }));
    const { model } = build({ timeoutMs: 300, maxRetries: 1, cacheTtlSeconds: 0 });
    const started = performance.now();
    await expect(model.writeHook(hookInput)).rejects.toThrow(/timed out/i);
    expect(server.requests).toHaveLength(2);
    // Two 300 ms attempts and one backoff of at most 0.5 s, not the 2 s the server would take.
    expect(performance.now() - started).toBeLessThan(1800);
  });

  it('opens the breaker after repeated failed calls, fails fast, then half-opens and closes on success', async () => {
    respond(() => ({ status: 503, json: { error: { message: 'down' } } }));
    const { model } = build({ failures: 2, halfOpenSeconds: 0.5, maxRetries: 1, cacheTtlSeconds: 0 });
    // The breaker sits outside the retries: a call and its retry are one failure.
    await expect(model.writeHook(hookInput)).rejects.toThrow(/503/);
    expect(server.requests).toHaveLength(2);
    expect(await gaugeOf()).toBe(0);
    await expect(model.writeHook(hookInput)).rejects.toThrow(/503/);
    expect(server.requests).toHaveLength(4);
    expect(await gaugeOf()).toBe(2);

    const started = performance.now();
    await expect(model.writeHook(hookInput)).rejects.toThrow(
      new RegExp(
        `LLM provider ${providerHost(server.url)} is failing; circuit open, retry after \\S+Z \\(in 1 s\\); no call was made`,
      ),
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(server.requests).toHaveLength(4);

    await sleep(550);
    respond(() => ({ ...chatCompletion('back'), delayMs: 200 }));
    const trial = model.writeHook(hookInput);
    await sleep(100);
    expect(await gaugeOf()).toBe(1);
    expect((await trial).text).toBe('back');
    expect(await gaugeOf()).toBe(0);
  });

  it('does not count a bad request (4xx) against the provider, nor retry it', async () => {
    respond(() => ({ status: 400, json: { error: { message: 'bad param' } } }));
    const { model } = build({ failures: 2, maxRetries: 2, cacheTtlSeconds: 0 });
    for (let i = 0; i < 3; i++) await expect(model.writeHook(hookInput)).rejects.toThrow(/400/);
    expect(server.requests).toHaveLength(3);
    expect(await gaugeOf()).toBe(0);
  });

  it('keeps the API key out of the error when the provider echoes it', async () => {
    const apiKey = 'sk-test-0123456789abcdef';
    respond(() => ({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${apiKey} (or sk-proj-****wxyz).` } },
    }));
    const { model } = build({ apiKey, cacheTtlSeconds: 0 });
    const error = await model.writeHook(hookInput).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^401 Incorrect API key provided: \[redacted\] \(or \[redacted\]\)\.$/);
    expect(error?.stack).not.toContain(apiKey);
    expect(server.requests).toHaveLength(1);
  });

  it('throws a clear error on an empty completion', async () => {
    respond(() => chatCompletion('   '));
    const { model } = build();
    await expect(model.writeHook(hookInput)).rejects.toThrow(/empty completion/);
  });
});
