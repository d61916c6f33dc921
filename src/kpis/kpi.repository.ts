import type { Queryable } from '../db/database.ts';
import { VIRAL_MIN_VIEWS, VIRAL_RATE, type RevenueEventRow } from './kpi-formulas.ts';

export interface Window {
  from: Date;
  to: Date;
}

/** Views and interactions of posts published in the window, each from its latest snapshot up to `to`. */
export async function sumEngagementByPersona(q: Queryable, window: Window) {
  return q.query<{ persona_id: string; posts: number; views: number; interactions: number }>(
    `WITH latest AS (
       SELECT DISTINCT ON (s.post_id) s.post_id, s.views, s.likes + s.replies + s.reposts + s.quotes + s.shares AS interactions
         FROM post_insight_snapshots s WHERE s.captured_at <= $2
        ORDER BY s.post_id, s.captured_at DESC)
     SELECT p.persona_id, count(*)::int AS posts, sum(l.views)::float8 AS views, sum(l.interactions)::float8 AS interactions
       FROM posts p JOIN latest l ON l.post_id = p.id
      WHERE p.status = 'published' AND p.published_at > $1 AND p.published_at <= $2
      GROUP BY p.persona_id`,
    [window.from.toISOString(), window.to.toISOString()],
  );
}

/**
 * Follower counts per persona at the window's end, and at its start: the last capture before
 * the window, or (for an account linked during it) its first capture inside it.
 */
export async function followersByPersona(q: Queryable, window: Window) {
  return q.query<{ persona_id: string; start_count: number | null; end_count: number | null }>(
    `SELECT a.persona_id,
       (SELECT f.followers_count FROM follower_snapshots f
         WHERE f.account_id = a.id AND f.captured_at <= $2 ORDER BY f.captured_at DESC LIMIT 1) AS end_count,
       coalesce(
         (SELECT f.followers_count FROM follower_snapshots f
           WHERE f.account_id = a.id AND f.captured_at <= $1 ORDER BY f.captured_at DESC LIMIT 1),
         (SELECT f.followers_count FROM follower_snapshots f
           WHERE f.account_id = a.id AND f.captured_at > $1 AND f.captured_at <= $2 ORDER BY f.captured_at LIMIT 1)
       ) AS start_count
     FROM threads_accounts a`,
    [window.from.toISOString(), window.to.toISOString()],
  );
}

/** Model spend attributed to each persona in the window (the only recorded cost so far). */
export async function spendByPersona(q: Queryable, window: Window) {
  return q.query<{ persona_id: string; spend_usd: number }>(
    `SELECT persona_id, sum(cost_usd)::float8 AS spend_usd FROM llm_calls
      WHERE persona_id IS NOT NULL AND created_at > $1 AND created_at <= $2 GROUP BY persona_id`,
    [window.from.toISOString(), window.to.toISOString()],
  );
}

/** Records posts whose insights first showed them viral; a post is recorded once, at its first crossing. */
export async function recordViralCrossings(q: Queryable): Promise<void> {
  await q.query(
    `INSERT INTO viral_crossings (post_id, persona_id, crossed_at)
     SELECT s.post_id, p.persona_id, min(s.captured_at)
       FROM post_insight_snapshots s JOIN posts p ON p.id = s.post_id
      WHERE s.views >= $1 AND (s.likes + s.replies + s.reposts + s.quotes + s.shares)::float8 / s.views >= $2
      GROUP BY s.post_id, p.persona_id
     ON CONFLICT (post_id) DO NOTHING`,
    [VIRAL_MIN_VIEWS, VIRAL_RATE],
  );
}

export async function countViralByPersona(q: Queryable, until: Date) {
  return q.query<{ persona_id: string; viral: number }>(
    'SELECT persona_id, count(*)::int AS viral FROM viral_crossings WHERE crossed_at <= $1 GROUP BY persona_id',
    [until.toISOString()],
  );
}

export async function listRevenueEvents(q: Queryable, personaId?: string): Promise<RevenueEventRow[]> {
  const rows = await q.query<Omit<RevenueEventRow, 'occurred_at'> & { occurred_at: Date | string }>(
    `SELECT stream, type, amount::float8 AS amount, recurring, subscription_id, billing_period, occurred_at
       FROM revenue_events WHERE $1::uuid IS NULL OR persona_id = $1`,
    [personaId ?? null],
  );
  return rows.map((r) => ({ ...r, occurred_at: new Date(r.occurred_at) }));
}

export async function listLivePersonaSlugs(q: Queryable): Promise<{ id: string; slug: string }[]> {
  return q.query('SELECT id, slug FROM personas WHERE deleted_at IS NULL');
}
