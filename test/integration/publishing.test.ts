import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor, findAccountByPersona } from '../../src/accounts/account.repository.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import type { Post } from '../../src/posts/index.ts';
import { createManualClock, startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import {
  TEST_TOKEN_KEY,
  injectFault,
  insertDraft,
  linkSimAccount,
  linkSimUser,
  simUserPosts,
  simUserState,
  waitForPost,
} from '../support/publishing-fixtures.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const MINUTE = 60_000;

describe.each(DATABASE_KINDS)('publishing on %s', (kind) => {
  const clock = createManualClock(Date.UTC(2025, 2, 10, 12, 0, 0));
  let sim: RunningSimulator;
  let t: TestApp;
  beforeAll(async () => {
    // Containers are ready at once: the manual clock would never let one finish processing.
    sim = await startThreadsSimulator({
      seed: 11,
      appId: 'app',
      appSecret: 'secret',
      clock,
      containerReadyMs: 0,
      quotas: { posts: 2 },
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp(kind, {
      env: {
        THREADS_API_BASE_URL: sim.url,
        TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY,
        PUBLISH_MIN_GAP_MINUTES: '60',
        AUTO_APPROVE_MIN_SCORE: '0',
      },
      overrides: { now: () => new Date(clock.now()) },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const now = () => new Date(clock.now());
  const post = (id: string, action: string, body?: unknown) =>
    t.api(`/v1/posts/${id}/${action}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(res: Response) => (await res.json()) as T;
  const published = async (persona: Persona, outcome: string) =>
    (await t.deps.metrics.postsPublished.get()).values.find(
      (v) => v.labels.persona === persona.slug && v.labels.outcome === outcome,
    )?.value ?? 0;
  const attempts = (id: string) =>
    t.deps.db.query<{
      step: string;
      outcome: string;
      status_code: number | null;
      error_kind: string | null;
      error_body: unknown;
    }>(
      'SELECT step, outcome, status_code, error_kind, error_body FROM publish_attempts WHERE post_id = $1 ORDER BY id',
      [id],
    );

  /** A new persona's draft, scheduled now and tried once against `fault`: back in the schedule with the reason. */
  async function scheduleAgainst(fault: Record<string, unknown>, link: { tokenAgeHours?: number } = {}) {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id, link);
    const draft = await insertDraft(t.deps.db, persona.id);
    await injectFault(sim.url, fault);
    await post(draft.id, 'schedule');
    await t.deps.publishing.schedulePosts();
    const held = await waitForPost(t.deps.db, draft.id, (p) => p.status === 'scheduled' && p.publish_error !== null);
    return { persona, user, draft, held };
  }

  it('approves, rejects and schedules through the API, refusing the wrong status with 409', async () => {
    const persona = await t.createPersona();
    const first = await insertDraft(t.deps.db, persona.id);
    const second = await insertDraft(t.deps.db, persona.id);

    const approved = await post(first.id, 'approve');
    expect(approved.status).toBe(200);
    expect(await json<Post>(approved)).toMatchObject({ status: 'approved', approved_at: now().toISOString() });
    const again = await post(first.id, 'approve');
    expect(again.status).toBe(409);
    expect((await json<{ error: { message: string } }>(again)).error.message).toMatch(
      /is approved; only a post that is draft can be approved/,
    );

    expect((await post(first.id, 'schedule', { at: new Date(clock.now() - 10 * MINUTE).toISOString() })).status).toBe(
      400,
    );
    expect((await post(first.id, 'schedule', { at: 'next tuesday' })).status).toBe(400);
    // No `at`: the persona's next free slot, which is now for a persona with nothing scheduled.
    const scheduled = await json<Post>(await post(first.id, 'schedule'));
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduled_at: now().toISOString() });

    // A draft is approved and scheduled at once, one gap after the persona's latest post.
    const draftScheduled = await json<Post>(await post(second.id, 'schedule'));
    expect(draftScheduled).toMatchObject({ status: 'scheduled', approved_at: now().toISOString() });
    expect(Date.parse(draftScheduled.scheduled_at!)).toBe(clock.now() + 60 * MINUTE);
    const twice = await post(second.id, 'schedule');
    expect(twice.status).toBe(409);
    expect((await json<{ error: { message: string } }>(twice)).error.message).toMatch(
      /is scheduled; only a post that is draft or approved/,
    );

    const rejected = await json<Post>(await post(second.id, 'reject', { reason: 'off-brand' }));
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejection_reason: 'rejected_by_user',
      rejection_detail: { detail: 'off-brand' },
      scheduled_at: null,
    });
    expect((await post(second.id, 'reject')).status).toBe(409);
    expect((await post(second.id, 'approve')).status).toBe(409);
    for (const action of ['approve', 'reject', 'schedule']) {
      expect((await post('00000000-0000-4000-8000-000000000000', action)).status).toBe(404);
    }

    const listed = await json<{ data: Post[] }>(await t.api(`/v1/posts?persona_id=${persona.id}&status=scheduled`));
    expect(listed.data.map((p) => p.id)).toEqual([first.id]);
    expect(listed.data[0]).toMatchObject({
      scheduled_at: now().toISOString(),
      published_at: null,
      threads_media_id: null,
      permalink: null,
      publish_error: null,
    });
  });

  it('approves accepted drafts at once in auto mode when the score clears the threshold', async () => {
    const byDefault = await t.createPersona();
    const strict = await t.createPersona();
    const manual = await t.createPersona();
    const patch = (p: Persona, body: unknown) =>
      t.api(`/v1/personas/${p.id}`, { method: 'PATCH', body: JSON.stringify(body) });
    expect(await json<Persona>(await patch(byDefault, { approval_mode: 'auto' }))).toMatchObject({
      approval_mode: 'auto',
      auto_approve_min_score: null,
    });
    expect((await patch(strict, { approval_mode: 'auto', auto_approve_min_score: 1 })).status).toBe(200);
    expect((await patch(strict, { auto_approve_min_score: 1.5 })).status).toBe(400);
    expect(await json<Persona>(await t.api(`/v1/personas/${manual.id}`))).toMatchObject({
      approval_mode: 'manual',
      auto_approve_min_score: null,
    });

    const statuses = async (persona: Persona) => {
      const task = await json<{ id: string }>(
        await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id, variants: 2 }) }),
      );
      await readSse(await t.api(`/v1/tasks/${task.id}/events`));
      const posts = await json<{ data: Post[] }>(await t.api(`/v1/posts?persona_id=${persona.id}`));
      return posts.data.filter((p) => p.status !== 'rejected');
    };
    // The minute's scheduling tick may already have given an approved post its slot.
    const approvedOrLater = (p: Post) => (['approved', 'scheduled'].includes(p.status) ? 'approved' : p.status);
    const auto = await statuses(byDefault);
    expect(auto.length).toBeGreaterThan(0);
    // AUTO_APPROVE_MIN_SCORE is 0 here: every accepted draft clears it.
    expect(auto.every((p) => approvedOrLater(p) === 'approved' && p.approved_at !== null)).toBe(true);
    // Only a perfect score clears the strict persona's own threshold of 1.
    const strictPosts = await statuses(strict);
    expect(strictPosts.map(approvedOrLater)).toEqual(
      strictPosts.map((p) => (p.quality_score! >= 1 ? 'approved' : 'draft')),
    );
    const manualPosts = await statuses(manual);
    expect(manualPosts.length).toBeGreaterThan(0);
    expect(manualPosts.every((p) => p.status === 'draft')).toBe(true);
  });

  it('spreads approved posts per persona after its latest post, never in the past; posts without an account wait', async () => {
    const busy = await t.createPersona();
    const idle = await t.createPersona();
    const later = await insertDraft(t.deps.db, busy.id);
    await post(later.id, 'schedule', { at: new Date(clock.now() + 30 * MINUTE).toISOString() });
    const queued = [];
    for (let i = 0; i < 3; i++) {
      const draft = await insertDraft(t.deps.db, busy.id);
      await post(draft.id, 'approve');
      queued.push(draft.id);
    }
    const lone = await insertDraft(t.deps.db, idle.id);
    await post(lone.id, 'approve');

    await t.deps.publishing.schedulePosts();
    const slots = [];
    for (const id of queued) slots.push(Date.parse((await t.deps.posts.getPost(id)).scheduled_at!));
    expect(slots.sort()).toEqual([90, 150, 210].map((m) => clock.now() + m * MINUTE));
    const loneNow = await t.deps.posts.getPost(lone.id);
    expect(loneNow).toMatchObject({ status: 'scheduled', scheduled_at: now().toISOString() });
    // Due, but the persona has no Threads account: it stays scheduled and says why.
    expect(loneNow.publish_error).toMatch(/waiting for a Threads account/);
  });

  it('publishes a due post once: media id, permalink, every call recorded, the counter moves', async () => {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id);
    const draft = await insertDraft(t.deps.db, persona.id);
    await post(draft.id, 'schedule');
    await t.deps.publishing.schedulePosts();

    const done = await waitForPost(t.deps.db, draft.id, (p) => p.status === 'published');
    const [live] = await simUserPosts(sim.url, user.user_id);
    expect(done).toMatchObject({
      threads_media_id: live!.id,
      permalink: live!.permalink,
      published_at: now().toISOString(),
      publish_error: null,
    });
    expect(live!.text).toBe(draft.text);
    expect((await attempts(draft.id)).map((a) => `${a.step}:${a.outcome}`)).toEqual([
      'quota:ok',
      'container:ok',
      'status:ok',
      'publish:ok',
      'lookup:ok',
    ]);
    expect(await published(persona, 'published')).toBe(1);

    // Another tick finds nothing to do: still one post on Threads.
    await t.deps.publishing.schedulePosts();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);
  });

  it("fails a post Threads refuses for its content, keeping Meta's message and the raw error", async () => {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id);
    const draft = await insertDraft(t.deps.db, persona.id);
    const message = 'Param text must be at most 500 characters long.';
    await injectFault(sim.url, {
      endpoint: 'create_container',
      status: 400,
      error: { message, type: 'THApiException', code: 100 },
    });
    await post(draft.id, 'schedule');
    await t.deps.publishing.schedulePosts();

    const failed = await waitForPost(t.deps.db, draft.id, (p) => p.status === 'failed');
    expect(failed.publish_error).toBe(message);
    const [, container] = await attempts(draft.id);
    expect(container).toMatchObject({
      step: 'container',
      outcome: 'error',
      status_code: 400,
      error_kind: 'bad_content',
    });
    expect(container!.error_body).toMatchObject({ error: { message, code: 100 } });
    const shown = await json<{ data: { step: string; error_kind: string | null }[] }>(
      await t.api(`/v1/posts/${draft.id}/publish-attempts`),
    );
    expect(shown.data.map((a) => [a.step, a.error_kind])).toEqual([
      ['quota', null],
      ['container', 'bad_content'],
    ]);
    expect(await published(persona, 'failed')).toBe(1);
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(0);
  });

  it('reschedules instead of failing when the quota is used up, and publishes the rest a day later', async () => {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id);
    const settled = [];
    // One gap apart, as the schedule would space them; the quota is two posts a day.
    for (let i = 0; i < 3; i++) {
      if (i > 0) clock.advance(60 * MINUTE);
      const draft = await insertDraft(t.deps.db, persona.id);
      await post(draft.id, 'schedule', { at: now().toISOString() });
      await t.deps.publishing.schedulePosts();
      settled.push(
        await waitForPost(
          t.deps.db,
          draft.id,
          (p) => p.status === 'published' || (p.status === 'scheduled' && p.publish_error !== null),
        ),
      );
    }
    const held = settled.filter((p) => p.status === 'scheduled');
    expect(held.map((p) => p.id)).toEqual([settled[2]!.id]);
    expect(held[0]!.publish_error).toMatch(/quota|throttled/);
    expect(Date.parse(held[0]!.scheduled_at!)).toBeGreaterThan(clock.now());
    expect(await published(persona, 'throttled')).toBe(1);

    clock.advance(24 * 60 * MINUTE + MINUTE);
    await t.deps.publishing.schedulePosts();
    await waitForPost(t.deps.db, held[0]!.id, (p) => p.status === 'published');
    const state = await simUserState(sim.url, user.user_id);
    expect(state.published_posts).toBe(3);
  });

  it('keeps the gap at publish time: a post due soon after one that went out waits one gap after it', async () => {
    const persona = await t.createPersona();
    const user = await linkSimAccount(t.deps, sim.url, persona.id);
    const first = await insertDraft(t.deps.db, persona.id);
    await post(first.id, 'schedule');
    await t.deps.publishing.schedulePosts();
    const out = await waitForPost(t.deps.db, first.id, (p) => p.status === 'published');
    // As if its slot had been given before the first went out late: due ten minutes after it.
    const next = await insertDraft(t.deps.db, persona.id);
    await post(next.id, 'schedule', { at: new Date(clock.now() + 10 * MINUTE).toISOString() });
    clock.advance(10 * MINUTE);
    await t.deps.publishing.schedulePosts();
    const held = await waitForPost(t.deps.db, next.id, (p) => p.publish_error !== null);
    expect(held).toMatchObject({ status: 'scheduled', publish_error: expect.stringMatching(/spaced 60 min/) });
    expect(Date.parse(held.scheduled_at!)).toBe(Date.parse(out.published_at!) + 60 * MINUTE);
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);

    clock.advance(50 * MINUTE);
    await t.deps.publishing.schedulePosts();
    const done = await waitForPost(t.deps.db, next.id, (p) => p.status === 'published');
    expect(Date.parse(done.published_at!) - Date.parse(out.published_at!)).toBeGreaterThanOrEqual(60 * MINUTE);
  });

  it('resumes a throttled publish with the container it stored, never creating a second one', async () => {
    const { user, draft, held } = await scheduleAgainst({ endpoint: 'threads_publish', preset: 'throttled' });
    expect(held.publish_error).toMatch(/throttled by Threads/);
    expect(Date.parse(held.scheduled_at!)).toBe(clock.now() + 15 * MINUTE);

    clock.advance(16 * MINUTE);
    await t.deps.publishing.schedulePosts();
    await waitForPost(t.deps.db, draft.id, (p) => p.status === 'published');
    expect(await simUserState(sim.url, user.user_id)).toMatchObject({
      published_posts: 1,
      containers: { PUBLISHED: 1 },
    });
    expect((await attempts(draft.id)).map((a) => `${a.step}:${a.outcome}`)).toEqual([
      'quota:ok',
      'container:ok',
      'status:ok',
      'publish:error',
      'status:ok',
      'publish:ok',
      'lookup:ok',
    ]);
  });

  it('refreshes the token on an auth error and publishes with the new one', async () => {
    // Old enough for Threads to refresh it (at least 24 h).
    const fault = { endpoint: 'publishing_limit', preset: 'auth' };
    const { persona, user, draft, held: retried } = await scheduleAgainst(fault, { tokenAgeHours: 25 });
    expect(retried.publish_error).toMatch(/refreshed/);
    const credentials = await credentialsFor(t.deps.db, t.deps.vault, persona.id);
    expect(credentials?.accessToken).toBeDefined();
    expect(credentials?.accessToken).not.toBe(user.access_token);

    await t.deps.publishing.schedulePosts();
    await waitForPost(t.deps.db, draft.id, (p) => p.status === 'published');
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);
    expect(await findAccountByPersona(t.deps.db, persona.id)).toMatchObject({ status: 'active' });
  });

  it('pauses the account on an auth error and keeps the post scheduled until the account is relinked', async () => {
    const { persona, user, draft, held } = await scheduleAgainst({ endpoint: 'publishing_limit', preset: 'auth' });
    expect(held.publish_error).toMatch(/paused/);
    const account = await findAccountByPersona(t.deps.db, persona.id);
    expect(account).toMatchObject({
      status: 'paused',
      status_reason: expect.stringMatching(/Error validating access token/),
    });
    expect(await published(persona, 'account_paused')).toBe(1);

    // While paused the post is not even tried.
    await t.deps.publishing.schedulePosts();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await t.deps.posts.getPost(draft.id)).toMatchObject({ status: 'scheduled' });

    await linkSimUser(t.deps, persona.id, user);
    await t.deps.publishing.schedulePosts();
    await waitForPost(t.deps.db, draft.id, (p) => p.status === 'published');
    expect((await simUserState(sim.url, user.user_id)).published_posts).toBe(1);
  });

  it('fails, and never posts on the new account, a post whose publication began on an account since replaced', async () => {
    const { persona, user: first, draft } = await scheduleAgainst({ endpoint: 'threads_publish', preset: 'throttled' });
    const waiting = await simUserState(sim.url, first.user_id);
    expect(waiting.published_posts).toBe(0);
    expect(Object.values(waiting.containers).reduce((a, b) => a + b, 0)).toBe(1);

    // The persona is linked to another Threads user while the container waits.
    const second = await linkSimAccount(t.deps, sim.url, persona.id);
    clock.advance(16 * MINUTE);
    await t.deps.publishing.schedulePosts();
    const failed = await waitForPost(t.deps.db, draft.id, (p) => p.status === 'failed');
    expect(failed.publish_error).toMatch(/began on a Threads account this persona has since replaced/);
    expect((await simUserState(sim.url, second.user_id)).published_posts).toBe(0);
    expect((await simUserState(sim.url, first.user_id)).published_posts).toBe(0);
    expect(await published(persona, 'failed')).toBe(1);
  });
});
