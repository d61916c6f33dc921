import type { Post, PostStatus } from './post-lifecycle.ts';
import { batchedRead, type Database } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import type { VectorStore } from './vector-store.ts';
import { decodeCursor, encodeCursor } from '../platform/page-cursor.ts';
import { findPostsByIds, findPostTexts, listPosts } from './post.repository.ts';

const SIMILAR_SCAN = 5000;

export function createPostsService(deps: { db: Database; vectors: VectorStore }) {
  const { db, vectors } = deps;
  // The API's most frequent read: under load, requests for posts share statements.
  const findPost = batchedRead(
    async (ids: string[]) => new Map((await findPostsByIds(db, ids)).map((post) => [post.id, post])),
  );

  async function getPost(id: string): Promise<Post> {
    const post = await findPost(id);
    if (!post) throw new AppError('not_found', `post ${id} does not exist`);
    return post;
  }

  async function listPage(query: { persona_id?: string; status?: PostStatus; limit: number; cursor?: string }) {
    const { posts, next } = await listPosts(db, {
      personaId: query.persona_id,
      status: query.status,
      limit: query.limit,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    return { data: posts, next_cursor: next ? encodeCursor(next) : null };
  }

  /** The posts closest in meaning to this one, any persona's, best first; none when it has no vector. */
  async function listSimilar(id: string, limit: number) {
    await getPost(id);
    const own = await vectors.vectorOf(id);
    if (!own) return { data: [] };
    const neighbours = await vectors.nearest({ ...own, excludePostId: id, limit, scanLimit: SIMILAR_SCAN });
    const texts = new Map(
      (
        await findPostTexts(
          db,
          neighbours.map((n) => n.post_id),
        )
      ).map((row) => [row.id, row.text] as const),
    );
    return { data: neighbours.map((n) => ({ ...n, text: texts.get(n.post_id) ?? '' })) };
  }

  return { getPost, listPage, listSimilar };
}

export type PostsService = ReturnType<typeof createPostsService>;
