// Jobs a second through the product's queue and worker (send → handler → complete), against raw
// `FOR UPDATE SKIP LOCKED` SQL on the same database in the same run; and how soon a job sent to an idle
// worker starts, against pg-boss's own `work` loop (what the product used before) in the same run.
// Run: npx tsx bench/queue.ts [jobs]   (in-memory PGlite; with DATABASE_URL set, also on that server)
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import pino from 'pino';
import { type Database, toBossDb } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createMetrics } from '../src/platform/observability/metrics.ts';
import { JOB_NAMES, type JobName } from '../src/platform/queue/jobs.ts';
import { createQueue, type JobHandlers } from '../src/platform/queue/queue.ts';
import { DATABASE_KINDS, createTestDatabase } from '../test/support/test-database.ts';
import { type BenchRow, median, numberArg, percentile, reportBench } from './bench-result.ts';

const JOBS = numberArg(4000);
const ROUNDS = 3;
const SENDERS = 8;
const CONCURRENCY = 32;
const LATENCY_SAMPLES = 30;
const TARGET_JOBS_PER_S = 2000;
const TARGET_IDLE_START_MS = 50;
const OLD_LATENCY_SAMPLES = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `count` sends from `SENDERS` concurrent loops, like API replicas answering POST /v1/tasks. */
async function sendAll(count: number, send: () => Promise<unknown>): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (left-- > 0) await send();
    }),
  );
}

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await sleep(2);
}

function noopHandlers(onJob: () => void): JobHandlers {
  const handlers = {} as Record<JobName, () => Promise<void>>;
  for (const name of JOB_NAMES) handlers[name] = async () => onJob();
  return handlers as unknown as JobHandlers;
}

