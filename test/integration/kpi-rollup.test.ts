import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/platform/db/migrate.ts';
import { refreshKpiMetrics } from '../../src/kpis/kpi-metrics.ts';
import { KPI_ROLLUP_MAX_AGE_MS, KPI_ROLLUP_REFRESH_AFTER_MS, refreshKpiRollup } from '../../src/kpis/kpi-rollup.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { seedScale } from '../support/kpi-scale.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

const kpiLines = (text: string) =>
  text
    .split('\n')
    .filter((l) =>
      /^(posts_engagement_rate|cost_per_follow_dollars|followers_total|viral_posts_total|revenue_projection_monthly)\{/.test(
        l,
      ),
    )
    .sort();

describe.each(DATABASE_KINDS)('the KPI roll-up on %s', (kind) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await migrate(testDb.db);
    await seedScale(testDb.db);
  });
  afterAll(() => testDb?.drop());

  async function scrape(now: Date) {
    const metrics = createMetrics();
    let requested = 0;
    await refreshKpiMetrics({
      db: testDb.db,
      metrics,
      now: () => now,
      requestRefresh: async () => {
        requested += 1;
      },
    });
    return { lines: kpiLines(await metrics.registry.metrics()), requested };
  }

  it('serves the gauges the job stored, asks for a fresh roll-up once it is 10 s old, and computes them itself (asking for one) with none younger than 3 minutes', async () => {
    const now = new Date();
    const live = await scrape(now);
    expect(live.lines.length).toBeGreaterThan(170 * 3);
    // No roll-up yet: nothing on a clock makes one, the scrape asks.
    expect(live.requested).toBe(1);

    await refreshKpiRollup(testDb.db, now);
    // A new subscription after the roll-up: the stored gauges do not show it until the next refresh.
    await testDb.db.query(
      `INSERT INTO revenue_events (external_id, stream, type, amount, currency, recurring, subscription_id, billing_period, occurred_at)
       VALUES ('rollup-test', 'subscription', 'payment', 100, 'USD', true, 'sub-rollup-test', 'month', $1)`,
      [new Date(now.getTime() - 1000).toISOString()],
    );
    const fromRollup = await scrape(now);
    expect(fromRollup.lines).toEqual(live.lines);
    expect(fromRollup.requested).toBe(0);

    const later = await scrape(new Date(now.getTime() + KPI_ROLLUP_REFRESH_AFTER_MS + 1000));
    expect(later.lines).toEqual(live.lines);
    expect(later.requested).toBe(1);

    const stale = await scrape(new Date(now.getTime() + KPI_ROLLUP_MAX_AGE_MS + 1000));
    expect(stale.lines).toContain('revenue_projection_monthly{stream="subscriptions"} 5095');
    expect(stale.requested).toBe(1);

    await refreshKpiRollup(testDb.db, new Date(now.getTime() + 2000));
    expect((await scrape(new Date(now.getTime() + 2000))).lines).toContain(
      'revenue_projection_monthly{stream="subscriptions"} 5095',
    );
  });
});
