import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByPersona } from '../../src/accounts/index.ts';
import { startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { TEST_TOKEN_KEY, insertDraft, linkSimAccount, simUserState } from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('what publishing asks Threads about its container', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  beforeAll(async () => {
    // A container takes a second to process, as on an independent Threads implementation.
    sim = await startThreadsSimulator({
      seed: 8,
      appId: 'app',
      appSecret: 'secret',
      containerReadyMs: 1000,
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp('pglite', {
      env: { THREADS_API_BASE_URL: sim.url, TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY },
      worker: false,
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const steps = async (postId: string) =>
    (
      await t.deps.db.query<{ step: string; outcome: string }>(
        'SELECT step, outcome FROM publish_attempts WHERE post_id = $1 ORDER BY id',
        [postId],
      )
    ).map((a) => `${a.step}:${a.outcome}`);

  async function scheduledDraft() {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id);
    const draft = await insertDraft(t.deps.db, persona.id);
    expect((await t.api(`/v1/posts/${draft.id}/schedule`, { method: 'POST' })).status).toBe(200);
    return { persona, user, draft };
  }

  it('waits for FINISHED before threads_publish, so no publish call fails first', async () => {
    const { user, draft } = await scheduledDraft();
    expect(await t.deps.publishing.publishPost(draft.id, { claim: 'run-1', isFinalAttempt: true })).toBe('published');
    const made = await steps(draft.id);
    expect(made).not.toContain('publish:error');
    expect(made.indexOf('status:ok')).toBeGreaterThan(made.indexOf('container:ok'));
    expect(made.at(-2)).toBe('publish:ok');
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);
  });

  it('makes the container again when Threads no longer knows it and the post is not live', async () => {
    const { persona, user, draft } = await scheduledDraft();
    const account = await findAccountByPersona(t.deps.db, persona.id);
    // An earlier run stored a container id that Threads has since forgotten.
    await t.deps.db.query(
      `UPDATE posts SET threads_container_id = '17999999999999999', threads_container_created_at = now(),
         threads_account_id = $2 WHERE id = $1`,
      [draft.id, account!.id],
    );
    expect(await t.deps.publishing.publishPost(draft.id, { claim: 'run-2', isFinalAttempt: true })).toBe('published');
    const made = await steps(draft.id);
    expect(made.slice(0, 3)).toEqual(['status:error', 'lookup:ok', 'quota:ok']);
    expect(made.filter((s) => s === 'container:ok')).toHaveLength(1);
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);
  });
});
