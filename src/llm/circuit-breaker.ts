import { APIConnectionError, APIError } from 'openai';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { Metrics } from '../metrics/metrics.ts';

/** metrics.md: 0 closed, 1 half-open, 2 open. */
const GAUGE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

/** Failures that say the provider is unwell (not that our request was wrong). */
export function isProviderFailure(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) return error.status === 429 || (error.status ?? 0) >= 500;
  return false;
}

export class ProviderUnavailableError extends Error {
  constructor(dependency: string, halfOpenSeconds: number) {
    super(`${dependency} is failing: circuit breaker open, no call made; it is tried again within ${halfOpenSeconds} s`);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * One breaker per provider, around a whole call (the SDK's retries included), so a burst of
 * retries counts as one failure and an open breaker fails fast instead of waiting on timeouts.
 */
export function createProviderBreaker(options: {
  dependency: string;
  failures: number;
  halfOpenSeconds: number;
  metrics: Metrics;
}) {
  const policy = circuitBreaker(handleWhen(isProviderFailure), {
    halfOpenAfter: options.halfOpenSeconds * 1000,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  const gauge = options.metrics.circuitBreakerState;
  gauge.set({ dependency: options.dependency }, 0);
  policy.onStateChange((state) => gauge.set({ dependency: options.dependency }, GAUGE_VALUE[state]));

  return {
    async execute<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await policy.execute(fn);
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new ProviderUnavailableError(options.dependency, options.halfOpenSeconds);
        }
        throw error;
      }
    },
    get state(): number {
      return GAUGE_VALUE[policy.state];
    },
  };
}

export type ProviderBreaker = ReturnType<typeof createProviderBreaker>;
