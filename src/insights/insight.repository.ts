import { type Database, type Queryable, toIso, toIsoOrNull } from '../platform/db/index.ts';
import type { MediaInsights } from '../platform/threads/index.ts';

export type InsightStopReason = 'complete' | 'expired' | 'media_gone';

/** A post a run holds until it records a snapshot or gives the post back. */
export interface ClaimedPost {
  post_id: string;
  persona_id: string;
  account_id: string;
  threads_media_id: string;
  published_at: Date;
  /** When it was due before the claim: null if never captured. Put back when the run skips the post. */
  previous_due_at: Date | null;
}

export interface InsightSnapshot extends MediaInsights {
  captured_at: string;
}

const toDate = (value: unknown) => new Date(toIso(value));

/**
 * Takes up to `limit` due posts of active accounts, most overdue first, and leases them until `leaseUntil`
 * so that an overlapping run skips them. Reads the posts_insights_due index: cost follows the due posts.
 */
export async function claimDuePosts(
  db: Queryable,
  input: { now: Date; firstSlotMs: number; windowStart: Date; leaseUntil: Date; limit: number },
): Promise<ClaimedPost[]> {
  const rows = await db.query<Record<string, unknown>>(
    `WITH due AS (
       SELECT p.id, p.insights_next_due_at AS previous_due_at, a.id AS account_id
         FROM posts p JOIN threads_accounts a ON a.id = p.threads_account_id AND a.status = 'active'
        WHERE p.status = 'published' AND p.threads_media_id IS NOT NULL AND p.insights_stopped_at IS NULL
          AND coalesce(p.insights_next_due_at, p.published_at) <= $1
          AND (p.insights_next_due_at IS NOT NULL OR p.published_at <= $1::timestamptz - $2::float8 * interval '1 millisecond')
          AND p.published_at > $3
        ORDER BY coalesce(p.insights_next_due_at, p.published_at + $2::float8 * interval '1 millisecond'), p.id
        LIMIT $5
        FOR UPDATE OF p SKIP LOCKED)
     UPDATE posts p SET insights_next_due_at = $4 FROM due WHERE p.id = due.id
     RETURNING p.id AS post_id, p.persona_id, due.account_id, p.threads_media_id, p.published_at, due.previous_due_at`,
    [
      input.now.toISOString(),
      input.firstSlotMs,
      input.windowStart.toISOString(),
      input.leaseUntil.toISOString(),
      input.limit,
    ],
  );
  return rows
    .map((r) => ({
      post_id: String(r.post_id),
      persona_id: String(r.persona_id),
      account_id: String(r.account_id),
      threads_media_id: String(r.threads_media_id),
      published_at: toDate(r.published_at),
      previous_due_at: r.previous_due_at === null ? null : toDate(r.previous_due_at),
    }))
    .sort((a, b) => dueOf(a, input.firstSlotMs) - dueOf(b, input.firstSlotMs));
}

const dueOf = (p: ClaimedPost, firstSlotMs: number) =>
  p.previous_due_at?.getTime() ?? p.published_at.getTime() + firstSlotMs;

/** Gives a skipped post back as it was, so the next run takes it first again. */
export async function releaseClaim(db: Queryable, post: ClaimedPost, leaseUntil: Date): Promise<void> {
  await db.query(`UPDATE posts SET insights_next_due_at = $3 WHERE id = $1 AND insights_next_due_at = $2`, [
    post.post_id,
    leaseUntil.toISOString(),
    post.previous_due_at?.toISOString() ?? null,
  ]);
}

/**
 * Stores the snapshot and the next due time (none: the cadence is complete) while the claim still holds,
 * in one transaction; false when another run took the post over after the lease ran out.
 */
export async function recordSnapshot(
  db: Database,
  input: { post: ClaimedPost; leaseUntil: Date; capturedAt: Date; insights: MediaInsights; nextDueAt: Date | null },
): Promise<boolean> {
  const { post, insights: i } = input;
  return db.transaction(async (tx) => {
    const held = await tx.query(
      `UPDATE posts SET insights_next_due_at = $3,
              insights_stopped_at = CASE WHEN $3::timestamptz IS NULL THEN $4::timestamptz END,
              insights_stop_reason = CASE WHEN $3::timestamptz IS NULL THEN 'complete' END
        WHERE id = $1 AND insights_next_due_at = $2 RETURNING id`,
      [
        post.post_id,
        input.leaseUntil.toISOString(),
        input.nextDueAt?.toISOString() ?? null,
        input.capturedAt.toISOString(),
      ],
    );
    if (held.length === 0) return false;
    await tx.query(
      `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (post_id, captured_at) DO NOTHING`,
      [post.post_id, input.capturedAt.toISOString(), i.views, i.likes, i.replies, i.reposts, i.quotes, i.shares],
    );
    return true;
  });
}

