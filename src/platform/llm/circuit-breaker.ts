import type { Metrics } from '../observability/index.ts';
import { CircuitOpenError, createCircuitBreaker } from '../circuit-breaker.ts';
import { isProviderFailure } from './provider-retry.ts';

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
  const breaker = createCircuitBreaker({
    dependency: `llm:${options.host}`,
    failures: options.failures,
    halfOpenMs: options.halfOpenSeconds * 1000,
    isFailure: isProviderFailure,
    gauge: options.metrics.circuitBreakerState,
  });
  return {
    dependency: breaker.dependency,
    async execute<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await breaker.execute(fn);
      } catch (error) {
        if (!(error instanceof CircuitOpenError)) throw error;
        const inSeconds = Math.ceil((error.retryAt.getTime() - Date.now()) / 1000);
        throw new ProviderUnavailableError(
          `LLM provider ${options.host} is failing; circuit open, retry after ${error.retryAt.toISOString()} (in ${inSeconds} s); no call was made`,
        );
      }
    },
  };
}

export type ProviderBreaker = ReturnType<typeof createProviderBreaker>;
