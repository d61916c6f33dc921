import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/posts/index.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { openTestServices, type TestServices } from '../support/test-services.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const examples = JSON.parse(fs.readFileSync(new URL('../fixtures/dedup-examples.json', import.meta.url), 'utf8')) as {
  original: string;
  paraphrase: string;
  unrelated: string;
}[];

describe.each(DATABASE_KINDS)('semantic duplicate check with the local embedding on %s', (kind) => {
  let t: TestServices;
  let next: { hook: string; body: string };
  beforeAll(async () => {
    const model = scriptedModel({ hook: () => next.hook, body: () => next.body });
    t = await openTestServices(kind, { env: { GENERATION_MAX_ATTEMPTS: '1', QUALITY_MIN_SCORE: '0' }, model });
  });
  afterAll(() => t?.close());

  /** Runs one task whose draft is `text` (first sentence as hook, the rest as body). */
  async function draft(personaId: string, text: string): Promise<Post> {
    const [hook, ...rest] = text.split(/(?<=\.)\s+/);
    next = { hook: hook!, body: rest.join(' ') };
    const task = await t.generate({ persona_id: personaId });
    return t.posts.getPost(task.post_ids[0]!);
  }

  it("rejects a paraphrase of the persona's earlier post and accepts an unrelated one", async () => {
    const persona = await t.createPersona();
    for (const example of examples.slice(0, 4)) {
      const original = await draft(persona.id, example.original);
      expect(original.status).toBe('draft');
      const paraphrase = await draft(persona.id, example.paraphrase);
      expect(paraphrase.rejection_reason).toBe('rejected_duplicate');
      expect(paraphrase.rejection_detail).toMatchObject({ nearest_post_id: original.id, scope: 'persona' });
      expect(paraphrase.nearest_post_id).toBe(original.id);
      const unrelated = await draft(persona.id, example.unrelated);
      expect(unrelated.status).toBe('draft');
      expect(unrelated.nearest_similarity).toBeLessThan(0.62);
    }
  });

  it("holds other personas' posts to the higher bar", async () => {
    const [a, b] = [await t.createPersona(), await t.createPersona()];
    const close = examples[5]!; // paraphrase similarity 0.94: above the global bar
    const loose = examples[0]!; // 0.64: a duplicate for the same persona only
    await draft(a.id, close.original);
    await draft(a.id, loose.original);
    const closeCopy = await draft(b.id, close.paraphrase);
    expect(closeCopy.rejection_reason).toBe('rejected_duplicate');
    expect(closeCopy.rejection_detail).toMatchObject({ scope: 'global' });
    const looseCopy = await draft(b.id, loose.paraphrase);
    expect(looseCopy.status).toBe('draft');
  });

  it('lists the posts nearest in meaning', async () => {
    const persona = await t.createPersona();
    const posts = [];
    for (const example of examples.slice(4, 7)) posts.push(await draft(persona.id, example.original));
    const other = await t.createPersona();
    const paraphrase = await draft(other.id, examples[6]!.paraphrase.replace('photos', 'pictures'));
    const res = await t.inject(`/v1/posts/${posts[2]!.id}/similar?limit=3`);
    expect(res.statusCode).toBe(200);
    const { data } = res.json() as { data: { post_id: string; score: number; text: string }[] };
    expect(data.map((d) => d.post_id)).not.toContain(posts[2]!.id);
    if (paraphrase.status === 'draft') expect(data[0]!.post_id).toBe(paraphrase.id);
    expect(data.map((d) => d.score)).toEqual([...data.map((d) => d.score)].sort((x, y) => y - x));
    expect(data.every((d) => d.text.length > 0)).toBe(true);
    expect((await t.inject('/v1/posts/00000000-0000-4000-8000-000000000000/similar')).statusCode).toBe(404);
  });

  it('says which vector store is active', async () => {
    const ready = (await t.inject('/ready')).json() as { vector_store: string };
    expect(ready.vector_store).toBe(kind === 'pglite' ? 'pgvector' : 'portable');
  });
});