export async function stopCollection(
  db: Queryable,
  postId: string,
  reason: InsightStopReason,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE posts SET insights_next_due_at = NULL, insights_stopped_at = $3, insights_stop_reason = $2 WHERE id = $1`,
    [postId, reason, at.toISOString()],
  );
}

/**
 * Posts whose collection window closed before their last capture (their account was paused, or the
 * collector was not running) leave the due index for good instead of being read on every run.
 */
export async function expireClosedWindows(db: Queryable, now: Date, windowStart: Date): Promise<number> {
  const rows = await db.query(
    `UPDATE posts SET insights_next_due_at = NULL, insights_stopped_at = $1, insights_stop_reason = 'expired'
      WHERE status = 'published' AND threads_media_id IS NOT NULL AND insights_stopped_at IS NULL
        AND coalesce(insights_next_due_at, published_at) <= $1 AND published_at <= $2
      RETURNING id`,
    [now.toISOString(), windowStart.toISOString()],
  );
  return rows.length;
}

const SNAPSHOT_COLUMNS = 'captured_at, views, likes, replies, reposts, quotes, shares';

const toSnapshot = (r: Record<string, unknown>): InsightSnapshot => ({
  captured_at: toIso(r.captured_at),
  views: Number(r.views),
  likes: Number(r.likes),
  replies: Number(r.replies),
  reposts: Number(r.reposts),
  quotes: Number(r.quotes),
  shares: Number(r.shares),
});

/** Oldest first. At most one row per cadence slot (71), so the series needs no paging. */
export async function listSnapshots(db: Queryable, postId: string): Promise<InsightSnapshot[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM post_insight_snapshots WHERE post_id = $1 ORDER BY captured_at`,
    [postId],
  );
  return rows.map(toSnapshot);
}

export async function findLatestSnapshot(db: Queryable, postId: string): Promise<InsightSnapshot | null> {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM post_insight_snapshots WHERE post_id = $1 ORDER BY captured_at DESC LIMIT 1`,
    [postId],
  );
  return row ? toSnapshot(row) : null;
}

export interface CollectionState {
  published_at: string | null;
  next_due_at: string | null;
  stopped_at: string | null;
  stop_reason: InsightStopReason | null;
}

export async function findCollectionState(db: Queryable, postId: string): Promise<CollectionState | null> {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT published_at, insights_next_due_at, insights_stopped_at, insights_stop_reason FROM posts WHERE id = $1`,
    [postId],
  );
  if (!row) return null;
  return {
    published_at: toIsoOrNull(row.published_at),
    next_due_at: toIsoOrNull(row.insights_next_due_at),
    stopped_at: toIsoOrNull(row.insights_stopped_at),
    stop_reason: (row.insights_stop_reason as InsightStopReason | null) ?? null,
  };
}

/** The day's row (UTC) keeps the latest capture, whichever run stores last. */
export async function upsertFollowerSnapshot(
  db: Queryable,
  input: { accountId: string; personaId: string; capturedAt: Date; followersCount: number },
): Promise<void> {
  await db.query(
    `INSERT INTO follower_snapshots
       (account_id, persona_id, captured_on, captured_at, followers_count, first_captured_at, first_followers_count)
     VALUES ($1, $2, $3, $4, $5, $4, $5)
     ON CONFLICT (account_id, captured_on) DO UPDATE SET captured_at = EXCLUDED.captured_at, followers_count = EXCLUDED.followers_count
      WHERE follower_snapshots.captured_at <= EXCLUDED.captured_at`,
    [
      input.accountId,
      input.personaId,
      input.capturedAt.toISOString().slice(0, 10),
      input.capturedAt.toISOString(),
      input.followersCount,
    ],
  );
}
