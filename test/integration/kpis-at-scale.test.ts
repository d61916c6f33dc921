import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/platform/db/migrate.ts';
import { computeKpis } from '../../src/kpis/compute-kpis.ts';
import { refreshKpiMetrics } from '../../src/kpis/kpi-metrics.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { PERSONAS, POSTS, SNAPSHOTS, seedScale } from '../support/kpi-scale.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

// How long the refresh takes at this scale is measured by bench/kpi-refresh.ts.
describe.each(DATABASE_KINDS)('KPIs at scale on %s', (kind) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await migrate(testDb.db);
    await seedScale(testDb.db);
  });
  afterAll(() => testDb?.drop());

  it(`recomputes every gauge for ${PERSONAS} personas × ${POSTS} posts × ${SNAPSHOTS} snapshots`, async () => {
    const metrics = createMetrics();
    const now = new Date();
    await refreshKpiMetrics({ db: testDb.db, metrics, now: () => now });
    const report = await computeKpis(testDb.db, { now });
    expect(report.personas).toHaveLength(PERSONAS);
    // Posts went out 0.5, 1.5, … 6.5 days ago: seven of them in the 7-day window, each with all its snapshots.
    expect(report.personas[0]!.inputs.engagement).toMatchObject({ posts: 7, views: 7 * SNAPSHOTS * 100 });
    expect(report.overall.net_new_followers).toBe(PERSONAS * 300);
    const text = await metrics.registry.metrics();
    expect(text.match(/^posts_engagement_rate\{/gm)).toHaveLength(PERSONAS + 1);
    expect(text).toMatch(/^revenue_projection_monthly\{stream="subscriptions"\} 4995$/m);
  });
});
