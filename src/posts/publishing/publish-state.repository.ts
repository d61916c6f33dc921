import { POST_TRANSITIONS } from '../post-lifecycle.ts';
import { type Database, lockItemForTransaction, type Queryable, toIsoOrNull } from '../../platform/db/index.ts';
import { nextFreeSlot } from './publish-slots.ts';

const T = POST_TRANSITIONS;

/** What a publishing run needs of the post it holds; the ids show how far an earlier run got. */
export interface PublishTarget {
  id: string;
  persona_id: string;
  persona_slug: string;
  text: string;
  threads_container_id: string | null;
  threads_container_created_at: Date | null;
  /** The account the container was made on. */
  threads_account_id: string | null;
  threads_media_id: string | null;
  permalink: string | null;
}

/** A claim: the post taken, or the time its persona may publish again. */
export type Claim = { post: PublishTarget } | { heldUntil: Date; personaId: string };

/**
 * When a persona's next post may go out, if not now: minGap after its latest published post, and one
 * gap on while another of its posts is on its way out. Slots were spaced when assigned, but a post
 * that went out late (retries, a busy worker) would otherwise be followed at once by the next.
 */
async function spacingHold(q: Queryable, post: { id: string; persona_id: string }, now: Date, minGapMinutes: number) {
  const [row] = await q.query<{ latest: unknown; in_flight: boolean | null }>(
    `SELECT max(published_at) AS latest, bool_or(status = 'publishing' AND id <> $2) AS in_flight
       FROM posts WHERE persona_id = $1 AND status IN ('publishing', 'published')`,
    [post.persona_id, post.id],
  );
  const latest = toIsoOrNull(row?.latest);
  const free = nextFreeSlot({ latest: row?.in_flight ? now : latest ? new Date(latest) : null, now, minGapMinutes });
  return free.getTime() > now.getTime() ? free : null;
}

/**
 * Takes the post for this run: a due `scheduled` post whose persona's gap has passed, or a
 * `publishing` one that is free or already this run's (a retry of the same job). Null when it is not
 * due, is done, or another run holds it.
 */
export async function claimPost(
  db: Database,
  id: string,
  claim: string,
  now: Date,
  minGapMinutes: number,
): Promise<Claim | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ id: string; persona_id: string; status: string }>(
      'SELECT id, persona_id, status FROM posts WHERE id = $1',
      [id],
    );
    if (!current) return null;
    if (current.status === 'scheduled') {
      await lockItemForTransaction(tx, 'personaPublishing', current.persona_id);
      const heldUntil = await spacingHold(tx, current, now, minGapMinutes);
      if (heldUntil) return { heldUntil, personaId: current.persona_id };
    }
    const [row] = await tx.query<
      Omit<PublishTarget, 'threads_container_created_at'> & { threads_container_created_at: unknown }
    >(
      `UPDATE posts p SET status = '${T.claim.to}', publish_claim = $2, publish_claimed_at = $3, updated_at = now()
        WHERE p.id = $1
          AND ((p.status = 'scheduled' AND p.scheduled_at <= $3)
            OR (p.status = 'publishing' AND (p.publish_claim IS NULL OR p.publish_claim = $2)))
       RETURNING p.id, p.persona_id, p.text, p.threads_container_id, p.threads_container_created_at, p.threads_account_id, p.threads_media_id,
         p.permalink, (SELECT slug FROM personas WHERE id = p.persona_id) AS persona_slug`,
      [id, claim, now],
    );
    if (!row) return null;
    const createdAt = toIsoOrNull(row.threads_container_created_at);
    return { post: { ...row, threads_container_created_at: createdAt ? new Date(createdAt) : null } };
  });
}

/** Every write below holds only while the run still owns the claim; false means another run took over. */
async function updateClaimed(
  q: Queryable,
  id: string,
  claim: string,
  set: string,
  params: unknown[],
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE posts SET ${set}, updated_at = now() WHERE id = $1 AND publish_claim = $2 RETURNING id`,
    [id, claim, ...params],
  );
  return rows.length > 0;
}

export const saveContainer = (
  q: Queryable,
  id: string,
  claim: string,
  container: { id: string; createdAt: Date; accountId: string },
) =>
  updateClaimed(q, id, claim, 'threads_container_id = $3, threads_container_created_at = $4, threads_account_id = $5', [
    container.id,
    container.createdAt,
    container.accountId,
  ]);

export const forgetContainer = (q: Queryable, id: string, claim: string) =>
  updateClaimed(
    q,
    id,
    claim,
    'threads_container_id = NULL, threads_container_created_at = NULL, threads_account_id = NULL',
    [],
  );

export const saveMediaId = (q: Queryable, id: string, claim: string, mediaId: string) =>
  updateClaimed(q, id, claim, 'threads_media_id = $3', [mediaId]);

export const markPublished = (
  q: Queryable,
  id: string,
  claim: string,
  done: { permalink: string | null; publishedAt: Date },
) =>
  updateClaimed(
    q,
    id,
    claim,
    `status = '${T.publish.to}', permalink = $3, published_at = $4, publish_error = NULL, publish_claim = NULL`,
    [done.permalink, done.publishedAt],
  );

export const markFailed = (q: Queryable, id: string, claim: string, error: string) =>
  updateClaimed(q, id, claim, `status = '${T.fail.to}', publish_error = $3, publish_claim = NULL`, [error]);

/** Back to `scheduled` (at `at`, or at its old time when null), with the reason shown on the post. */
export const returnToSchedule = (q: Queryable, id: string, claim: string, at: Date | null, reason: string) =>
  updateClaimed(
    q,
    id,
    claim,
    `status = '${T.returnToSchedule.to}', scheduled_at = COALESCE($3, scheduled_at), publish_error = $4, publish_claim = NULL`,
    [at, reason],
  );

/** Media ids already stored on other posts: never adopt one of them as this post's. */
export async function listKnownMediaIds(q: Queryable, mediaIds: string[]): Promise<Set<string>> {
  if (mediaIds.length === 0) return new Set();
  const rows = await q.query<{ threads_media_id: string }>(
    'SELECT threads_media_id FROM posts WHERE threads_media_id = ANY($1::text[])',
    [mediaIds],
  );
  return new Set(rows.map((r) => r.threads_media_id));
}
