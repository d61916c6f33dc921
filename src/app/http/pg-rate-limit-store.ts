import type { Queryable } from '../../platform/db/index.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A process takes at most this share (1/n) of what is left of a key's window in one round trip. */
const LEASE_DIVISOR = 10;
/** Keys remembered before ended windows are swept (per-IP keys are unbounded in number). */
const KEYS_MAX = 10_000;

/**
 * The counts this process may hand out for a key: `next`…`last` of the shared counter, until the
 * window ends (`endsAt`, local ms). `waiting`: requests queued behind a lease being taken.
 */
interface Lease {
  next: number;
  last: number;
  endsAt: number;
  waiting: Callback[] | null;
}

const TAKE_LEASE = `
  INSERT INTO rate_limit_hits AS r (key, hits, granted, window_ends_at)
  VALUES ($1, GREATEST(1, $3::int / $4::int), GREATEST(1, $3::int / $4::int),
          clock_timestamp() + $2::int * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN r.window_ends_at <= clock_timestamp() THEN EXCLUDED.hits
                ELSE r.hits + GREATEST(1, ($3::int - r.hits) / $4::int) END,
    granted = CASE WHEN r.window_ends_at <= clock_timestamp() THEN EXCLUDED.granted
                   ELSE GREATEST(1, ($3::int - r.hits) / $4::int) END,
    window_ends_at = CASE WHEN r.window_ends_at <= clock_timestamp() THEN EXCLUDED.window_ends_at
                          ELSE r.window_ends_at END
  RETURNING hits, granted, (extract(epoch FROM window_ends_at - clock_timestamp()) * 1000)::int AS ttl_ms`;

/**
 * A fixed-window counter per key in PostgreSQL, in the shape @fastify/rate-limit's `store` option
 * takes, so every API replica counts against the same limit. Instead of one upsert per request, a
 * process takes a lease of a tenth of what is left of the window (at least one count) and hands it
 * out locally; near the limit leases shrink to one, so the last counts are taken one round trip at
 * a time. Every count handed out was added to the shared counter first, so replicas together never
 * admit more than the limit; what they give up is a lease a replica took and did not use (at most a
 * tenth of what was left, per replica), which the others cannot spend. Once the counter is past the
 * limit, the process refuses the key locally until the window ends.
 */
export function pgRateLimitStore(db: Queryable) {
  const leases = new Map<string, Lease>();

  function sweep(at: number) {
    for (const [key, lease] of leases) if (lease.endsAt <= at && !lease.waiting) leases.delete(key);
  }

  /** Answers from the lease when it can: a count left, or the window already past its limit. */
  function answer(lease: Lease, callback: Callback, max: number): boolean {
    const ttl = lease.endsAt - Date.now();
    if (ttl <= 0) return false;
    if (lease.next <= lease.last) callback(null, { current: lease.next++, ttl });
    else if (lease.last > max) callback(null, { current: lease.last, ttl });
    else return false;
    return true;
  }

  function incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    let lease = leases.get(key);
    if (lease?.waiting) {
      lease.waiting.push(callback);
      return;
    }
    if (lease && answer(lease, callback, max)) return;
    if (!lease) {
      if (leases.size >= KEYS_MAX) sweep(Date.now());
      lease = { next: 1, last: 0, endsAt: 0, waiting: null };
      leases.set(key, lease);
    }
    const taking = lease;
    taking.waiting = [callback];
    db.query<{ hits: number; granted: number; ttl_ms: number }>(TAKE_LEASE, [key, timeWindow, max, LEASE_DIVISOR], {
      prepared: true,
    }).then(
      ([row]) => {
        taking.next = row!.hits - row!.granted + 1;
        taking.last = row!.hits;
        taking.endsAt = Date.now() + Math.max(0, row!.ttl_ms);
        const waiting = taking.waiting!;
        taking.waiting = null;
        // Those the lease does not cover take the next one (the first of them asks, the rest queue).
        for (const queued of waiting) if (!answer(taking, queued, max)) incr(key, queued, timeWindow, max);
      },
      (error: Error) => {
        const waiting = taking.waiting!;
        taking.waiting = null;
        for (const queued of waiting) queued(error);
      },
    );
  }

  return class PgRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      incr(key, callback, timeWindow, max);
    }

    child(): PgRateLimitStore {
      return new PgRateLimitStore();
    }
  };
}
