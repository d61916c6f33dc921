const MINUTE_MS = 60_000;

/**
 * How long to wait before each new try of threads_publish while the container is still processing
 * (code 24 / 4279009): about half a minute in all, after which the job's own retry takes over.
 */
export const NOT_READY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000] as const;

/** A post pushed back for the publishing quota waits this long: Meta does not say when the rolling window frees a slot. */
export const QUOTA_RETRY_MS = 60 * MINUTE_MS;
/** A throttled call (codes 4, 17, …) waits this long before the post is tried again. */
export const THROTTLE_RETRY_MS = 15 * MINUTE_MS;
/**
 * After the job's last retry fails, the post goes back to the schedule this much later instead of being lost;
 * a longer outage opens the Threads breaker, and posts then wait for its next trial instead.
 */
export const GIVE_UP_RETRY_MS = 5 * MINUTE_MS;
/**
 * A `publishing` claim older than this belongs to a run that died: publishing takes at most a minute or
 * two (bounded waits, 15 s call timeouts), so the scheduler frees the post for another run.
 */
export const ABANDONED_CLAIM_MS = 15 * MINUTE_MS;

export const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
