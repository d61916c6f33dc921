import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields, uniqueSlug } from '../support/factories.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('personas API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const json = async <T>(res: Response) => (await res.json()) as T;

  it('creates, reads, pages, patches and deletes a persona', async () => {
    const fields = personaFields({ slug: uniqueSlug('crud') });
    const created = await t.api('/v1/personas', { method: 'POST', body: JSON.stringify(fields) });
    expect(created.status).toBe(201);
    const persona = await json<Persona>(created);
    expect(persona).toMatchObject({ ...fields, source: 'user' });

    expect(await json<Persona>(await t.api(`/v1/personas/${persona.id}`))).toEqual(persona);

    await new Promise((r) => setTimeout(r, 5));
    const patched = await t.api(`/v1/personas/${persona.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Renamed' }),
    });
    expect(patched.status).toBe(200);
    const after = await json<Persona>(patched);
    expect(after.name).toBe('Renamed');
    // Fields the patch did not name keep their values (no defaults sneak in).
    expect(after.vocabulary).toEqual(fields.vocabulary);
    expect(after.banned_words).toEqual(fields.banned_words);
    expect(after.topics).toEqual(fields.topics);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(persona.updated_at));

    const other = await t.createPersona();
    const conflict = await t.api(`/v1/personas/${persona.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ slug: other.slug }),
    });
    expect(conflict.status).toBe(409);

    const task = await json<{ id: string }>(
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) }),
    );
    const events = await readSse(await t.api(`/v1/tasks/${task.id}/events`));
    const postId = (events.at(-1)!.data.post_ids as string[])[0]!;

    expect((await t.api(`/v1/personas/${persona.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.api(`/v1/personas/${persona.id}`)).status).toBe(404);
    expect((await t.api(`/v1/personas/${persona.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t.api(`/v1/posts/${postId}`)).status).toBe(200);
    const taskForDeleted = await t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: persona.id }),
    });
    expect(taskForDeleted.status).toBe(422);

    const reused = await t.api('/v1/personas', { method: 'POST', body: JSON.stringify({ ...fields }) });
    expect(reused.status).toBe(201);
  });

  it('pages through personas by slug, each once', async () => {
    const prefix = uniqueSlug('page');
    for (let i = 0; i < 5; i++) await t.createPersona({ slug: `${prefix}-${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await json<{ data: Persona[]; next_cursor: string | null }>(await t.api(`/v1/personas?${query}`));
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((p) => p.slug));
      cursor = page.next_cursor;
    } while (cursor);
    const mine = seen.filter((slug) => slug.startsWith(prefix));
    expect(mine).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });
});
