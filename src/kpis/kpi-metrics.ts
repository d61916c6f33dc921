import type { Queryable } from '../platform/db/index.ts';
import type { Metrics } from '../platform/observability/index.ts';
import { KPI_ROLLUP_REFRESH_AFTER_MS, computeKpiGauges, readKpiRollup } from './kpi-rollup.ts';

/**
 * Sets the business metrics from the database at scrape time, so every replica reports the same
 * numbers and a restart loses nothing: from the roll-up the worker's `refresh-kpis` job stores (one
 * row), or, when there is no recent one, computed from the tables (a few indexed queries). A scrape
 * that finds no roll-up younger than 10 s asks for a new one (`requestRefresh`): scrapes drive the
 * refreshes, so nothing is computed while nobody scrapes, and scraped gauges lag the tables by about
 * 10 s plus one scrape interval. Label sets are rebuilt each time: an undefined KPI (no views, no new followers) and a
 * deleted persona are absent, not 0.
 */
export async function refreshKpiMetrics(deps: {
  db: Queryable;
  metrics: Metrics;
  now: () => Date;
  requestRefresh?: () => Promise<unknown>;
}): Promise<void> {
  const now = deps.now();
  const rollup = await readKpiRollup(deps.db, now);
  if (!rollup || rollup.ageMs > KPI_ROLLUP_REFRESH_AFTER_MS) await deps.requestRefresh?.();
  const gauges = rollup?.gauges ?? (await computeKpiGauges(deps.db, now));
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
