import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerHost } from '../../src/platform/llm/openai-client.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('a failing model provider, on %s', (kind) => {
  let server: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    server.respondWith(() => ({ status: 503, json: { error: { message: 'overloaded' } } }));
    t = await startTestApp(kind, {
      env: {
        OPENAI_BASE_URL: server.url,
        LLM_MAX_RETRIES: '0',
        LLM_BREAKER_FAILURES: '1',
        LLM_BREAKER_HALF_OPEN_SECONDS: '600',
        JOB_RETRY_LIMIT: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('opens the breaker, and the retried task fails fast into the dead letters with the reason', async () => {
    const persona = await t.createPersona();
    const { id } = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) })
    ).json()) as { id: string };
    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));

    // The first run's call failed and opened the breaker; the retry made no call at all.
    expect(server.requests).toHaveLength(1);
    expect(events.filter((e) => e.event === 'task_started')).toHaveLength(2);
    const reason = new RegExp(
      `LLM provider ${providerHost(server.url)} is failing; circuit open, retry after .*; no call was made`,
    );
    expect(String(events.at(-1)!.data.message)).toMatch(reason);
    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { status: string; runs: number; error: string };
    expect(task).toMatchObject({ status: 'failed', runs: 2 });
    expect(task.error).toMatch(reason);

    const gauge = (await t.deps.metrics.registry.getSingleMetric('circuit_breaker_state')!.get()).values;
    expect(gauge.find((v) => v.labels.dependency === `llm:${providerHost(server.url)}`)?.value).toBe(2);
    const calls = await t.deps.db.query<{ model: string; outcome: string; error: string }>(
      'SELECT model, outcome, error FROM llm_calls WHERE task_id = $1 ORDER BY id',
      [id],
    );
    expect(calls.map((c) => [c.model, c.outcome])).toEqual([
      ['gpt-4o', 'error'],
      ['gpt-4o', 'error'],
    ]);
    expect(calls[0]!.error).toMatch(/503/);

    const deadline = Date.now() + 10_000;
    let dead = 0;
    while (dead === 0 && Date.now() < deadline) {
      const counts = await t.deps.queue.countJobs();
      dead = counts.find((c) => c.queue === 'generate-posts' && c.state === 'dead_letter')?.count ?? 0;
      if (dead === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(dead).toBe(1);
  });
});
