// GET /v1/personas sorted, filtered and searched on the server, over many personas: a page with the
// sort-key indexes of migration 018 against the same page with those indexes dropped (same run).
// Run: npx tsx bench/persona-list.ts [rounds] [--scale]   (with DATABASE_URL set, also on that server)
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/platform/db/migrate.ts';
import type { Database } from '../src/platform/db/database.ts';
import { createPersonasService } from '../src/personas/personas.service.ts';
import { DATABASE_KINDS, createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { isScaleRun, median, numberArg, percentile, reportBench, type BenchRow } from './bench-result.ts';

const ROUNDS = numberArg(41);
const SIZES: Record<DatabaseKind, number> = isScaleRun()
  ? { postgres: 200_000, pglite: 50_000 }
  : { postgres: 20_000, pglite: 5_000 };
const INDEXES = ['personas_slug_sort', 'personas_name_sort', 'personas_niche_sort', 'personas_updated'];
const TARGET_MS = 10;

type ListQuery = Parameters<ReturnType<typeof createPersonasService>['listPage']>[0];

const PAGES: [string, ListQuery][] = [
  ['sort=name&order=desc', { sort: 'name', order: 'desc', limit: 25 }],
  ['sort=niche, next page', { sort: 'niche', order: 'asc', limit: 25 }],
  [
    'sort=updated_at&order=desc&approval_mode=auto',
    { sort: 'updated_at', order: 'desc', approval_mode: 'auto', limit: 25 },
  ],
  ['sort=slug&q=topic 3', { sort: 'slug', order: 'asc', q: 'topic 3', limit: 25 }],
];

async function seed(db: Database, n: number) {
  await db.query(
    `INSERT INTO personas (slug, name, niche, audience, voice, tone, topics, hook_patterns, approval_mode,
       created_at, updated_at)
     SELECT 'bench-' || lpad(i::text, 7, '0'), initcap(substr(md5(i::text), 1, 12)), 'niche ' || (i * 7 % 97),
       'founders', 'dry', 'plain', jsonb_build_array('topic ' || (i % 311)), '["question"]',
       CASE WHEN i % 5 = 0 THEN 'auto' ELSE 'manual' END,
       now() - make_interval(secs => i), now() - make_interval(secs => (i * 7919) % $1)
       FROM generate_series(1, $1::int) AS i`,
    [n],
  );
  await db.exec('ANALYZE personas');
}

async function sample(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times;
}

/** Each page's times; "next page" ones start from page 1's cursor. */
async function measure(db: Database): Promise<number[][]> {
  const personas = createPersonasService({ db });
  const out: number[][] = [];
  for (const [name, query] of PAGES) {
    const cursor = name.includes('next page') ? ((await personas.listPage(query)).next_cursor ?? undefined) : undefined;
    out.push(await sample(() => personas.listPage({ ...query, cursor })));
  }
  return out;
}

async function benchOn(kind: DatabaseKind): Promise<BenchRow[]> {
  const where = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const testDb = await createTestDatabase(kind);
  try {
    const { db } = testDb;
    await migrate(db);
    const started = performance.now();
    await seed(db, SIZES[kind]);
    console.log(`${where}: ${SIZES[kind]} personas seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const indexed = await measure(db);
    for (const index of INDEXES) await db.exec(`DROP INDEX ${index}`);
    const bare = await measure(db);
    return PAGES.map(([name], i) => {
      // Medians: on a shared 2-core machine a p95 of a few-ms query measures the neighbours.
      const value = median(indexed[i]!);
      const base = median(bare[i]!);
      return {
        figure: `GET /v1/personas?${name} median (p95 ${percentile(indexed[i]!, 0.95).toFixed(2)}), ${where}, ${SIZES[kind]} personas`,
        value,
        unit: 'ms',
        baseline: `without the sort indexes ${base.toFixed(2)} ms (p95 ${percentile(bare[i]!, 0.95).toFixed(2)})`,
        ratio: value / base,
        target: `≤ ${TARGET_MS} ms`,
        met: value <= TARGET_MS,
      };
    });
  } finally {
    await testDb.drop();
  }
}

const rows: BenchRow[] = [];
for (const kind of DATABASE_KINDS) rows.push(...(await benchOn(kind)));
for (const r of rows) console.log(`${r.figure}: ${r.value.toFixed(2)} ms (${r.baseline}, ×${r.ratio!.toFixed(2)})`);
reportBench('persona-list', rows);
