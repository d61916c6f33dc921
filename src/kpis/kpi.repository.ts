import type { Queryable } from '../platform/db/index.ts';
import type { TimeWindow } from '../platform/time-window.ts';
import type { FollowerSnapshot, PostInsight } from './kpi-formulas.ts';

const toDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/**
 * Posts published in the window, each with its latest snapshot up to the window's end (0 and 0
 * before the first). One index probe per post, so the cost follows the window's posts, not the
 * snapshot history.
 */
export async function listPostInsights(
  q: Queryable,
  window: TimeWindow,
): Promise<(PostInsight & { persona_id: string })[]> {
  const rows = await q.query<{ persona_id: string; published_at: Date | string; views: number; interactions: number }>(
    `SELECT p.persona_id, p.published_at, coalesce(l.views, 0)::float8 AS views, coalesce(l.interactions, 0)::float8 AS interactions
       FROM posts p
       LEFT JOIN LATERAL (
         SELECT s.views, s.likes::bigint + s.replies + s.reposts + s.quotes + s.shares AS interactions
           FROM post_insight_snapshots s
          WHERE s.post_id = p.id AND s.captured_at <= $2
          ORDER BY s.captured_at DESC LIMIT 1) l ON true
      WHERE p.status = 'published' AND p.published_at > $1 AND p.published_at <= $2`,
    [window.from.toISOString(), window.to.toISOString()],
  );
  return rows.map((r) => ({ ...r, published_at: toDate(r.published_at) }));
}

/**
 * Per linked account, the only captures `followerGrowth` can pick: the last at or before the window's
 * start, the first inside it, and the last up to its end. captured_on is the UTC day of captured_at,
 * so bounding and ordering by it lets each pick be one probe of the primary key. An unlinked
 * account's history is kept and counts again if the same Threads user is relinked.
 */
export async function listFollowerCandidates(
  q: Queryable,
  window: TimeWindow,
): Promise<(FollowerSnapshot & { account_id: string; persona_id: string })[]> {
  const rows = await q.query<{
    account_id: string;
    persona_id: string;
    captured_at: Date | string;
    followers_count: number;
  }>(
    `SELECT a.id AS account_id, a.persona_id, f.captured_at, f.followers_count
       FROM threads_accounts a
       CROSS JOIN LATERAL (
         (SELECT captured_at, followers_count FROM follower_snapshots
           WHERE account_id = a.id AND captured_on <= ($1::timestamptz AT TIME ZONE 'UTC')::date AND captured_at <= $1
           ORDER BY captured_on DESC LIMIT 1)
         UNION
         (SELECT coalesce(first_captured_at, captured_at), coalesce(first_followers_count, followers_count)
            FROM follower_snapshots
           WHERE account_id = a.id AND captured_on >= ($1::timestamptz AT TIME ZONE 'UTC')::date
             AND coalesce(first_captured_at, captured_at) > $1 AND coalesce(first_captured_at, captured_at) <= $2
           ORDER BY captured_on LIMIT 1)
         UNION
         (SELECT captured_at, followers_count FROM follower_snapshots
           WHERE account_id = a.id AND captured_on <= ($2::timestamptz AT TIME ZONE 'UTC')::date AND captured_at <= $2
           ORDER BY captured_on DESC LIMIT 1)
       ) f
      WHERE a.status <> 'unlinked'`,
    [window.from.toISOString(), window.to.toISOString()],
  );
  return rows.map((r) => ({ ...r, captured_at: toDate(r.captured_at) }));
}

/**
 * Model dollars attributed to each live persona in the window: the only cost the product records
 * so far. One index range per persona, so old calls cost nothing.
 */
export async function sumSpendByPersona(q: Queryable, window: TimeWindow) {
  return q.query<{ persona_id: string; spend_usd: number }>(
    `SELECT p.id AS persona_id, s.spend_usd
       FROM personas p
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(c.cost_usd), 0)::float8 AS spend_usd FROM llm_calls c
          WHERE c.persona_id = p.id AND c.created_at > $1 AND c.created_at <= $2) s
      WHERE p.deleted_at IS NULL`,
    [window.from.toISOString(), window.to.toISOString()],
  );
}

/** Viral posts per persona, deleted personas included (their posts stay in the overall count). */
export async function countViralByPersona(q: Queryable, until: Date) {
  return q.query<{ persona_id: string; viral: number }>(
    'SELECT persona_id, count(*)::int AS viral FROM viral_crossings WHERE crossed_at <= $1 GROUP BY persona_id',
    [until.toISOString()],
  );
}

export async function listLivePersonas(q: Queryable): Promise<{ id: string; slug: string }[]> {
  return q.query('SELECT id, slug FROM personas WHERE deleted_at IS NULL ORDER BY slug');
}
