import { type Queryable, toIso } from '../platform/db/index.ts';
import { fromStatuses, type Post } from './post-lifecycle.ts';
import { POST_COLUMNS, toPost } from './post.repository.ts';

/** A draft's text as a user changed it, with what the checks found for the new text. */
export interface DraftRevision {
  hook: string;
  body: string;
  text: string;
  quality_score: number;
  score_breakdown: Record<string, unknown>;
  nearest_post_id: string | null;
  nearest_similarity: number | null;
}

export interface PostEdit {
  id: string;
  post_id: string;
  previous_text: string;
  text: string;
  previous_score: number | null;
  score: number | null;
  edited_by: string;
  edited_at: string;
}

/**
 * The new text, only while the post may still be edited and still says `previousText` (what was
 * checked against); null when it has moved on or been edited meanwhile.
 */
export async function reviseDraft(
  q: Queryable,
  id: string,
  previousText: string,
  revision: DraftRevision,
): Promise<Post | null> {
  const [row] = await q.query(
    `UPDATE posts SET hook = $2, body = $3, text = $4, quality_score = $5, score_breakdown = $6::jsonb,
        nearest_post_id = $7, nearest_similarity = $8, updated_at = now()
      WHERE id = $1 AND status = ANY($9::text[]) AND text = $10 RETURNING ${POST_COLUMNS}`,
    [
      id,
      revision.hook,
      revision.body,
      revision.text,
      revision.quality_score,
      JSON.stringify(revision.score_breakdown),
      revision.nearest_post_id,
      revision.nearest_similarity,
      fromStatuses('edit'),
      previousText,
    ],
  );
  return row ? toPost(row) : null;
}

export async function recordPostEdit(q: Queryable, edit: Omit<PostEdit, 'id' | 'edited_at'>, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO post_edits (post_id, previous_text, text, previous_score, score, edited_by, edited_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [edit.post_id, edit.previous_text, edit.text, edit.previous_score, edit.score, edit.edited_by, at],
  );
}

/** A post's edits, oldest first: the first one's previous_text is what the workflow wrote. */
export async function listPostEdits(q: Queryable, postId: string): Promise<PostEdit[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, post_id, previous_text, text, previous_score::float8 AS previous_score,
        score::float8 AS score, edited_by, edited_at FROM post_edits WHERE post_id = $1 ORDER BY id`,
    [postId],
  );
  return rows.map((row) => ({ ...(row as unknown as PostEdit), edited_at: toIso(row.edited_at) }));
}
