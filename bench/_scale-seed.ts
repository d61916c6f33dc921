// Bulk seeding for bench/at-scale.ts: each table is filled by one INSERT … SELECT over generate_series,
// so a million posts take a minute on PostgreSQL, not the hours a row-by-row seed would.
import type { Queryable } from '../src/platform/db/database.ts';
import { LOCAL_EMBEDDING_MODEL } from '../src/platform/embeddings/local-embedder.ts';

export interface ScaleSizes {
  personas: number;
  posts: number;
  embeddings: number;
  llmCalls: number;
  snapshots: number;
}

/** The sizes times `factor` (1 = 1M posts, 200k embeddings, 2M model calls, 400k snapshots). */
export function scaleSizes(factor: number): ScaleSizes {
  return {
    personas: 500,
    posts: Math.round(1_000_000 * factor),
    embeddings: Math.round(200_000 * factor),
    llmCalls: Math.round(2_000_000 * factor),
    snapshots: Math.round(400_000 * factor),
  };
}

export const VECTOR_DIMS = 100;
export const SNAPSHOTS_PER_POST = 10;
const POST_DAYS = 365;
const CALL_DAYS = 180;

const PERSONA_IDS = '(SELECT array_agg(id ORDER BY slug) FROM personas)';

async function timed(label: string, work: () => Promise<unknown>, log: (line: string) => void) {
  const started = Date.now();
  await work();
  log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Posts spread over a year (newest first by g), one in five not published (drafts, rejections,
 * approved, scheduled, failed); vectors for the newest posts; model calls over half a year;
 * ten insight snapshots each for the newest published posts; a follower count a day per account.
 */
export async function seedAtScale(db: Queryable, sizes: ScaleSizes, log: (line: string) => void): Promise<void> {
  await timed(
    `${sizes.personas} personas`,
    () =>
      db.query(
        `INSERT INTO personas (slug, name, niche, audience, voice, tone, topics, hook_patterns)
         SELECT 'scale-' || lpad(g::text, 5, '0'), 'Scale ' || g, 'n', 'a', 'v', 't', '["x"]', '["question"]'
           FROM generate_series(1, $1) g`,
        [sizes.personas],
      ),
    log,
  );
  await timed(
    `${sizes.posts} posts`,
    () =>
      db.query(
        `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, quality_score, rejection_reason,
                            approved_at, scheduled_at, published_at, threads_media_id, insights_stopped_at,
                            insights_stop_reason, created_at, updated_at)
         SELECT ids[1 + g % $2], s.status, 'question', 'hook ' || g, 'body', 'hook ' || g || ' body', 0.7,
                CASE WHEN s.status = 'rejected' THEN 'rejected_quality' END,
                CASE WHEN s.status IN ('approved', 'scheduled', 'published', 'failed') THEN t.at END,
                CASE WHEN s.status = 'scheduled' THEN now() + interval '1 day' END,
                CASE WHEN s.status = 'published' THEN t.at + interval '1 minute' END,
                CASE WHEN s.status = 'published' THEN 'scale-media-' || g END,
                CASE WHEN s.status = 'published' AND t.at < now() - interval '30 days' THEN t.at + interval '30 days' END,
                CASE WHEN s.status = 'published' AND t.at < now() - interval '30 days' THEN 'complete' END,
                t.at, t.at
           FROM ${PERSONA_IDS} AS p(ids), generate_series(1, $1) g
           CROSS JOIN LATERAL (SELECT now() - interval '2 minutes' - (g::float8 / $1) * interval '${POST_DAYS} days' AS at) t
           CROSS JOIN LATERAL (SELECT CASE
                WHEN g % 100 < 80 THEN 'published' WHEN g % 100 < 90 THEN 'rejected' WHEN g % 100 < 96 THEN 'draft'
                WHEN g % 100 < 98 THEN 'approved' WHEN g % 100 < 99 THEN 'scheduled' ELSE 'failed' END AS status) s`,
        [sizes.posts, sizes.personas],
      ),
    log,
  );
  await timed(
    `${sizes.embeddings} embeddings of ${VECTOR_DIMS} dimensions`,
    () =>
      db.query(
        `INSERT INTO post_embeddings (post_id, persona_id, model, embedding, created_at)
         SELECT id, persona_id, $2,
                array(SELECT (random() * 2 - 1)::real FROM generate_series(1, $3) d WHERE d > 0 * length(id::text)),
                created_at
           FROM (SELECT id, persona_id, created_at FROM posts ORDER BY created_at DESC LIMIT $1) latest`,
        [sizes.embeddings, LOCAL_EMBEDDING_MODEL, VECTOR_DIMS],
      ),
    log,
  );
  await timed(
    `${sizes.llmCalls} model calls`,
    () =>
      db.query(
        `INSERT INTO llm_calls (provider, model, service, persona_id, prompt_tokens, completion_tokens, cost_usd,
                                latency_ms, outcome, created_at)
         SELECT 'openai', CASE WHEN g % 2 = 0 THEN 'gpt-4o' ELSE 'gpt-4o-mini' END,
                CASE WHEN g % 2 = 0 THEN 'hook' ELSE 'body' END, ids[1 + g % $2], 300, 80,
                0.0001 + (g % 10) * 0.0001, 400, 'ok', now() - (g::float8 / $1) * interval '${CALL_DAYS} days'
           FROM ${PERSONA_IDS} AS p(ids), generate_series(1, $1) g`,
        [sizes.llmCalls, sizes.personas],
      ),
    log,
  );
  await timed(
    `${sizes.snapshots} insight snapshots`,
    () =>
      db.query(
        `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
         SELECT po.id, least(po.published_at + s * interval '1 hour', now()), s * 100 + length(po.hook) % 50,
                s * 5 + (s * 7) % 11, s, s % 3, 0, s % 2
           FROM (SELECT id, published_at, hook FROM posts WHERE status = 'published'
                  ORDER BY published_at DESC LIMIT $1) po
           CROSS JOIN generate_series(1, $2) s
         ON CONFLICT DO NOTHING`,
        [Math.ceil(sizes.snapshots / SNAPSHOTS_PER_POST), SNAPSHOTS_PER_POST],
      ),
    log,
  );
  await timed(
    'accounts and 180 days of follower counts',
    async () => {
      await db.query(
        `INSERT INTO threads_accounts (persona_id, threads_user_id, access_token_encrypted)
         SELECT id, id::text, 'x' FROM personas`,
      );
      await db.query(
        `INSERT INTO follower_snapshots (account_id, persona_id, captured_on, captured_at, followers_count,
                                         first_captured_at, first_followers_count)
         SELECT a.id, a.persona_id, ((now() - d * interval '1 day') AT TIME ZONE 'UTC')::date,
                now() - d * interval '1 day', 9000 - d * 10, now() - d * interval '1 day', 9000 - d * 10
           FROM threads_accounts a CROSS JOIN generate_series(0, 179) d`,
      );
    },
    log,
  );
  await timed(
    'revenue events',
    () =>
      db.query(
        `INSERT INTO revenue_events (external_id, stream, type, amount, currency, recurring, subscription_id,
                                     billing_period, occurred_at)
         SELECT 'renewal-' || s || '-' || m, 'subscription', 'payment', 9.99, 'USD', true, 'sub-' || s, 'month',
                now() - m * interval '30 days'
           FROM generate_series(1, 500) s CROSS JOIN generate_series(0, 11) m`,
      ),
    log,
  );
  // What autovacuum does to a table that grew: the visibility map lets index-only scans skip the heap.
  await timed('VACUUM ANALYZE', () => db.exec('VACUUM ANALYZE'), log);
}
