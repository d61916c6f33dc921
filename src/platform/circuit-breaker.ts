import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';

/** metrics.md: 0 closed, 1 half-open, 2 open. */
const GAUGE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

export interface BreakerGauge {
  set(labels: { dependency: string }, value: number): void;
}

/** A call refused at once because the dependency's circuit is open: `retryAt` is its next trial. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  constructor(
    readonly dependency: string,
    readonly retryAt: Date,
  ) {
    super(`${dependency} is failing; circuit open until ${retryAt.toISOString()}; no call was made`);
  }
}

/**
 * Opens after `failures` consecutive failures that `isFailure` counts (what says the dependency is
 * unwell, not a bad request), refuses calls while open, and lets one trial through after `halfOpenMs`.
 * With a gauge, its state is `circuit_breaker_state{dependency}`.
 */
export function createCircuitBreaker(options: {
  dependency: string;
  failures: number;
  halfOpenMs: number;
  isFailure: (error: unknown) => boolean;
  gauge?: BreakerGauge;
}) {
  const { dependency, halfOpenMs, gauge } = options;
  const policy = circuitBreaker(handleWhen(options.isFailure), {
    halfOpenAfter: halfOpenMs,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  gauge?.set({ dependency }, 0);
  let openedAt = 0;
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) openedAt = Date.now();
    gauge?.set({ dependency }, GAUGE_VALUE[state]);
  });
  const retryAt = () => new Date(Math.max(Date.now(), openedAt + halfOpenMs));

  return {
    dependency,
    isOpen: () => policy.state === CircuitState.Open,
    retryAt,
    async execute<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await policy.execute(fn);
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new CircuitOpenError(dependency, retryAt());
        throw error;
      }
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
