import { type PageCursor, splitPage } from '../platform/page-cursor.ts';
import { type Queryable, toIso, toIsoOrNull } from '../platform/db/index.ts';
import type { NewPost, Post, PostStatus } from './post-lifecycle.ts';
import { isUuid } from '../platform/uuid.ts';

export const POST_COLUMNS = `id, persona_id, task_id, variant, status, topic, hook_pattern, hook, body, text, quality_score,
  score_breakdown, rejection_reason, rejection_detail, attempts, models, prompt_tokens, completion_tokens,
  cost_usd::float8 AS cost_usd, nearest_post_id, nearest_similarity::float8 AS nearest_similarity, approved_at,
  scheduled_at, published_at, threads_media_id, permalink, publish_error, created_at, updated_at,
  created_at::text AS cursor_ts`;

export function toPost(row: Record<string, unknown>): Post {
  const { cursor_ts: _cursor, ...post } = row;
  return {
    ...(post as unknown as Post),
    approved_at: toIsoOrNull(row.approved_at),
    scheduled_at: toIsoOrNull(row.scheduled_at),
    published_at: toIsoOrNull(row.published_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

/** Inserts the post unless this task's variant already has one (a retried job); returns the stored post. */
export async function insertPost(q: Queryable, post: NewPost): Promise<Post> {
  const [row] = await q.query(
    `INSERT INTO posts (persona_id, task_id, variant, status, topic, hook_pattern, hook, body, text, quality_score,
       score_breakdown, rejection_reason, rejection_detail, attempts, models, prompt_tokens, completion_tokens, cost_usd,
       nearest_post_id, nearest_similarity, approved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     ON CONFLICT (task_id, variant) WHERE task_id IS NOT NULL DO NOTHING
     RETURNING ${POST_COLUMNS}`,
    [
      post.persona_id,
      post.task_id,
      post.variant,
      post.status,
      post.topic,
      post.hook_pattern,
      post.hook,
      post.body,
      post.text,
      post.quality_score,
      JSON.stringify(post.score_breakdown),
      post.rejection_reason,
      post.rejection_detail === null ? null : JSON.stringify(post.rejection_detail),
      post.attempts,
      JSON.stringify(post.models),
      post.prompt_tokens,
      post.completion_tokens,
      post.cost_usd,
      post.nearest_post_id,
      post.nearest_similarity,
      post.approved_at ?? null,
    ],
  );
  if (row) return toPost(row);
  const [existing] = await q.query(`SELECT ${POST_COLUMNS} FROM posts WHERE task_id = $1 AND variant = $2`, [
    post.task_id,
    post.variant,
  ]);
  return toPost(existing!);
}

/** Ids that are not UUIDs are left out: they name no post, and one must not fail the others' read. */
export async function findPostsByIds(q: Queryable, ids: string[]): Promise<Post[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (valid.length === 0) return [];
  const rows = await q.query(`SELECT ${POST_COLUMNS} FROM posts WHERE id = ANY($1::uuid[])`, [valid], {
    prepared: true,
  });
  return rows.map(toPost);
}

export async function listPostIdsOfTask(q: Queryable, taskId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>('SELECT id FROM posts WHERE task_id = $1 ORDER BY variant', [taskId]);
  return rows.map((r) => r.id);
}

export async function findVariantsDone(q: Queryable, taskId: string): Promise<Set<number>> {
  const rows = await q.query<{ variant: number }>('SELECT variant FROM posts WHERE task_id = $1', [taskId]);
  return new Set(rows.map((r) => r.variant));
}

export async function findPostTexts(q: Queryable, ids: string[]): Promise<{ id: string; text: string }[]> {
  if (ids.length === 0) return [];
  return q.query('SELECT id, text FROM posts WHERE id = ANY($1::uuid[])', [ids]);
}

export async function listPosts(
  q: Queryable,
  filter: { personaId?: string; status?: PostStatus; limit: number; before?: PageCursor },
): Promise<{ posts: Post[]; next: PageCursor | null }> {
  const rows = await q.query(
    `SELECT ${POST_COLUMNS} FROM posts
      WHERE ($1::uuid IS NULL OR persona_id = $1)
        AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $5`,
    [
      filter.personaId ?? null,
      filter.status ?? null,
      filter.before?.ts ?? null,
      filter.before?.id ?? null,
      filter.limit + 1,
    ],
  );
  const { page, next } = splitPage(
    rows as (Record<string, unknown> & { id: string; cursor_ts: string })[],
    filter.limit,
  );
  return { posts: page.map(toPost), next };
}

/**
 * A persona's latest accepted (non-rejected) post texts, newest first: what its next post must not
 * repeat. `excludePostId`: a draft being edited is not compared with its own old text.
 */
export async function listRecentTexts(
  q: Queryable,
  personaId: string,
  limit: number,
  excludePostId?: string,
): Promise<string[]> {
  const rows = await q.query<{ text: string }>(
    `SELECT text FROM posts WHERE persona_id = $1 AND status <> 'rejected' AND ($3::uuid IS NULL OR id <> $3)
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    [personaId, limit, excludePostId ?? null],
  );
  return rows.map((r) => r.text);
}

/** A task's posts in variant order, each with whether it was accepted (any status but rejected). */
export async function listPostOutcomesOfTask(
  q: Queryable,
  taskId: string,
): Promise<{ id: string; accepted: boolean }[]> {
  return q.query<{ id: string; accepted: boolean }>(
    "SELECT id, status <> 'rejected' AS accepted FROM posts WHERE task_id = $1 ORDER BY variant",
    [taskId],
  );
}

/** Why each rejected draft of a task was rejected, for the task's failure message. */
export async function listRejectionDetailsOfTask(q: Queryable, taskId: string): Promise<string[]> {
  const rows = await q.query<{ reason: string; detail: string | null }>(
    "SELECT rejection_reason AS reason, rejection_detail->>'detail' AS detail FROM posts WHERE task_id = $1 AND status = 'rejected' ORDER BY variant",
    [taskId],
  );
  return rows.map((r) => `${r.reason}: ${r.detail ?? ''}`.slice(0, 300));
}
