import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/posts/index.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('posts API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('walks every post once, newest first, with filters', async () => {
    const [a, b] = [await t.createPersona(), await t.createPersona()];
    for (const [persona, variants] of [
      [a, 3],
      [b, 2],
    ] as const) {
      const { id } = (await (
        await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id, variants }) })
      ).json()) as { id: string };
      await readSse(await t.api(`/v1/tasks/${id}/events`));
    }

    const walk = async (query: string) => {
      const seen: Post[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/posts?limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await (await t.api(url)).json()) as { data: Post[]; next_cursor: string | null };
        seen.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return seen;
    };

    const all = await walk('');
    expect(all).toHaveLength(5);
    expect(new Set(all.map((p) => p.id)).size).toBe(5);
    const times = all.map((p) => Date.parse(p.created_at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const ofA = await walk(`persona_id=${a.id}`);
    expect(ofA).toHaveLength(3);
    expect(ofA.every((p) => p.persona_id === a.id)).toBe(true);
    const drafts = await walk('status=draft');
    expect(drafts.every((p) => p.status === 'draft')).toBe(true);
    expect((await walk('status=rejected')).length + drafts.length).toBe(5);

    const one = (await (await t.api(`/v1/posts/${all[0]!.id}`)).json()) as Post;
    expect(one.text).toBe(`${one.hook}\n\n${one.body}`);
    expect(one).toMatchObject({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
      cost_usd: 0,
    });
    expect((one.models as Record<string, string>).hook).toBe('offline-composer-v2');
  });
});
