import type { Queryable } from '../platform/db/index.ts';
import { computeRevenueProjection, type RevenueProjection } from '../revenue/index.ts';
import { computeKpis } from './compute-kpis.ts';

/** What the business gauges show, per persona label ('all' first); an undefined KPI is left out. */
export interface KpiGauges {
  personas: {
    persona: string;
    engagement_rate?: number;
    cost_per_follow?: number;
    followers_total: number | null;
    viral_posts: number;
  }[];
  revenue: RevenueProjection;
}

/**
 * The worker's `refresh-kpis` job stores the gauges here when a scrape finds none younger than
 * KPI_ROLLUP_REFRESH_AFTER_MS, so a scrape reads one row instead of recomputing them from the
 * tables; a roll-up older than KPI_ROLLUP_MAX_AGE_MS is not trusted (no worker running, it is stuck,
 * or nobody scraped for a while) and the scrape computes the gauges itself.
 */
export const KPI_ROLLUP_MAX_AGE_MS = 3 * 60_000;
export const KPI_ROLLUP_REFRESH_AFTER_MS = 10_000;
const ROLLUP = 'gauges';

export async function computeKpiGauges(db: Queryable, now: Date): Promise<KpiGauges> {
  const [report, revenue] = await Promise.all([computeKpis(db, { now }), computeRevenueProjection(db, { now })]);
  return {
    personas: [report.overall, ...report.personas].map((k) => ({
      persona: k.persona,
      engagement_rate: k.engagement_rate,
      cost_per_follow: k.cost_per_follow,
      followers_total: k.followers_total,
      viral_posts: k.inputs.viral_posts,
    })),
    revenue: revenue.projection,
  };
}

/** The `refresh-kpis` job: computes the gauges and stores them unless a newer roll-up is already there. */
export async function refreshKpiRollup(db: Queryable, now = new Date()): Promise<void> {
  const gauges = await computeKpiGauges(db, now);
  await db.query(
    `INSERT INTO kpi_rollups (name, as_of, body) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET as_of = excluded.as_of, body = excluded.body
      WHERE kpi_rollups.as_of < excluded.as_of`,
    [ROLLUP, now.toISOString(), JSON.stringify(gauges)],
  );
}

/** The stored gauges if they were computed at most KPI_ROLLUP_MAX_AGE_MS before `now` (and not after it). */
export async function readKpiRollup(db: Queryable, now: Date): Promise<{ gauges: KpiGauges; ageMs: number } | null> {
  const [row] = await db.query<{ body: KpiGauges; as_of: Date | string }>(
    `SELECT body, as_of FROM kpi_rollups WHERE name = $1 AND as_of <= $2 AND as_of > $3`,
    [ROLLUP, now.toISOString(), new Date(now.getTime() - KPI_ROLLUP_MAX_AGE_MS).toISOString()],
  );
  return row ? { gauges: row.body, ageMs: now.getTime() - new Date(row.as_of).getTime() } : null;
}
