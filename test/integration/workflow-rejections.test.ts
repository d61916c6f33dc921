import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/posts/index.ts';
import { readSse } from '../support/sse.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const GOOD_BODY = 'I cut churn from 9% to 4% in 6 weeks with 3 onboarding emails. What is your trial conversion today?';

async function runTask(t: TestApp, personaId: string, variants = 1, topic?: string) {
  const { id } = (await (
    await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: personaId, variants, topic }) })
  ).json()) as { id: string };
  const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
  const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as {
    status: string;
    error: string | null;
    post_ids: string[];
    steps: { node: string; attempt: number }[];
  };
  const posts = await Promise.all(
    task.post_ids.map(async (pid) => (await (await t.api(`/v1/posts/${pid}`)).json()) as Post),
  );
  return { events, task, posts };
}

async function counter(t: TestApp, persona: string, outcome: string): Promise<number> {
  const metric = await t.deps.metrics.registry.getSingleMetric('posts_generated_total')?.get();
  return metric?.values.find((v) => v.labels.persona === persona && v.labels.outcome === outcome)?.value ?? 0;
}

describe.each(DATABASE_KINDS)('the workflow regenerates rejected drafts, then records them, on %s', (kind) => {
  describe('guardrails', () => {
    let t: TestApp;
    beforeAll(async () => {
      const model = scriptedModel({
        hook: (n) => `Every guru gets onboarding wrong, take ${n}?`,
        body: () => GOOD_BODY,
      });
      t = await startTestApp(kind, {
        env: { GENERATION_MAX_ATTEMPTS: '3', QUALITY_MIN_SCORE: '0' },
        overrides: { model },
      });
    });
    afterAll(() => t?.close());

    it('rewrites a draft with a banned word up to the bound, then stores it rejected with its history', async () => {
      const persona = await t.createPersona({ banned_words: ['guru'] });
      const { task, posts } = await runTask(t, persona.id, 2);
      // Nothing acceptable came out, so the task fails and says why instead of "succeeding".
      expect(task.status).toBe('failed');
      expect(task.error).toContain('no acceptable draft');
      expect(task.error).toContain('guru');
      expect(posts).toHaveLength(2);
      for (const post of posts) {
        expect(post.status).toBe('rejected');
        expect(post.rejection_reason).toBe('rejected_guard');
        expect(post.attempts).toBe(3);
        expect(post.rejection_detail?.detail).toContain('guru');
        expect(post.rejection_detail?.history).toHaveLength(3);
      }
      expect(await counter(t, persona.slug, 'rejected_guard')).toBe(6);
      expect(await counter(t, persona.slug, 'accepted')).toBe(0);
      const guardSteps = task.steps.filter((s) => s.node === 'guardrails').map((s) => s.attempt);
      expect(guardSteps.sort()).toEqual([1, 1, 2, 2, 3, 3]);
    });
  });

  describe('duplicates', () => {
    let t: TestApp;
    let round = 0;
    beforeAll(async () => {
      // The repeat is reworded: a word-for-word repeat is already stopped by the writing checks. The text
      // depends on the task, not the call: the policy may write several candidates per draft.
      const model = scriptedModel({
        hook: () =>
          round === 0
            ? 'What would you change about onboarding emails?'
            : 'What would you change in your onboarding emails?',
        body: () =>
          round === 0
            ? GOOD_BODY
            : 'Three onboarding emails took my churn from 9% down to 4% within 6 weeks. What does your trial conversion look like today?',
      });
      t = await startTestApp(kind, {
        env: { GENERATION_MAX_ATTEMPTS: '2', QUALITY_MIN_SCORE: '0' },
        overrides: { model },
      });
    });
    afterAll(() => t?.close());

    it('accepts the first text and rejects its repeat, naming the nearest post', async () => {
      const persona = await t.createPersona();
      const first = await runTask(t, persona.id);
      expect(first.posts[0]!.status).toBe('draft');
      round = 1;
      const second = await runTask(t, persona.id);
      const repeat = second.posts[0]!;
      expect(second.task.status).toBe('failed');
      expect(second.task.error).toContain('rejected_duplicate');
      expect(repeat.status).toBe('rejected');
      expect(repeat.rejection_reason).toBe('rejected_duplicate');
      expect(repeat.rejection_detail?.nearest_post_id).toBe(first.posts[0]!.id);
      expect(await counter(t, persona.slug, 'rejected_duplicate')).toBe(2);
    });
  });

  describe('quality', () => {
    let t: TestApp;
    beforeAll(async () => {
      const model = scriptedModel({ hook: () => 'Things.', body: () => 'Stuff is very good.' });
      t = await startTestApp(kind, {
        // One candidate per attempt, so the pattern the node reports is the one the gate refused.
        env: { GENERATION_MAX_ATTEMPTS: '2', QUALITY_MIN_SCORE: '0.99', LEARNING_CANDIDATES: '1' },
        overrides: { model },
      });
    });
    afterAll(() => t?.close());

    it('rejects a dull draft below the minimum score after trying another hook pattern', async () => {
      const persona = await t.createPersona();
      const { posts, events } = await runTask(t, persona.id);
      const post = posts[0]!;
      expect(post.rejection_reason).toBe('rejected_quality');
      expect(post.quality_score).toBeLessThan(0.99);
      expect(Object.keys(post.score_breakdown)).toEqual(
        expect.arrayContaining([
          'hook_length',
          'hook_form',
          'question',
          'numbers',
          'specificity',
          'readability',
          'call_to_action',
          'length',
        ]),
      );
      const patterns = events
        .filter((e) => e.event === 'node_finished' && e.data.node === 'choose_hook_pattern')
        .map((e) => e.data.hook_pattern);
      expect(patterns).toHaveLength(2);
      expect(patterns[0]).not.toBe(patterns[1]);
    });
  });

  describe('writing checks', () => {
    let t: TestApp;
    let script: 'broken' | 'statistic' = 'broken';
    const broken = {
      hook: '3 questions to ask before you start on onboarding emails:',
      body: '1. Write the plan down.\n2. Ask a friend to read it.\n3. Send it on a Tuesday.',
    };
    const statistic = {
      hook: 'Most onboarding emails are far too long for a new user.',
      body: '44% of people never read past the first line of an onboarding email. Cut yours to three sentences about the pipeline. What would you ask a new user?',
    };
    beforeAll(async () => {
      // The first test's task gets the broken list every time; the second's the unsourced statistic.
      const model = scriptedModel({
        hook: () => (script === 'broken' ? broken.hook : statistic.hook),
        body: () => (script === 'broken' ? broken.body : statistic.body),
      });
      t = await startTestApp(kind, {
        env: { GENERATION_MAX_ATTEMPTS: '2', QUALITY_MIN_SCORE: '0' },
        overrides: { model },
      });
    });
    afterAll(() => t?.close());

    it('regenerates a draft whose list breaks its promise, then fails the task with the reason', async () => {
      const persona = await t.createPersona();
      const { task, posts } = await runTask(t, persona.id);
      expect(posts[0]!.status).toBe('rejected');
      expect(posts[0]!.rejection_reason).toBe('rejected_quality');
      expect(posts[0]!.rejection_detail?.detail).toContain('promise');
      expect(posts[0]!.rejection_detail?.history).toHaveLength(2);
      expect(task.status).toBe('failed');
      expect(task.error).toContain('promises 3 questions');
    });

    it('keeps a draft with an unsourced statistic for review instead of auto-approving it', async () => {
      script = 'statistic';
      const persona = await t.createPersona({
        approval_mode: 'auto',
        auto_approve_min_score: 0,
        vocabulary: ['pipeline'],
      });
      // The draft is about onboarding emails: on another of the persona's topics it would fail topic_fit.
      const { task, posts } = await runTask(t, persona.id, 1, 'onboarding emails');
      expect(task.error).toBeNull();
      expect(task.status).toBe('succeeded');
      const post = posts[0]!;
      expect(post.status).toBe('draft');
      const checks = post.score_breakdown.checks as Record<string, { passed: boolean; note: string }>;
      expect(checks.unsourced_statistic!.passed).toBe(false);
      expect(post.score_breakdown.verdict).toBe('review');
    });
  });
});
