import { type Queryable, toIsoOrNull } from '../../platform/db/index.ts';
import { fromStatuses, POST_TRANSITIONS, type Post } from '../post-lifecycle.ts';
import { POST_COLUMNS, toPost } from '../post.repository.ts';

const { approve, reject, schedule } = POST_TRANSITIONS;

export async function approveDraft(q: Queryable, id: string, now: Date): Promise<Post | null> {
  const [row] = await q.query(
    `UPDATE posts SET status = '${approve.to}', approved_at = $2, updated_at = now()
      WHERE id = $1 AND status = ANY($3::text[]) RETURNING ${POST_COLUMNS}`,
    [id, now, fromStatuses('approve')],
  );
  return row ? toPost(row) : null;
}

const REJECT_BY_USER = `UPDATE posts SET status = '${reject.to}', rejection_reason = 'rejected_by_user', rejection_detail = $2::jsonb,
  scheduled_at = NULL, publish_error = NULL, updated_at = now()`;

export async function rejectByUser(q: Queryable, id: string, reason: string | null): Promise<Post | null> {
  const [row] = await q.query(
    `${REJECT_BY_USER} WHERE id = $1 AND status = ANY($3::text[]) RETURNING ${POST_COLUMNS}`,
    [id, JSON.stringify({ detail: reason ?? 'rejected by the user' }), fromStatuses('reject')],
  );
  return row ? toPost(row) : null;
}

/** Every post of the persona a user could still reject (not yet publishing), as if they had. */
export async function rejectUnpublished(q: Queryable, personaId: string, reason: string): Promise<void> {
  await q.query(`${REJECT_BY_USER} WHERE persona_id = $1 AND status = ANY($3::text[])`, [
    personaId,
    JSON.stringify({ detail: reason }),
    fromStatuses('reject'),
  ]);
}

/** A draft is approved in the same step. */
export async function schedulePost(q: Queryable, id: string, at: Date, now: Date): Promise<Post | null> {
  const [row] = await q.query(
    `UPDATE posts SET status = '${schedule.to}', scheduled_at = $2, approved_at = COALESCE(approved_at, $3),
        publish_error = NULL, updated_at = now()
      WHERE id = $1 AND status = ANY($4::text[]) RETURNING ${POST_COLUMNS}`,
    [id, at, now, fromStatuses('schedule')],
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
