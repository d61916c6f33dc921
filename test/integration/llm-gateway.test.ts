import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createChatGateway } from '../../src/llm/chat-gateway.ts';
import { createProviderBreaker } from '../../src/llm/circuit-breaker.ts';
import type { WriteHookInput } from '../../src/llm/content-model.ts';
import { createOpenAiClient } from '../../src/llm/openai-client.ts';
import { createOpenAiCompatibleModel } from '../../src/llm/openai-compatible-model.ts';
import { createPricing } from '../../src/llm/pricing.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { personaFields } from '../support/factories.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const PRICES = { 'premium-1': { prompt: 3, completion: 15 }, 'cheap-1': { prompt: 0.2, completion: 0.8 } };
const persona = personaFields({
  name: 'Frugal Fran',
  voice: 'dry, practical, slightly sarcastic big sister',
  banned_words: ['hustle'],
  banned_topics: ['crypto'],
});
const hookInput: WriteHookInput = { persona, topic: 'emergency funds', hookPattern: 'contrarian', seed: 42 };

describe('the model gateway against a local OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  let testDb: TestDatabase;
  let db: Database;
  let metrics: Metrics;

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    testDb = await createTestDatabase('pglite');
    db = testDb.db;
    await migrate(db);
  });
  afterAll(async () => {
    await server.close();
    await testDb.drop();
  });
  beforeEach(async () => {
    server.requests.length = 0;
    server.respondWith((body) => chatCompletion('A line.', { model: body.model, promptTokens: 1000, completionTokens: 200 }));
    await db.query('DELETE FROM llm_cache');
    metrics = createMetrics();
  });

  function build(options: { cacheTtlSeconds?: number; maxRetries?: number; timeoutMs?: number; failures?: number; halfOpenSeconds?: number } = {}) {
    const breaker = createProviderBreaker({
      dependency: 'llm:test',
      failures: options.failures ?? 3,
      halfOpenSeconds: options.halfOpenSeconds ?? 0.3,
      metrics,
    });
    const gateway = createChatGateway({
      client: createOpenAiClient({ baseURL: server.url, timeoutMs: options.timeoutMs ?? 5000, maxRetries: options.maxRetries ?? 0 }),
      db,
      metrics,
      pricing: createPricing(PRICES),
      breaker,
      cacheTtlSeconds: options.cacheTtlSeconds ?? 3600,
    });
    const model = createOpenAiCompatibleModel({ gateway, hookModel: 'premium-1', bodyModel: 'cheap-1' });
    return { gateway, model, breaker };
  }

  const gaugeOf = async () =>
    (await metrics.registry.getSingleMetric('circuit_breaker_state')!.get()).values.find((v) => v.labels.dependency === 'llm:test')?.value;

  it('writes hooks on the premium model and bodies on the cheap one, priced from the reported usage', async () => {
    const { model } = build();
    const hook = await model.writeHook({ ...hookInput, feedback: 'it sounded like an ad' });
    const body = await model.writeBody({ ...hookInput, hook: 'Your emergency fund is too big.', maxChars: 420 });

    expect(server.requests.map((r) => r.model)).toEqual(['premium-1', 'cheap-1']);
    // 1000 prompt and 200 completion tokens at $3 / $15 and $0.20 / $0.80 per 1M.
    expect(hook.costUsd).toBeCloseTo((1000 * 3 + 200 * 15) / 1e6, 12);
    expect(body.costUsd).toBeCloseTo((1000 * 0.2 + 200 * 0.8) / 1e6, 12);
    expect(hook).toMatchObject({ usage: { promptTokens: 1000, completionTokens: 200 }, priced: true, cacheHit: false });

    const [system, user] = server.requests[0].messages;
    expect(system.content).toContain('Frugal Fran');
    expect(system.content).toContain(persona.voice);
    expect(system.content).toContain('hustle');
    expect(user.content).toContain('contrarian');
    expect(user.content).toContain('The previous draft was rejected because it sounded like an ad');
    expect(server.requests[0]).toMatchObject({ seed: 42, temperature: 0.9 });
    expect(server.requests[1].messages[1].content).toContain('at most 420 characters');
  });

  it('uses the persona\'s own model tiers when set', async () => {
    const { model } = build();
    await model.writeHook({ ...hookInput, persona: { ...persona, hook_model: 'cheap-1' } });
    expect(server.requests[0].model).toBe('cheap-1');
  });

  it('answers an identical request from the cache at $0, and a new seed or an expired entry from the server', async () => {
    const { model } = build();
    const first = await model.writeHook(hookInput);
    const again = await model.writeHook(hookInput);
    expect(server.requests).toHaveLength(1);
    expect(again).toMatchObject({ text: first.text, cacheHit: true, costUsd: 0 });
    await model.writeHook({ ...hookInput, seed: 43 });
    expect(server.requests).toHaveLength(2);
    await db.query(`UPDATE llm_cache SET expires_at = now() - interval '1 second'`);
    expect((await model.writeHook(hookInput)).cacheHit).toBe(false);
    expect(server.requests).toHaveLength(3);
    const cache = (await metrics.registry.getSingleMetric('llm_cache_requests_total')!.get()).values;
    expect(cache.find((v) => v.labels.result === 'hit')?.value).toBe(1);
    expect(cache.find((v) => v.labels.result === 'miss')?.value).toBe(3);
  });

  it('flags a model missing from the price table and prices it at 0', async () => {
    server.respondWith(() => chatCompletion('x', { model: 'mystery-9000', promptTokens: 50, completionTokens: 50 }));
    const { model } = build();
    expect(await model.writeHook(hookInput)).toMatchObject({ costUsd: 0, priced: false, model: 'mystery-9000' });
  });

  it('honours Retry-After on a 429 and retries 500s', async () => {
    server.respondWith([
      { status: 429, json: { error: { message: 'slow down' } }, headers: { 'retry-after': '1' } },
      { status: 500, json: { error: { message: 'boom' } }, headers: { 'retry-after-ms': '10' } },
    ]);
    const { model } = build({ maxRetries: 2, cacheTtlSeconds: 0 });
    const started = Date.now();
    const out = await model.writeHook(hookInput);
    // After the scripted failures the server answers with its default completion.
    expect(out.text).toBe('Fake completion.');
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a slow answer after the timeout', async () => {
    server.respondWith(() => ({ ...chatCompletion('late'), delayMs: 1500 }));
    const { model } = build({ timeoutMs: 300, maxRetries: 0, cacheTtlSeconds: 0 });
    const started = Date.now();
    await expect(model.writeHook(hookInput)).rejects.toThrow(/timed out/i);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('opens the breaker after repeated failures, fails fast, then half-opens and closes on success', async () => {
    server.respondWith(() => ({ status: 503, json: { error: { message: 'down' } } }));
    const { model } = build({ failures: 3, halfOpenSeconds: 0.3, cacheTtlSeconds: 0 });
    for (let i = 0; i < 3; i++) await expect(model.writeHook(hookInput)).rejects.toThrow();
    expect(server.requests).toHaveLength(3);
    expect(await gaugeOf()).toBe(2);

    await expect(model.writeHook(hookInput)).rejects.toThrow(/circuit breaker open, no call made/);
    expect(server.requests).toHaveLength(3);

    await new Promise((r) => setTimeout(r, 350));
    server.respondWith(() => chatCompletion('back'));
    expect((await model.writeHook(hookInput)).text).toBe('back');
    expect(await gaugeOf()).toBe(0);
  });

  it('does not count a bad request (4xx) against the provider', async () => {
    server.respondWith(() => ({ status: 400, json: { error: { message: 'bad param' } } }));
    const { model } = build({ failures: 2, cacheTtlSeconds: 0 });
    for (let i = 0; i < 3; i++) await expect(model.writeHook(hookInput)).rejects.toThrow();
    expect(await gaugeOf()).toBe(0);
  });

  it('throws a clear error on an empty completion', async () => {
    server.respondWith(() => chatCompletion('   '));
    const { model } = build();
    await expect(model.writeHook(hookInput)).rejects.toThrow(/empty completion/);
  });
});
