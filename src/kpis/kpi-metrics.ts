import type { Queryable } from '../platform/db/index.ts';
import type { Metrics } from '../platform/observability/index.ts';
import { computeKpiGauges, readKpiRollup } from './kpi-rollup.ts';

/**
 * Sets the business metrics from the database at scrape time, so every replica reports the same
 * numbers and a restart loses nothing: from the roll-up the worker's `refresh-kpis` job stores each
 * minute (one row), or, when there is no recent one, computed from the tables (a few indexed
 * queries). Label sets are rebuilt each time: an undefined KPI (no views, no new followers) and a
 * deleted persona are absent, not 0.
 */
export async function refreshKpiMetrics(deps: { db: Queryable; metrics: Metrics; now: () => Date }): Promise<void> {
  const now = deps.now();
  const gauges = (await readKpiRollup(deps.db, now)) ?? (await computeKpiGauges(deps.db, now));
  const { postsEngagementRate, costPerFollow, followersTotal, viralPosts, revenueProjectionMonthly } = deps.metrics;
  // Nothing is awaited from here on, so a concurrent scrape never sees a half-rebuilt set.
  for (const metric of [postsEngagementRate, costPerFollow, followersTotal, viralPosts]) metric.reset();
  for (const k of gauges.personas) {
    const labels = { persona: k.persona };
    if (k.engagement_rate !== undefined) postsEngagementRate.set(labels, k.engagement_rate);
    if (k.cost_per_follow !== undefined) costPerFollow.set(labels, k.cost_per_follow);
    if (k.followers_total !== null) followersTotal.set(labels, k.followers_total);
    // A prom-client counter cannot be set: reset then add the count kept in viral_crossings, which
    // only grows, so the exposed counter never goes back across restarts or replicas.
    viralPosts.inc(labels, k.viral_posts);
  }
  for (const [stream, value] of Object.entries(gauges.revenue)) revenueProjectionMonthly.set({ stream }, value);
}
