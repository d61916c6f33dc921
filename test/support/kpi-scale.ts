import type { Queryable } from '../../src/platform/db/database.ts';

export const PERSONAS = 170;
export const POSTS = 30;
export const SNAPSHOTS = 10;
/**
 * 170 personas × 30 posts (one a day) × 10 snapshots, half a year of daily follower counts, 200 model
 * calls per persona over 50 days, and 500 subscriptions with a year of monthly renewals.
 */
export async function seedScale(db: Queryable) {
  await db.query(
    `INSERT INTO personas (slug, name, niche, audience, voice, tone, topics, hook_patterns)
     SELECT 'scale-' || g, 'Scale ' || g, 'n', 'a', 'v', 't', '["x"]', '["question"]' FROM generate_series(1, $1) g`,
    [PERSONAS],
  );
  await db.query(
    `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
     SELECT p.id, 'published', 'question', 'h', 'b', 'h b', now() - (g - 0.5) * interval '1 day', p.id || '-' || g
       FROM personas p CROSS JOIN generate_series(1, $1) g`,
    [POSTS],
  );
  await db.query(
    `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
     SELECT po.id, po.published_at + s * interval '1 hour', s * 100, s * 5 + (s * 7) % 11, s, s % 3, 0, s % 2
       FROM posts po CROSS JOIN generate_series(1, $1) s`,
    [SNAPSHOTS],
  );
  await db.query(
    `INSERT INTO threads_accounts (persona_id, threads_user_id, access_token_encrypted) SELECT id, id::text, 'x' FROM personas`,
  );
  await db.query(
    `INSERT INTO follower_snapshots (account_id, persona_id, captured_on, captured_at, followers_count,
                                     first_captured_at, first_followers_count)
     SELECT a.id, a.persona_id, ((now() - d * interval '1 day') AT TIME ZONE 'UTC')::date, now() - d * interval '1 day', 9000 - d * 10,
            now() - d * interval '1 day', 9000 - d * 10
       FROM threads_accounts a CROSS JOIN generate_series(0, 179) d`,
  );
  await db.query(
    `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
     SELECT 'x', 'm', 'hook', p.id, 0.001, 1, 'ok', now() - g * interval '6 hours' FROM personas p CROSS JOIN generate_series(1, 200) g`,
  );
  await db.query(
    `INSERT INTO revenue_events (external_id, stream, type, amount, currency, recurring, subscription_id, billing_period, occurred_at)
     SELECT 'renewal-' || s || '-' || m, 'subscription', 'payment', 9.99, 'USD', true, 'sub-' || s, 'month', now() - m * interval '30 days'
       FROM generate_series(1, 500) s CROSS JOIN generate_series(0, 11) m`,
  );
}
