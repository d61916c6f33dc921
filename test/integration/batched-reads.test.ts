import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPersonasService } from '../../src/personas/index.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import { createPostsService, createVectorStore } from '../../src/posts/index.ts';
import { personaFields } from '../support/factories.ts';
import { insertDraft } from '../support/publishing-fixtures.ts';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const HOLD_MS = 60;

/**
 * Counts the statements matching `pattern` and holds each one's rows for HOLD_MS after it ran, so a
 * read asked meanwhile finds a statement on its way that has already read.
 */
function holdingReads(db: Database, pattern: RegExp): { db: Database; count: () => number } {
  let count = 0;
  const query = async <T>(sql: string, params?: unknown[], options?: { prepared?: boolean }) => {
    if (!pattern.test(sql)) return db.query<T>(sql, params, options);
    count++;
    const rows = await db.query<T>(sql, params, options);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    return rows;
  };
  return { db: { ...db, query }, count: () => count };
}

describe.each(DATABASE_KINDS)('batched reads on %s', (kind) => {
  let target: TestDatabase | undefined;
  afterEach(async () => {
    await target?.drop();
    target = undefined;
  });

  async function open(): Promise<Database> {
    target = await createTestDatabase(kind);
    await migrate(target.db);
    return target.db;
  }

  it('concurrent post reads share statements; an id that is no UUID is not found without failing the rest', async () => {
    const db = await open();
    const persona = await insertPersona(db, personaFields(), 'user');
    const drafts = [];
    for (let i = 0; i < 10; i++) drafts.push(await insertDraft(db, persona.id));
    const held = holdingReads(db, /FROM posts WHERE id = ANY/);
    const posts = createPostsService({ db: held.db, vectors: createVectorStore({ db, mode: 'portable' }) });
    const ids = [...drafts, ...drafts, ...drafts].map((post) => post.id);
    const reads = await Promise.allSettled([...ids, 'not-a-uuid'].map((id) => posts.getPost(id)));
    expect(reads.slice(0, -1).map((r) => r.status === 'fulfilled' && r.value.text)).toEqual(
      [...drafts, ...drafts, ...drafts].map((post) => post.text),
    );
    expect(reads.at(-1)).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    // 31 reads: the first alone, the others together in the next statement.
    expect(held.count()).toBeLessThanOrEqual(2);
  });

  it('a read asked after a write committed sees it, even while an earlier read of the same post is on its way', async () => {
    const db = await open();
    const persona = await insertPersona(db, personaFields(), 'user');
    const draft = await insertDraft(db, persona.id, 'the text before');
    const held = holdingReads(db, /FROM posts WHERE id = ANY/);
    const posts = createPostsService({ db: held.db, vectors: createVectorStore({ db, mode: 'portable' }) });
    const earlier = posts.getPost(draft.id);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS / 3));
    expect(held.count()).toBe(1);
    await db.query('UPDATE posts SET text = $2 WHERE id = $1', [draft.id, 'the text after']);
    const later = posts.getPost(draft.id);
    expect((await earlier).text).toBe('the text before');
    expect((await later).text).toBe('the text after');
  });

  it('identical persona listings at the same time share one statement; one asked after a create lists it', async () => {
    const db = await open();
    for (let i = 0; i < 3; i++) await insertPersona(db, personaFields(), 'user');
    const held = holdingReads(db, /FROM personas WHERE/);
    const personas = createPersonasService({ db: held.db });
    const query = { sort: 'slug', order: 'asc', limit: 20 } as const;
    const first = personas.listPage(query);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS / 3));
    const created = await insertPersona(db, personaFields(), 'user');
    const pages = await Promise.all([first, ...Array.from({ length: 8 }, () => personas.listPage(query))]);
    expect(pages[0]!.data).toHaveLength(3);
    for (const page of pages.slice(1)) {
      expect(page.data).toHaveLength(4);
      expect(page.data.map((p) => p.id)).toContain(created.id);
    }
    expect(held.count()).toBe(2);
  });
});
