import type { Queryable } from '../../platform/db/index.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A fixed-window counter per key in PostgreSQL, in the shape @fastify/rate-limit's `store` option
 * takes, so every API replica counts against the same limit. One upsert per request.
 */
export function pgRateLimitStore(db: Queryable) {
  return class PgRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      db.query<{ hits: number; ttl_ms: number }>(
        `INSERT INTO rate_limit_hits AS r (key, hits, window_ends_at)
         VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.window_ends_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
           window_ends_at = CASE WHEN r.window_ends_at <= clock_timestamp() THEN EXCLUDED.window_ends_at
                                 ELSE r.window_ends_at END
         RETURNING hits, (extract(epoch FROM window_ends_at - clock_timestamp()) * 1000)::int AS ttl_ms`,
        [key, timeWindow],
      ).then(
        ([row]) => callback(null, { current: row!.hits, ttl: Math.max(0, row!.ttl_ms) }),
        (error: Error) => callback(error),
      );
    }

    child(): PgRateLimitStore {
      return new PgRateLimitStore();
    }
  };
}
