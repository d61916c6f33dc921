import { APIConnectionError, APIError } from 'openai';
import { DelegateBackoff, handleWhen, retry, type IRetryBackoffContext } from 'cockatiel';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** The longest Retry-After a call waits out; a provider asking for more fails the call, and the queue retries the task later. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The wait the provider asked for (Retry-After-Ms, or Retry-After in seconds or as an HTTP date), if it did. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number(error.headers.get('retry-after-ms') || Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = error.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Failures that say the provider is unwell (not that our request was wrong): what the circuit breaker counts. */
export function isProviderFailure(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError)) return false;
  const status = error.status ?? 0;
  return status === 408 || status === 429 || status >= 500;
}

/** What a second try can fix: a provider failure or a 409 (lock timeout), unless the provider's x-should-retry says otherwise. */
export function isTransient(error: unknown): boolean {
  const hint = error instanceof APIError ? error.headers?.get('x-should-retry') : undefined;
  if (hint === 'true' || hint === 'false') return hint === 'true';
  return isProviderFailure(error) || (error instanceof APIError && error.status === 409);
}

/** Exponential from 0.5 s, capped at 8 s, less up to a quarter at random so clients that failed together spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS) * (1 - random() * 0.25);
}

/**
 * Retries a provider call on transient failures, waiting what the provider asked for when it
 * said (Retry-After), else an exponential backoff with jitter. The SDK's own retries would also
 * honour Retry-After, but without any bound (openai 6.x `retryRequest`), so a provider asking
 * for an hour would hold a worker for an hour.
 */
export function createProviderRetry(options: {
  maxRetries: number;
  onRetry?: (event: { attempt: number; delayMs: number; error: unknown }) => void;
}) {
  const policy = retry(
    handleWhen((error) => isTransient(error) && (retryAfterMs(error) ?? 0) <= MAX_RETRY_AFTER_MS),
    {
      maxAttempts: options.maxRetries,
      backoff: new DelegateBackoff(
        (context: IRetryBackoffContext<unknown>) =>
          ('error' in context.result ? retryAfterMs(context.result.error) : undefined) ?? backoffMs(context.attempt),
      ),
    },
  );
  if (options.onRetry) {
    const report = options.onRetry;
    policy.onRetry((event) =>
      report({ attempt: event.attempt, delayMs: event.delay, error: 'error' in event ? event.error : undefined }),
    );
  }
  return { execute: <T>(fn: () => Promise<T>): Promise<T> => policy.execute(fn) };
}
