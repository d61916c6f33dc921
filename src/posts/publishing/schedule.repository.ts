import { fromStatuses, POST_TRANSITIONS } from '../post-lifecycle.ts';
import type { Queryable } from '../../platform/db/index.ts';

/** Approved posts waiting for a slot, oldest approval first within each persona. */
export async function listApprovedPosts(q: Queryable, limit: number): Promise<{ id: string; persona_id: string }[]> {
  return q.query(
    `SELECT id, persona_id FROM posts WHERE status = 'approved' ORDER BY persona_id, approved_at, id LIMIT $1`,
    [limit],
  );
}

export async function assignSlot(q: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE posts SET status = '${POST_TRANSITIONS.assignSlot.to}', scheduled_at = $2, updated_at = now()
      WHERE id = $1 AND status = ANY($3::text[]) RETURNING id`,
    [id, at, fromStatuses('assignSlot')],
  );
  return rows.length > 0;
}

/** The persona's scheduled posts, in the order they go out. */
export async function listScheduledPosts(
  q: Queryable,
  personaId: string,
): Promise<{ id: string; scheduled_at: Date }[]> {
  const rows = await q.query<{ id: string; scheduled_at: Date | string }>(
    `SELECT id, scheduled_at FROM posts WHERE persona_id = $1 AND status = 'scheduled' ORDER BY scheduled_at, id`,
    [personaId],
  );
  return rows.map((r) => ({ id: r.id, scheduled_at: new Date(r.scheduled_at) }));
}

export async function moveScheduledPost(q: Queryable, id: string, at: Date, reason: string): Promise<void> {
  await q.query(
    `UPDATE posts SET scheduled_at = $2, publish_error = $3, updated_at = now() WHERE id = $1 AND status = 'scheduled'`,
    [id, at, reason],
  );
}

export interface DuePost {
  id: string;
  publish_error: string | null;
  account_status: 'active' | 'paused' | null;
  account_reason: string | null;
}

/** Scheduled posts whose time has come, with their persona's account (null when none is linked). */
export async function listDuePosts(q: Queryable, now: Date, limit: number): Promise<DuePost[]> {
  return q.query(
    `SELECT p.id, p.publish_error, a.status AS account_status, a.status_reason AS account_reason
       FROM posts p LEFT JOIN threads_accounts a ON a.persona_id = p.persona_id AND a.status <> 'unlinked'
      WHERE p.status = 'scheduled' AND p.scheduled_at <= $1
      ORDER BY p.scheduled_at, p.id LIMIT $2`,
    [now, limit],
  );
}

export async function setWaitReason(q: Queryable, id: string, reason: string): Promise<void> {
  await q.query(
    `UPDATE posts SET publish_error = $2, updated_at = now() WHERE id = $1 AND status = 'scheduled' AND publish_error IS DISTINCT FROM $2`,
    [id, reason],
  );
}

/**
 * Posts left `publishing` by a run that died (claim older than `claimedBefore`), or already freed:
 * their claim is cleared so the next run may resume them where they stopped.
 */
export async function freeAbandonedPosts(q: Queryable, claimedBefore: Date): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `UPDATE posts SET publish_claim = NULL, updated_at = now()
      WHERE status = 'publishing' AND (publish_claim IS NULL OR publish_claimed_at < $1) RETURNING id`,
    [claimedBefore],
  );
  return rows.map((r) => r.id);
}