async function productRound(db: Database): Promise<number> {
  const queue = createQueue(
    { db, metrics: createMetrics(), logger: pino({ level: 'silent' }) },
    { retryLimit: 2, retryDelaySeconds: 5, pollSeconds: 1 },
  );
  await queue.start();
  await db.exec(`DELETE FROM pgboss.job WHERE name = 'generate-posts'`);
  let handled = 0;
  await queue.work(
    noopHandlers(() => handled++),
    CONCURRENCY,
  );
  const started = performance.now();
  await sendAll(JOBS, () => queue.send('generate-posts', { taskId: randomUUID() }));
  await waitUntil(() => handled >= JOBS);
  // Done means recorded: every job completed in the table.
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'generate-posts' AND state = 'completed'`,
    );
    if (row!.n >= JOBS) break;
    await sleep(2);
  }
  const seconds = (performance.now() - started) / 1000;
  await queue.stop(1000);
  return JOBS / seconds;
}

/** The textbook queue: one table, INSERT to send, SKIP LOCKED batches to take, UPDATE to complete. */
async function rawRound(db: Database): Promise<number> {
  await db.exec(`DROP TABLE IF EXISTS bench_raw_jobs;
    CREATE TABLE bench_raw_jobs (id bigserial PRIMARY KEY, data jsonb NOT NULL, state text NOT NULL DEFAULT 'created');
    CREATE INDEX ON bench_raw_jobs (id) WHERE state = 'created'`);
  let handled = 0;
  let completed = 0;
  let stopping = false;
  const consumer = (async () => {
    while (!stopping) {
      const jobs = await db.query<{ id: string }>(
        `WITH next AS (SELECT id FROM bench_raw_jobs WHERE state = 'created' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE bench_raw_jobs j SET state = 'active' FROM next WHERE j.id = next.id RETURNING j.id, j.data`,
        [CONCURRENCY],
      );
      if (jobs.length === 0) {
        await sleep(1);
        continue;
      }
      await Promise.all(jobs.map(async () => handled++));
      await db.query(`UPDATE bench_raw_jobs SET state = 'completed' WHERE id = ANY($1::bigint[])`, [
        jobs.map((j) => j.id),
      ]);
      completed += jobs.length;
    }
  })();
  const started = performance.now();
  await sendAll(JOBS, () =>
    db.query('INSERT INTO bench_raw_jobs (data) VALUES ($1)', [JSON.stringify({ taskId: randomUUID() })]),
  );
  await waitUntil(() => completed >= JOBS);
  const seconds = (performance.now() - started) / 1000;
  stopping = true;
  await consumer;
  return JOBS / seconds;
}

/** Send one job to an idle worker at a time; the handler notes when it started. */
async function productIdleStart(db: Database): Promise<number[]> {
  const queue = createQueue(
    { db, metrics: createMetrics(), logger: pino({ level: 'silent' }) },
    { retryLimit: 2, retryDelaySeconds: 5, pollSeconds: 1 },
  );
  await queue.start();
  let startedAt = 0;
  await queue.work(
    noopHandlers(() => (startedAt = performance.now())),
    2,
  );
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    await sleep(200);
    startedAt = 0;
    const sent = performance.now();
    await queue.send('generate-posts', { taskId: randomUUID() });
    await waitUntil(() => startedAt > 0);
    latencies.push(startedAt - sent);
  }
  await queue.stop(1000);
  return latencies;
}

/** The same, through pg-boss's own `work` as the product called it before (batch of 1, 1 s poll per slot). */
async function bossWorkIdleStart(db: Database): Promise<number[]> {
  const boss = new PgBoss({ db: toBossDb(db), supervise: false, schedule: false } as PgBoss.ConstructorOptions);
  await boss.start();
  await boss.createQueue('bench-old');
  let startedAt = 0;
  for (let slot = 0; slot < 2; slot++) {
    await boss.work('bench-old', { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
      startedAt = performance.now();
    });
  }
  const latencies: number[] = [];
  for (let i = 0; i < OLD_LATENCY_SAMPLES; i++) {
    await sleep(1300);
    startedAt = 0;
    const sent = performance.now();
    await boss.send('bench-old', {});
    await waitUntil(() => startedAt > 0);
    latencies.push(startedAt - sent);
  }
  await boss.stop({ graceful: false, close: false, wait: true });
  return latencies;
}

console.log(
  `queue: ${JOBS} no-op jobs per round from ${SENDERS} senders, worker concurrency ${CONCURRENCY}, ${ROUNDS} rounds alternating\n`,
);
console.log(
  'database | product jobs/s | raw SKIP LOCKED jobs/s | ratio | idle start median ms | p95 | pg-boss work (before) median ms',
);
const rows: BenchRow[] = [];
for (const kind of DATABASE_KINDS) {
  const target = await createTestDatabase(kind);
  try {
    await migrate(target.db);
    const product: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      product.push(await productRound(target.db));
      raw.push(await rawRound(target.db));
    }
    const idle = await productIdleStart(target.db);
    const before = await bossWorkIdleStart(target.db);
    const [p, r] = [median(product), median(raw)];
    console.log(
      `${kind.padEnd(8)} | ${p.toFixed(0).padStart(14)} | ${r.toFixed(0).padStart(22)} | ${(p / r).toFixed(2).padStart(5)} | ${median(idle).toFixed(1).padStart(20)} | ${percentile(idle, 0.95).toFixed(1).padStart(3)} | ${median(before).toFixed(0).padStart(6)}`,
    );
    // The throughput target is PostgreSQL's; on PGlite (one connection, in-process) it is a figure.
    const throughputTarget = kind === 'postgres' ? TARGET_JOBS_PER_S : null;
    rows.push(
      {
        figure: `no-op jobs/s, send → handler → complete, ${kind}`,
        value: Math.round(p),
        unit: 'jobs/s',
        baseline: `raw SKIP LOCKED ${r.toFixed(0)} jobs/s`,
        ratio: p / r,
        target: throughputTarget === null ? null : `≥ ${throughputTarget} jobs/s`,
        met: throughputTarget === null ? null : p >= throughputTarget,
      },
      {
        figure: `job sent to an idle worker starts, median, ${kind}`,
        value: median(idle),
        unit: 'ms',
        baseline: `pg-boss work (before) ${median(before).toFixed(0)} ms`,
        ratio: median(idle) / median(before),
        target: `≤ ${TARGET_IDLE_START_MS} ms`,
        met: median(idle) <= TARGET_IDLE_START_MS,
      },
    );
  } finally {
    await target.drop();
  }
}
reportBench('queue', rows);
