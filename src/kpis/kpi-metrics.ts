import type { Queryable } from '../db/database.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { computeKpis } from './compute-kpis.ts';

/**
 * Sets the business gauges from the database at scrape time, so every replica reports the same
 * numbers and a restart loses nothing. Label sets are rebuilt each time: an undefined KPI
 * (no views, no new followers) is absent, not 0. viral_posts_total is a counter whose value is
 * the count kept in the database, so it never goes back after a restart.
 */
export async function refreshKpiMetrics(deps: { db: Queryable; metrics: Metrics }, now = new Date()): Promise<void> {
  const report = await computeKpis(deps.db, { now });
  const { postsEngagementRate, costPerFollow, followersTotal, viralPosts, revenueProjectionMonthly } = deps.metrics;
  for (const metric of [postsEngagementRate, costPerFollow, followersTotal, viralPosts]) metric.reset();
  for (const k of [report.overall, ...report.personas]) {
    const labels = { persona: k.persona };
    if (k.engagement.rate !== null) postsEngagementRate.set(labels, k.engagement.rate);
    if (k.cost_per_follow.dollars !== null) costPerFollow.set(labels, k.cost_per_follow.dollars);
    if (k.followers_total !== null) followersTotal.set(labels, k.followers_total);
    viralPosts.inc(labels, k.viral_posts_total);
  }
  for (const [stream, value] of Object.entries(report.revenue_projection_monthly)) {
    revenueProjectionMonthly.set({ stream }, value);
  }
}
