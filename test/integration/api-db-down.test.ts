import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('with the database gone, a token check answers 503 or 401, never 500', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { worker: false });
  });
  afterAll(async () => {
    await t.app.close();
    await t.deps.queue.stop(500).catch(() => {});
  });

  it('refuses a wrong token with 503 (cannot tell) and a missing one with 401', async () => {
    await t.deps.queue.stop(500).catch(() => {});
    await t.deps.db.close();
    const wrong = await fetch(`${t.url}/v1/personas`, { headers: { authorization: 'Bearer ta_not-a-real-token' } });
    expect(wrong.status).toBe(503);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/database/);
    const missing = await fetch(`${t.url}/v1/personas`);
    expect(missing.status).toBe(401);
  });
});
