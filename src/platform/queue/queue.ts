import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { toBossDb, type Database, type Queryable } from '../db/index.ts';
import { type Metrics, attachTraceContext, detachTraceContext, inJobSpan, inSendSpan } from '../observability/index.ts';
import { JOB_NAMES, JOBS, QUEUE_POLICIES, deadLetterQueueOf, type JobName, type JobPayload } from './jobs.ts';
import { installQueues } from './install.ts';
import { createSendBatcher } from './send-batcher.ts';
import { createWaker } from './wake-ups.ts';
import { createWorkerPool } from './worker-pool.ts';

export interface JobContext {
  jobId: string;
  /** 0 on the first run. */
  retryCount: number;
  /** True when a failure now sends the job to its dead-letter queue instead of retrying. */
  isFinalAttempt: boolean;
}

export type JobHandlers = { [N in JobName]: (payload: JobPayload<N>, context: JobContext) => Promise<void> };

export interface QueueOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  pollSeconds: number;
  /** How soon a job held by a dead worker runs again (its claim is renewed every third of this while it runs). */
  leaseSeconds?: number;
}

const DEFAULT_LEASE_SECONDS = 15;
/** The longest a handler may run: pg-boss's default job expiry, which bounded it before leases. */
const MAX_RUN_SECONDS = 15 * 60;
/**
 * With LISTEN working, an idle queue still fetches once in this long. Only a last resort: the lease
 * keeper's look every few seconds finds, for all queues in one statement, ready jobs whose
 * notification was lost; a poll per queue a minute was most of the idle process's statements.
 */
const IDLE_POLL_SECONDS = 600;

export type QueueState = 'created' | 'active' | 'retry' | 'failed' | 'dead_letter';

export function createQueue(deps: { db: Database; metrics: Metrics; logger: Logger }, options: QueueOptions) {
  const { db, metrics, logger } = deps;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  // Schema, queues and schedules are made by installQueues under the migration lock; expiry is ours (lease.ts).
  // Cron ticks are by the minute: pg-boss's cron hand-off queue need not be polled every 5 s, nor the
  // schedules evaluated every 30 s (cron-parser walks back to each schedule's previous tick: a sixth
  // of the idle process's CPU). 45 s, pg-boss's longest, still sees every minute's tick.
  const boss = new PgBoss({
    db: toBossDb(db),
    migrate: false,
    supervise: false,
    cronWorkerIntervalSeconds: 15,
    cronMonitorIntervalSeconds: 45,
  } as PgBoss.ConstructorOptions);
  boss.on('error', (error) => logger.error({ err: error }, 'queue error'));
  let pool: ReturnType<typeof createWorkerPool> | null = null;
  // A worker in this process is woken at once; the others by the NOTIFY.
  const waker = createWaker(db, (name) => pool?.wake(name));
  const batcher = createSendBatcher((jobs) => boss.insert(jobs));

  async function start(): Promise<void> {
    await installQueues(db, {
      retryLimit: options.retryLimit,
      retryDelaySeconds: options.retryDelaySeconds,
      leaseSeconds,
    });
    await boss.start();
  }

  function enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: PgBoss.SendOptions,
  ): Promise<string | null> {
    const data = JOBS[name].parse(payload);
    // The request's trace context rides along, so the job's span continues that trace.
    return inSendSpan(name, () => {
      const stored = attachTraceContext(data);
      // Only a standard queue's job without a key cannot be refused: it may share a multi-row insert.
      const batchable = !options.db && !options.singletonKey && QUEUE_POLICIES[name] === undefined;
      return batchable ? batcher.send(name, stored) : boss.send(name, stored, options);
    });
  }

  /** Enqueues a job; pass `tx` to make the job exist only if the surrounding transaction commits. */
  async function send<N extends JobName>(name: N, payload: JobPayload<N>, opts: { tx?: Queryable } = {}) {
    const id = await enqueue(name, payload, opts.tx ? { db: toBossDb(opts.tx) } : {});
    if (!id) throw new Error(`queue refused job ${name}`);
    waker.poke(name, opts.tx);
    return id;
  }

  /** Enqueues a job unless one with this key is already waiting (a `short` policy queue); null then. */
  async function sendOnce<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    singletonKey: string,
  ): Promise<string | null> {
    const id = await enqueue(name, payload, { singletonKey });
    if (id) waker.poke(name);
    return id;
  }

  async function work(handlers: JobHandlers, concurrency: number): Promise<void> {
    const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
    if (missing.length > 0) throw new Error(`no handler registered for job(s): ${missing.join(', ')}`);
    pool = createWorkerPool(
      { boss, db, logger },
      {
        names: JOB_NAMES,
        concurrency,
        pollSeconds: options.pollSeconds,
        idlePollSeconds: IDLE_POLL_SECONDS,
        leaseSeconds,
        maxRunSeconds: MAX_RUN_SECONDS,
      },
      (name, job) => runJob(name as JobName, job, handlers),
    );
    await pool.start();
  }

  async function runJob(name: JobName, job: PgBoss.JobWithMetadata, handlers: JobHandlers): Promise<void> {
    const handler = handlers[name] as (payload: unknown, context: JobContext) => Promise<void>;
    const context: JobContext = {
      jobId: job.id,
      retryCount: job.retryCount,
      isFinalAttempt: job.retryCount >= job.retryLimit,
    };
    const { data, parent } = detachTraceContext(job.data);
    await inJobSpan(name, job, parent, async () => {
      const stopTimer = metrics.jobDuration.startTimer({ queue: name });
      try {
        await handler(JOBS[name].parse(data), context);
        metrics.jobsProcessed.inc({ queue: name, outcome: 'completed' });
      } catch (error) {
        const outcome = context.isFinalAttempt ? 'dead_letter' : 'retry';
        metrics.jobsProcessed.inc({ queue: name, outcome });
        logger.warn({ err: error, queue: name, jobId: job.id, outcome }, 'job failed');
        throw error;
      } finally {
        stopTimer();
      }
    });
  }

  /** Job counts by queue and state, read from pg-boss's table (cheap: one grouped scan of live jobs). */
  async function countJobs(): Promise<{ queue: string; state: QueueState; count: number }[]> {
    const rows = await db.query<{ name: string; state: string; count: number }>(
      `SELECT name, state, count(*)::int AS count FROM pgboss.job
        WHERE state IN ('created', 'active', 'retry', 'failed') GROUP BY name, state`,
    );
    const counts: { queue: string; state: QueueState; count: number }[] = [];
    for (const name of JOB_NAMES) {
      const dlq = deadLetterQueueOf(name);
      for (const state of ['created', 'active', 'retry', 'failed'] as const) {
        const row = rows.find((r) => r.name === name && r.state === state);
        counts.push({ queue: name, state, count: row?.count ?? 0 });
      }
      const dead = rows.filter((r) => r.name === dlq).reduce((sum, r) => sum + r.count, 0);
      counts.push({ queue: name, state: 'dead_letter', count: dead });
    }
    return counts;
  }

  async function ping(): Promise<void> {
    await db.query('SELECT 1 FROM pgboss.version LIMIT 1');
  }

  /** Stops fetching, lets running jobs finish for up to `timeoutMs`, hands the rest back, then stops pg-boss. */
  async function stop(timeoutMs = 30_000): Promise<void> {
    await pool?.stop(timeoutMs);
    pool = null;
    await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }

  return { start, send, sendOnce, work, countJobs, ping, stop, boss };
}

export type Queue = ReturnType<typeof createQueue>;
