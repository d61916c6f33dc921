import { z } from 'zod';
import type { ReportCosts } from '../../../kpis/index.ts';
import type { Metrics } from '../../../platform/observability/index.ts';
import type { Queue } from '../../../platform/queue/index.ts';
import type { HttpServer } from '../http-server.ts';

const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;
// Streams stay open for minutes and the scrape and dashboard files say nothing about API latency.
const NOT_API_LATENCY = new Set(['/v1/tasks/:id/events', '/metrics', '/*']);

const summarySchema = z.object({
  as_of: z.string(),
  queues: z.array(
    z.object({
      queue: z.string(),
      waiting: z.number(),
      active: z.number(),
      failed: z.number(),
      dead_letter: z.number(),
    }),
  ),
  breakers: z
    .array(z.object({ dependency: z.string(), state: z.enum(BREAKER_STATES) }))
    .describe(
      "the circuit breakers of this process (the model provider's, the Threads API's): empty when the workers run apart",
    ),
  spend_today: z.object({
    usd: z.number(),
    budget_usd: z.number().nullable().describe('LLM_DAILY_BUDGET_USD; null when unset'),
  }),
  http: z.object({
    p95_seconds: z
      .number()
      .nullable()
      .describe("from this process's latency histogram since it started; null before any request"),
    requests: z.number(),
  }),
});

/** The 95th percentile of a Prometheus histogram, interpolated within its bucket as histogram_quantile does. */
export function histogramP95(buckets: { le: number; count: number }[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = 0.95 * total;
  let lower = { le: 0, count: 0 };
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return lower.le;
      const inBucket = bucket.count - lower.count;
      return lower.le + ((bucket.le - lower.le) * (rank - lower.count)) / (inBucket || 1);
    }
    lower = bucket;
  }
  return lower.le;
}

async function apiLatencyBuckets(metrics: Metrics) {
  const { values } = await metrics.httpRequestDuration.get();
  const byLe = new Map<number, number>();
  for (const v of values) {
    if (v.metricName !== 'http_request_duration_seconds_bucket' || NOT_API_LATENCY.has(String(v.labels.route)))
      continue;
    const bound = (v.labels as { le?: string | number }).le;
    const le = bound === '+Inf' ? Infinity : Number(bound);
    byLe.set(le, (byLe.get(le) ?? 0) + v.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count }));
}

export function registerOpsSummaryRoutes(
  app: HttpServer,
  deps: { queue: Queue; metrics: Metrics; reportCosts: ReportCosts; now: () => Date; globalDailyBudgetUsd?: number },
) {
  app.get('/v1/ops/summary', {
    schema: {
      tags: ['operations'],
      summary:
        'Technical health at a glance: queue depth and dead letters, breaker state, model spend today, API p95 latency',
      description: "The dashboard's health panel; the same facts as /metrics, as JSON for one screen.",
      response: { 200: summarySchema },
    },
    handler: async () => {
      const now = deps.now();
      const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const [counts, costs, buckets, breakers] = await Promise.all([
        deps.queue.countJobs(),
        deps.reportCosts({ from: startOfDay.toISOString(), to: now.toISOString(), group_by: 'model' }),
        apiLatencyBuckets(deps.metrics),
        deps.metrics.circuitBreakerState.get(),
      ]);
      const queues = new Map<
        string,
        { queue: string; waiting: number; active: number; failed: number; dead_letter: number }
      >();
      for (const { queue, state, count } of counts) {
        const row = queues.get(queue) ?? { queue, waiting: 0, active: 0, failed: 0, dead_letter: 0 };
        if (state === 'created' || state === 'retry') row.waiting += count;
        else row[state] += count;
        queues.set(queue, row);
      }
      return {
        as_of: now.toISOString(),
        queues: [...queues.values()],
        breakers: breakers.values.map((v) => ({
          dependency: String(v.labels.dependency),
          state: BREAKER_STATES[v.value] ?? 'open',
        })),
        spend_today: { usd: costs.total.cost_usd, budget_usd: deps.globalDailyBudgetUsd ?? null },
        http: { p95_seconds: histogramP95(buckets), requests: buckets.find((b) => b.le === Infinity)?.count ?? 0 },
      };
    },
  });
}
