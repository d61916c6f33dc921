import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/posts/index.ts';
import { startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import {
  TEST_TOKEN_KEY,
  injectFault,
  insertDraft,
  linkSimAccount,
  waitForPost,
} from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const POSTS = 6;

describe('a Threads outage while posts are due', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  beforeAll(async () => {
    sim = await startThreadsSimulator({
      seed: 5,
      appId: 'app',
      appSecret: 'secret',
      containerReadyMs: 0,
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp('pglite', {
      env: {
        THREADS_API_BASE_URL: sim.url,
        TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY,
        THREADS_BREAKER_FAILURES: '3',
        THREADS_BREAKER_HALF_OPEN_SECONDS: '2',
        JOB_RETRY_LIMIT: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('opens the breaker, holds the due posts for seconds (not an hour), and publishes them once it closes', async () => {
    const drafts = [];
    for (let i = 0; i < POSTS; i++) {
      const persona = await t.createPersona();
      await linkSimAccount(t.deps, sim.url, persona.id);
      const draft = await insertDraft(t.deps.db, persona.id);
      await t.api(`/v1/posts/${draft.id}/schedule`, { method: 'POST' });
      drafts.push(draft);
    }
    await injectFault(sim.url, { endpoint: 'publishing_limit', preset: 'transient', count: 1000 });
    const outageStarted = Date.now();
    await t.deps.publishing.schedulePosts();
    const held = [];
    for (const draft of drafts) {
      const waiting = (p: Post) => p.status === 'scheduled' && p.publish_error !== null;
      held.push(await waitForPost(t.deps.db, draft.id, waiting, 90_000));
    }
    const gauge = (await t.deps.metrics.circuitBreakerState.get()).values.find((v) =>
      String(v.labels.dependency).startsWith('threads:'),
    );
    expect(gauge?.value).toBe(2);
    const byBreaker = held.filter((p) => /circuit open/.test(p.publish_error!));
    expect(byBreaker.length).toBeGreaterThan(0);
    // Every post waits seconds for the breaker's trial, or minutes after its own retries: never an hour.
    for (const p of held) expect(Date.parse(p.scheduled_at!) - outageStarted).toBeLessThan(6 * 60_000);
    for (const p of byBreaker) expect(Date.parse(p.scheduled_at!) - Date.now()).toBeLessThan(5_000);

    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    await new Promise((r) => setTimeout(r, 2_500));
    await t.deps.publishing.schedulePosts();
    for (const p of byBreaker) await waitForPost(t.deps.db, p.id, (x) => x.status === 'published', 90_000);
  });
});
