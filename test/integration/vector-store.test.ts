import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createVectorStore, detectVectorMode } from '../../src/posts/vector-store.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import { insertPost } from '../../src/posts/post.repository.ts';
import { personaFields } from '../support/factories.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

const EXPECTED_MODE = { pglite: 'pgvector', postgres: 'portable' } as const;

describe.each(DATABASE_KINDS)('vector store on %s', (kind) => {
  let testDb: TestDatabase;
  const postIds: string[] = [];
  let personaA: string;
  let personaB: string;
  const rng = (() => {
    let seed = 7;
    return () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  })();
  const vectors = Array.from({ length: 40 }, () => Array.from({ length: 16 }, rng));

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await migrate(testDb.db);
    personaA = (await insertPersona(testDb.db, personaFields(), 'user')).id;
    personaB = (await insertPersona(testDb.db, personaFields(), 'user')).id;
    const store = createVectorStore({ db: testDb.db, mode: 'portable' });
    for (const [i, vector] of vectors.entries()) {
      const persona_id = i % 2 === 0 ? personaA : personaB;
      const post = await insertPost(testDb.db, {
        persona_id,
        task_id: null,
        variant: 0,
        status: 'draft',
        topic: null,
        hook_pattern: 'question',
        hook: `h${i}`,
        body: 'b',
        text: `post ${i}`,
        quality_score: 0.5,
        score_breakdown: {},
        rejection_reason: null,
        rejection_detail: null,
        attempts: 1,
        models: {},
        prompt_tokens: 0,
        completion_tokens: 0,
        cost_usd: 0,
        nearest_post_id: null,
        nearest_similarity: null,
      });
      postIds.push(post.id);
      await store.upsert(testDb.db, { postId: post.id, personaId: persona_id, model: i < 38 ? 'm1' : 'm2', vector });
    }
  });
  afterAll(() => testDb?.drop());

  it(`detects ${EXPECTED_MODE[kind]} mode`, async () => {
    expect(await detectVectorMode(testDb.db)).toBe(EXPECTED_MODE[kind]);
  });

  it('finds the nearest vectors of the same model, per persona or across all, the same in every mode', async () => {
    const modes = kind === 'pglite' ? (['pgvector', 'portable'] as const) : (['portable'] as const);
    const query = vectors[4]!.map((v, i) => v + (i % 3 === 0 ? 0.05 : 0));
    const answers = [];
    for (const mode of modes) {
      const store = createVectorStore({ db: testDb.db, mode });
      const all = await store.nearest({ vector: query, model: 'm1', limit: 3, scanLimit: 1000 });
      const ofB = await store.nearest({ vector: query, model: 'm1', personaId: personaB, limit: 3, scanLimit: 1000 });
      const excluded = await store.nearest({
        vector: query,
        model: 'm1',
        excludePostId: postIds[4],
        limit: 1,
        scanLimit: 1000,
      });
      expect(all[0]!.post_id).toBe(postIds[4]);
      expect(all[0]!.score).toBeGreaterThan(0.99);
      expect(ofB.every((n) => n.persona_id === personaB)).toBe(true);
      expect(excluded[0]!.post_id).not.toBe(postIds[4]);
      answers.push({ all, ofB, excluded });
      const otherModel = await store.nearest({ vector: query, model: 'm2', limit: 5, scanLimit: 1000 });
      expect(otherModel.map((n) => n.post_id).sort()).toEqual([postIds[38], postIds[39]].sort());
    }
    if (answers.length === 2) {
      const [pg, js] = answers;
      for (const key of ['all', 'ofB', 'excluded'] as const) {
        expect(pg![key].map((n) => n.post_id)).toEqual(js![key].map((n) => n.post_id));
        pg![key].forEach((n, i) => expect(n.score).toBeCloseTo(js![key][i]!.score, 5));
      }
    }
  });

  it('sees a vector another process rewrote (a draft edit), never its own cached copy', async () => {
    const searcher = createVectorStore({ db: testDb.db, mode: 'portable' });
    const writer = createVectorStore({ db: testDb.db, mode: 'portable' });
    const target = postIds[6]!;
    const search = async (vector: number[]) =>
      (await searcher.nearest({ vector, model: 'm1', limit: 1, scanLimit: 1000 }))[0]!;
    expect(await search(vectors[6]!)).toMatchObject({ post_id: target });
    const rewritten = vectors[6]!.map((v) => -v);
    await writer.upsert(testDb.db, { postId: target, personaId: personaA, model: 'm1', vector: rewritten });
    const found = await search(rewritten);
    expect(found.post_id).toBe(target);
    expect(found.score).toBeGreaterThan(0.99);
    expect((await search(vectors[6]!)).post_id).not.toBe(target);
  });
});
