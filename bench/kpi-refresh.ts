// What computing the business KPIs from the database costs (the refresh-kpis job, and a scrape that
// finds no recent roll-up), against the same on an empty database, measured in the same run.
// Run: npx tsx bench/kpi-refresh.ts [rounds]   (with DATABASE_URL set, also on that server)
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { refreshKpiMetrics } from '../src/kpis/kpi-metrics.ts';
import { createMetrics } from '../src/platform/observability/metrics.ts';
import { PERSONAS, POSTS, SNAPSHOTS, seedScale } from '../test/support/kpi-scale.ts';
import { DATABASE_KINDS, createTestDatabase } from '../test/support/test-database.ts';
import { median, numberArg, percentile, reportBench, type BenchRow } from './bench-result.ts';

const ROUNDS = numberArg(21);
const p95 = (xs: number[]) => percentile(xs, 0.95);

async function once(db: Database, metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const started = performance.now();
  await refreshKpiMetrics({ db, metrics, now: () => new Date() });
  return performance.now() - started;
}

console.log(
  `KPI refresh: ${PERSONAS} personas × ${POSTS} posts × ${SNAPSHOTS} snapshots, 180 days of follower counts,`,
);
console.log(
  `200 model calls per persona, 6,000 revenue events; ${ROUNDS} rounds, alternating with the empty database\n`,
);
console.log('database   | empty median ms | scale median ms | scale p95 ms | ratio');
const rows: BenchRow[] = [];
for (const kind of DATABASE_KINDS) {
  const [empty, full] = [await createTestDatabase(kind), await createTestDatabase(kind)];
  try {
    await migrate(empty.db);
    await migrate(full.db);
    await seedScale(full.db);
    const metrics = createMetrics();
    // One warm-up each (query plans, PGlite's first touch of the pages).
    await once(empty.db, metrics);
    await once(full.db, metrics);
    const emptyTimes: number[] = [];
    const fullTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      emptyTimes.push(await once(empty.db, metrics));
      fullTimes.push(await once(full.db, metrics));
    }
    const [e, f] = [median(emptyTimes), median(fullTimes)];
    console.log(
      `${kind.padEnd(10)} | ${e.toFixed(1).padStart(15)} | ${f.toFixed(1).padStart(15)} | ${p95(fullTimes).toFixed(1).padStart(12)} | ${(f / e).toFixed(1)}×`,
    );
    rows.push({
      figure: `KPIs computed from the tables, median, ${kind}, ${PERSONAS} personas`,
      value: f,
      unit: 'ms',
      baseline: `empty database ${e.toFixed(1)} ms`,
      ratio: f / e,
      target: null,
      met: null,
    });
  } finally {
    await empty.drop();
    await full.drop();
  }
}
reportBench('kpi-refresh', rows);
