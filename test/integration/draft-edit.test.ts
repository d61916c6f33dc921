import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/index.ts';
import type { Persona } from '../../src/personas/index.ts';
import { createDraftEditor } from '../../src/generation/index.ts';
import type { Post } from '../../src/posts/index.ts';
import { insertDraft } from '../support/publishing-fixtures.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const examples = JSON.parse(fs.readFileSync(new URL('../fixtures/dedup-examples.json', import.meta.url), 'utf8')) as {
  original: string;
  paraphrase: string;
  unrelated: string;
}[];

interface Refusal {
  error: {
    code: string;
    message: string;
    details: { in: string; path: string; message: string; check?: string; [key: string]: unknown }[];
  };
}
interface Edit {
  previous_text: string;
  text: string;
  previous_score: number | null;
  score: number | null;
  edited_by: string;
}

describe.each(DATABASE_KINDS)('editing a draft before approval on %s', (kind) => {
  let t: TestApp;
  let next: { hook: string; body: string };
  beforeAll(async () => {
    const model = scriptedModel({ hook: () => next.hook, body: () => next.body });
    t = await startTestApp(kind, {
      env: { GENERATION_MAX_ATTEMPTS: '1', QUALITY_MIN_SCORE: '0' },
      overrides: { model },
    });
  });
  afterAll(() => t?.close());

  /** One task whose draft is `text` (first sentence as hook, the rest as body), as the workflow stores it. */
  async function draft(persona: Persona, text: string): Promise<Post> {
    const [hook, ...rest] = text.split(/(?<=\.)\s+/);
    next = { hook: hook!, body: rest.join(' ') };
    const created = await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) });
    const { id } = (await created.json()) as { id: string };
    await readSse(await t.api(`/v1/tasks/${id}/events`));
    const { post_ids } = (await (await t.api(`/v1/tasks/${id}`)).json()) as { post_ids: string[] };
    return (await (await t.api(`/v1/posts/${post_ids[0]}`)).json()) as Post;
  }

  const edit = (id: string, body: unknown, token = t.token) =>
    fetch(`${t.url}/v1/posts/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('re-scores an edited draft, replaces its vector and nearest post, keeps the history, and it stays a draft', async () => {
    const persona = await t.createPersona();
    const earlier = await draft(persona, examples[0]!.original);
    const target = await draft(persona, examples[1]!.original);
    expect([earlier.status, target.status]).toEqual(['draft', 'draft']);

    const text = `${examples[2]!.unrelated}\n\nWhat would you try first?`;
    const response = await edit(target.id, { text: `  ${text}\n` });
    expect(response.status).toBe(200);
    const edited = (await response.json()) as Post;
    expect(edited).toMatchObject({ id: target.id, status: 'draft', text, hook: examples[2]!.unrelated });
    expect(edited.body).toBe('What would you try first?');
    // The breakdown is the new text's: its question feature sees the added question.
    expect(edited.quality_score).not.toBe(target.quality_score);
    expect(edited.score_breakdown).toHaveProperty('question');
    expect(edited.score_breakdown).toHaveProperty('checks');
    expect(edited.nearest_post_id).not.toBe(target.id);
    expect(edited.nearest_similarity).not.toBe(target.nearest_similarity);
    expect(await t.api(`/v1/posts/${target.id}`).then((r) => r.json())).toMatchObject({ text, status: 'draft' });

    const history = (await (await t.api(`/v1/posts/${target.id}/edits`)).json()) as { data: Edit[] };
    expect(history.data).toEqual([
      {
        id: expect.any(String),
        post_id: target.id,
        previous_text: target.text,
        text,
        previous_score: expect.closeTo(target.quality_score!, 5),
        score: expect.closeTo(edited.quality_score!, 5),
        edited_by: 'test',
        edited_at: expect.any(String),
      },
    ]);
    const [audit] = await t.deps.db.query<{ status: number }>(
      "SELECT status FROM audit_log WHERE method = 'PATCH' AND route = '/v1/posts/:id' AND resource_id = $1",
      [target.id],
    );
    expect(audit).toEqual({ status: 200 });

    // The stored vector is the new text's: its neighbours are the edit's, and a paraphrase of the old
    // text is no longer a duplicate of this post.
    const similar = (await (await t.api(`/v1/posts/${target.id}/similar?limit=1`)).json()) as {
      data: { post_id: string; score: number }[];
    };
    expect(similar.data[0]).toMatchObject({ post_id: edited.nearest_post_id });
    expect(similar.data[0]!.score).toBeCloseTo(edited.nearest_similarity!, 5);
    const paraphraseOfOld = await draft(persona, examples[1]!.paraphrase);
    expect(paraphraseOfOld.rejection_reason).not.toBe('rejected_duplicate');

    // The same text again changes nothing and records no edit.
    expect((await edit(target.id, { text })).status).toBe(200);
    expect(((await (await t.api(`/v1/posts/${target.id}/edits`)).json()) as { data: Edit[] }).data).toHaveLength(1);

    // And it can be approved as edited.
    const approved = (await (await t.api(`/v1/posts/${target.id}/approve`, { method: 'POST' })).json()) as Post;
    expect(approved).toMatchObject({ status: 'approved', text });
  });

  it("refuses a near-duplicate of the persona's post with 422, naming the nearest post, and changes nothing", async () => {
    const persona = await t.createPersona();
    const original = await draft(persona, examples[3]!.original);
    const target = await draft(persona, examples[3]!.unrelated);
    const response = await edit(target.id, { text: examples[3]!.paraphrase });
    expect(response.status).toBe(422);
    const body = (await response.json()) as Refusal;
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.message).toMatch(
      new RegExp(`^text: similarity 0\\.\\d+ to post ${original.id} reaches the persona threshold`),
    );
    expect(body.error.details[0]).toMatchObject({
      in: 'body',
      path: 'text',
      check: 'duplicate',
      nearest: { post_id: original.id, scope: 'persona', text: original.text, similarity: expect.any(Number) },
    });
    const after = (await (await t.api(`/v1/posts/${target.id}`)).json()) as Post;
    expect(after).toMatchObject({
      text: target.text,
      quality_score: target.quality_score,
      updated_at: target.updated_at,
    });
    expect(((await (await t.api(`/v1/posts/${target.id}/edits`)).json()) as { data: Edit[] }).data).toEqual([]);
  });

  it("holds another persona's post to the global bar and does not show its text", async () => {
    const [a, b] = [await t.createPersona(), await t.createPersona()];
    const theirs = await draft(a, examples[5]!.original);
    const mine = await draft(b, examples[5]!.unrelated);
    const response = await edit(mine.id, { text: examples[5]!.paraphrase });
    expect(response.status).toBe(422);
    const [issue] = ((await response.json()) as Refusal).error.details;
    expect(issue).toMatchObject({ check: 'duplicate', nearest: { post_id: theirs.id, scope: 'global' } });
    expect(issue!.nearest).not.toHaveProperty('text');
  });

  it('refuses with 422 what the guardrails or the writing checks refuse', async () => {
    const persona = await t.createPersona({ banned_words: ['synergy'] });
    const target = await draft(persona, examples[4]!.unrelated);
    const cases: [string, string, RegExp][] = [
      ['Our synergy doubled trial conversion this week.', 'banned_word', /banned word "synergy"/],
      ['This pricing page is shit and it cost us trials.', 'profanity', /profanity/],
      [
        `Check ${Array.from({ length: 6 }, (_, i) => `https://example.com/${i}`).join(' ')} for the numbers.`,
        'too_many_links',
        /6 links \(limit 5\)/,
      ],
      [
        'We doubled trial conversion with one email. We doubled trial conversion with one email.',
        'quality',
        /failed writing checks: .*repetition/,
      ],
    ];
    for (const [text, check, message] of cases) {
      const response = await edit(target.id, { text });
      expect(response.status, check).toBe(422);
      const body = (await response.json()) as Refusal;
      expect(body.error.message, check).toMatch(message);
      expect(body.error.details[0], check).toMatchObject({ in: 'body', path: 'text', check });
    }
    expect(((await (await t.api(`/v1/posts/${target.id}`)).json()) as Post).text).toBe(target.text);
  });

  it('answers 400 naming the field for text the API cannot take', async () => {
    const persona = await t.createPersona();
    const target = await insertDraft(t.deps.db, persona.id);
    const cases: [string, RegExp][] = [
      [JSON.stringify({ text: '   ' }), /^invalid body\.text: must not be empty/],
      [JSON.stringify({ text: 'x'.repeat(501) }), /^invalid body\.text: must be at most 500 characters/],
      [JSON.stringify({ text: 'fine\u0000text' }), /^invalid body\.text: contains a NUL byte/],
      ['{"text":"lone \\ud800 surrogate"}', /^invalid body\.text: contains a lone UTF-16 surrogate/],
      [JSON.stringify({}), /^invalid body\.text/],
      [JSON.stringify({ text: 'ok', status: 'approved' }), /^invalid body/],
      [JSON.stringify({ text: 42 }), /^invalid body\.text/],
    ];
    for (const [body, message] of cases) {
      const response = await edit(target.id, body);
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as Refusal).error.message, body).toMatch(message);
    }
    // Threads counts an emoji as one character: 500 of them are not too long.
    expect((await edit(target.id, { text: '🚀'.repeat(500) })).status).toBe(200);
    expect((await edit('00000000-0000-4000-8000-000000000000', { text: 'Hello there.' })).status).toBe(404);
  });

  it('edits only a draft: 409 once it is approved, rejected or published', async () => {
    const persona = await t.createPersona();
    const approved = await insertDraft(t.deps.db, persona.id);
    const rejected = await insertDraft(t.deps.db, persona.id);
    expect((await t.api(`/v1/posts/${approved.id}/approve`, { method: 'POST' })).status).toBe(200);
    expect((await t.api(`/v1/posts/${rejected.id}/reject`, { method: 'POST' })).status).toBe(200);
    for (const [post, status] of [
      [approved, 'approved'],
      [rejected, 'rejected'],
    ] as const) {
      const response = await edit(post.id, { text: examples[6]!.unrelated });
      expect(response.status).toBe(409);
      const body = (await response.json()) as Refusal;
      expect(body.error.message).toBe(`post ${post.id} is ${status}; only a post that is draft can be edited`);
      expect(body.error.details).toEqual({ status, allowed: ['draft'] });
    }
  });

  it('does not overwrite an edit saved while its checks ran: 409, and the other edit stands', async () => {
    const persona = await t.createPersona();
    const stale = await insertDraft(t.deps.db, persona.id);
    // This editor read the draft before another user's edit was saved.
    let reads = 0;
    const editor = createDraftEditor({
      ...t.deps,
      getPost: async (id) => (reads++ === 0 ? stale : t.deps.posts.getPost(id)),
      policy: { predict: async () => null },
      settings: t.deps.config.generation,
    });
    expect((await edit(stale.id, { text: examples[4]!.original })).status).toBe(200);
    await expect(editor.edit(stale.id, examples[6]!.original, 'late')).rejects.toMatchObject({
      code: 'conflict',
      message: `post ${stale.id} was edited by someone else meanwhile; reload it and edit again`,
    });
    expect(((await (await t.api(`/v1/posts/${stale.id}`)).json()) as Post).text).toBe(examples[4]!.original);
    const history = ((await (await t.api(`/v1/posts/${stale.id}/edits`)).json()) as { data: Edit[] }).data;
    expect(history.map((e) => e.text)).toEqual([examples[4]!.original]);
  });

  it('is for editors and admins: a viewer is refused, a persona-limited token only edits its personas', async () => {
    const [mine, other] = [await t.createPersona(), await t.createPersona()];
    const own = await insertDraft(t.deps.db, mine.id);
    const theirs = await insertDraft(t.deps.db, other.id);
    const token = async (role: 'viewer' | 'editor', personaIds: string[] | null) =>
      (await issueApiToken(t.deps.db, { name: `edit-${role}`, role, personaIds })).token;
    const viewer = await edit(own.id, { text: examples[7]!.unrelated }, await token('viewer', null));
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as Refusal).error.message).toMatch(/role is viewer; this route needs editor/);

    const scoped = await token('editor', [mine.id]);
    expect((await edit(theirs.id, { text: examples[7]!.unrelated }, scoped)).status).toBe(404);
    const history = await fetch(`${t.url}/v1/posts/${theirs.id}/edits`, {
      headers: { authorization: `Bearer ${scoped}` },
    });
    expect(history.status).toBe(404);
    const allowed = await edit(own.id, { text: examples[7]!.unrelated }, scoped);
    expect(allowed.status).toBe(200);
    // The emoji-only draft above embeds to zeros; it is no neighbour (similarity 0), not a NaN.
    expect(Number.isFinite(((await allowed.json()) as Post).nearest_similarity)).toBe(true);
    const [edited] = ((await (await t.api(`/v1/posts/${own.id}/edits`)).json()) as { data: Edit[] }).data;
    expect(edited).toMatchObject({ edited_by: 'edit-editor', text: examples[7]!.unrelated });
    expect(((await (await t.api(`/v1/posts/${theirs.id}`)).json()) as Post).text).toBe(theirs.text);
  });
});
