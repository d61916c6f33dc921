import { type Queryable, toIsoOrNull } from '../../platform/db/index.ts';
import { POST_COLUMNS, toPost, type Post, type PostStatus } from '../post.repository.ts';

/** The statuses a user may act on, by action; every change is one conditional UPDATE, so races lose cleanly. */
export const ALLOWED_FROM = {
  approve: ['draft'],
  reject: ['draft', 'approved', 'scheduled'],
  schedule: ['draft', 'approved'],
} as const satisfies Record<string, readonly PostStatus[]>;

export async function approveDraft(q: Queryable, id: string, now: Date): Promise<Post | null> {
  const [row] = await q.query(
    `UPDATE posts SET status = 'approved', approved_at = $2, updated_at = now()
      WHERE id = $1 AND status = ANY($3::text[]) RETURNING ${POST_COLUMNS}`,
    [id, now, ALLOWED_FROM.approve],
  );
  return row ? toPost(row) : null;
}

const REJECT_BY_USER = `UPDATE posts SET status = 'rejected', rejection_reason = 'rejected_by_user', rejection_detail = $2::jsonb,
  scheduled_at = NULL, publish_error = NULL, updated_at = now()`;

export async function rejectByUser(q: Queryable, id: string, reason: string | null): Promise<Post | null> {
  const [row] = await q.query(
    `${REJECT_BY_USER} WHERE id = $1 AND status = ANY($3::text[]) RETURNING ${POST_COLUMNS}`,
    [id, JSON.stringify({ detail: reason ?? 'rejected by the user' }), ALLOWED_FROM.reject],
  );
  return row ? toPost(row) : null;
}

/** Every post of the persona a user could still reject (not yet publishing), as if they had. */
export async function rejectUnpublished(q: Queryable, personaId: string, reason: string): Promise<void> {
  await q.query(`${REJECT_BY_USER} WHERE persona_id = $1 AND status = ANY($3::text[])`, [
    personaId,
    JSON.stringify({ detail: reason }),
    ALLOWED_FROM.reject,
  ]);
}

/** A draft is approved in the same step. */
export async function schedulePost(q: Queryable, id: string, at: Date, now: Date): Promise<Post | null> {
  const [row] = await q.query(
    `UPDATE posts SET status = 'scheduled', scheduled_at = $2, approved_at = COALESCE(approved_at, $3),
        publish_error = NULL, updated_at = now()
      WHERE id = $1 AND status = ANY($4::text[]) RETURNING ${POST_COLUMNS}`,
    [id, at, now, ALLOWED_FROM.schedule],
  );
  return row ? toPost(row) : null;
}

/** When the persona's latest scheduled, publishing or published post goes (or went) out. */
export async function findLatestSlot(q: Queryable, personaId: string): Promise<Date | null> {
  const [row] = await q.query<{ latest: unknown }>(
    `SELECT max(GREATEST(scheduled_at, published_at)) AS latest FROM posts
      WHERE persona_id = $1 AND status IN ('scheduled', 'publishing', 'published')`,
    [personaId],
  );
  const latest = toIsoOrNull(row?.latest);
  return latest ? new Date(latest) : null;
}
