import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { Metrics } from '../observability/index.ts';
import { isProviderFailure } from './provider-retry.ts';

/** metrics.md: 0 closed, 1 half-open, 2 open. */
const GAUGE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

/** Not an Error the queue treats as permanent: the task goes back to the queue's retries and, at the end, its dead letters. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/**
 * One breaker per provider, around a whole call with its retries, so an exhausted call counts
 * as one failure and an open breaker fails at once instead of waiting on timeouts. Only failures
 * that say the provider is unwell count; a 400 says our request was wrong.
 */
export function createProviderBreaker(options: {
  /** host[:port] of the provider's base URL: the gauge's `llm:<host>` label and the error's subject. */
  host: string;
  failures: number;
  halfOpenSeconds: number;
  metrics: Pick<Metrics, 'circuitBreakerState'>;
}) {
  const halfOpenMs = options.halfOpenSeconds * 1000;
  const dependency = `llm:${options.host}`;
  const policy = circuitBreaker(handleWhen(isProviderFailure), {
    halfOpenAfter: halfOpenMs,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  const gauge = options.metrics.circuitBreakerState;
  gauge.set({ dependency }, 0);
  let openedAt = 0;
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) openedAt = Date.now();
    gauge.set({ dependency }, GAUGE_VALUE[state]);
  });

  function unavailable(): ProviderUnavailableError {
    const retryAt = new Date(Math.max(Date.now(), openedAt + halfOpenMs));
    const inSeconds = Math.ceil((retryAt.getTime() - Date.now()) / 1000);
    return new ProviderUnavailableError(
      `LLM provider ${options.host} is failing; circuit open, retry after ${retryAt.toISOString()} (in ${inSeconds} s); no call was made`,
    );
  }

  return {
    dependency,
    async execute<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await policy.execute(fn);
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw unavailable();
        throw error;
      }
    },
  };
}

export type ProviderBreaker = ReturnType<typeof createProviderBreaker>;
