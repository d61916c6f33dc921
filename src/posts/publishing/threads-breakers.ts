import { type BreakerGauge, type CircuitBreaker, createCircuitBreaker } from '../../platform/circuit-breaker.ts';
import { ThreadsApiError } from '../../platform/threads/index.ts';

/** What says Threads itself is unwell (5xx, timeouts, connection errors), not what says our request was wrong. */
const isOutage = (error: unknown) => error instanceof ThreadsApiError && error.kind === 'transient';

/**
 * Breakers on the Threads API: one overall (its state is circuit_breaker_state{dependency="threads:<host>"})
 * and one per account, so one account's failing calls stop that account's posts without holding the
 * rest. The per-account breakers have no gauge: account ids would be unbounded metric labels.
 */
export function createThreadsBreakers(options: {
  host: string;
  failures: number;
  halfOpenMs: number;
  gauge: BreakerGauge;
}) {
  const { failures, halfOpenMs } = options;
  const overall = createCircuitBreaker({
    dependency: `threads:${options.host}`,
    failures,
    halfOpenMs,
    isFailure: isOutage,
    gauge: options.gauge,
  });
  const accounts = new Map<string, CircuitBreaker>();
  const forAccount = (accountId: string) => {
    let breaker = accounts.get(accountId);
    if (!breaker) {
      breaker = createCircuitBreaker({
        dependency: `Threads account ${accountId}`,
        failures,
        halfOpenMs,
        isFailure: isOutage,
      });
      accounts.set(accountId, breaker);
    }
    return breaker;
  };
  return {
    overall,
    /** A call made for this account: refused at once (CircuitOpenError) while Threads, or this account, keeps failing. */
    call: <T>(accountId: string, fn: () => Promise<T>): Promise<T> =>
      overall.execute(() => forAccount(accountId).execute(fn)),
  };
}

export type ThreadsBreakers = ReturnType<typeof createThreadsBreakers>;
