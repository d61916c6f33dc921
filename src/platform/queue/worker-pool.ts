import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Listener } from '../db/index.ts';
import { JOBS_CHANNEL } from './install.ts';
import { createLeaseKeeper } from './lease.ts';

export interface WorkerPoolOptions {
  names: string[];
  /** Jobs of one queue running at once in this process. */
  concurrency: number;
  /** How often an idle queue is polled while the wake-up connection is down. */
  pollSeconds: number;
  /** With wake-ups working, an idle queue still looks once in this long (a missed notification costs no more). */
  idlePollSeconds: number;
  leaseSeconds: number;
  /** A handler running longer than this fails (pg-boss's own default expiry, which it enforced the same way). */
  maxRunSeconds: number;
}

export type RunJob = (name: string, job: PgBoss.JobWithMetadata) => Promise<void>;

const SETTLE_RETRY_MS = 500;
/** A job this close to due is fetched without waiting for a wake-up: it is ready or nearly. */
const MIN_IDLE_WAIT_MS = 50;
/**
 * How long a lane trusts what it last read about the queue's delayed jobs: a lane going idle after
 * every small batch would otherwise ask once per batch. A retry this process schedules is read at once.
 */
const DUE_RECHECK_MS = 1_000;

interface Lane {
  name: string;
  running: Map<string, Promise<void>>;
  /** Claimed in the database and not yet recorded as completed or failed: their claims are renewed. */
  held: Set<string>;
  outcomes: { id: string; error?: unknown }[];
  settling: Promise<void> | null;
  woken: boolean;
  wakeSleeper: (() => void) | null;
  loop: Promise<void> | null;
  /** When the queue's next delayed job comes due (null: none), as read at `checkedAt` (performance.now()). */
  nextDue: { at: number | null; checkedAt: number } | null;
}

function sleepUnless(lane: Lane, ms: number): Promise<void> {
  if (lane.woken) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      lane.wakeSleeper = null;
      resolve();
    }
    lane.wakeSleeper = done;
  });
}

function withDeadline(work: Promise<void>, seconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler execution exceeded ${seconds * 1000}ms`)), seconds * 1000);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Our own fetch loop over pg-boss's fetch/complete/fail: one loop per queue fetches as many jobs as it
 * has free slots, sleeps only when the queue is drained, and is woken by the NOTIFY senders give after
 * their commit (wake-ups.ts), by a job coming due, or by the lease keeper's look for ready jobs (cron
 * ticks and other processes' retries, which nobody announces). Outcomes are written in batches and
 * every write is awaited; a failed write is retried, never lost to an unhandled rejection.
 */
export function createWorkerPool(
  deps: { boss: PgBoss; db: Database; logger: Logger },
  options: WorkerPoolOptions,
  run: RunJob,
) {
  const { boss, db, logger } = deps;
  const lanes = new Map<string, Lane>();
  let stopping = false;
  let listener: Listener | null = null;
  /** Set at shutdown once outcomes have had their last chance to be written. */
  let giveUp = false;

  const lease = createLeaseKeeper(
    { boss, db, logger },
    {
      leaseSeconds: options.leaseSeconds,
      held: () => [...lanes.values()].flatMap((lane) => [...lane.held].map((id) => ({ name: lane.name, id }))),
      names: options.names,
      onReady: (names) => {
        for (const name of names) wake(name);
      },
    },
  );

  function wake(name?: string) {
    for (const lane of name === undefined ? lanes.values() : [lanes.get(name)]) {
      if (!lane) continue;
      lane.woken = true;
      lane.wakeSleeper?.();
    }
  }

  /** When the next delayed job (a retry, a job sent for later) comes due, in performance.now() time. */
  async function nextDueAt(lane: Lane): Promise<number | null> {
    const now = performance.now();
    const known = lane.nextDue;
    if (known && now - known.checkedAt < DUE_RECHECK_MS && (known.at === null || known.at > now)) return known.at;
    const [row] = await db
      .query<{ ms: number | null }>(
        `SELECT (EXTRACT(EPOCH FROM min(start_after) - now()) * 1000)::float8 AS ms
           FROM pgboss.job WHERE name = $1 AND state < 'active'`,
        [lane.name],
        { prepared: true },
      )
      .catch(() => [{ ms: options.pollSeconds * 1000 }]);
    const at = row?.ms == null ? null : now + row.ms;
    lane.nextDue = { at, checkedAt: now };
    return at;
  }

  async function idleWait(lane: Lane): Promise<number> {
    if (!listener?.connected()) return options.pollSeconds * 1000;
    // A retry or a delayed job is due later: sleep until then rather than until the next poll.
    const at = await nextDueAt(lane);
    const idleMs = options.idlePollSeconds * 1000;
    return at === null ? idleMs : Math.min(idleMs, Math.max(MIN_IDLE_WAIT_MS, at - performance.now()));
  }

  async function runLane(lane: Lane) {
    while (!stopping) {
      lane.woken = false;
      const free = options.concurrency - lane.running.size;
      let empty = false;
      if (free > 0) {
        // pg-boss's fetch answers [] when the database is unreachable; the wait below paces the retries.
        const jobs = (await boss.fetch(lane.name, { batchSize: free, includeMetadata: true })) as
          | PgBoss.JobWithMetadata[]
          | null;
        for (const job of jobs ?? []) start(lane, job);
        empty = (jobs?.length ?? 0) === 0;
      }
      if (stopping) break;
      // Jobs running: each one finishing wakes the lane, as does a NOTIFY. Nothing at all: a NOTIFY,
      // a job coming due or the poll does.
      await sleepUnless(lane, empty ? await idleWait(lane) : options.idlePollSeconds * 1000);
    }
  }

  function start(lane: Lane, job: PgBoss.JobWithMetadata) {
    lane.held.add(job.id);
    const running = withDeadline(run(lane.name, job), options.maxRunSeconds).then(
      () => record(lane, { id: job.id }),
      (error: unknown) => record(lane, { id: job.id, error }),
    );
    lane.running.set(
      job.id,
      running.finally(() => {
        lane.running.delete(job.id);
        wake(lane.name);
      }),
    );
  }

  function record(lane: Lane, outcome: { id: string; error?: unknown }) {
    // Handed back at shutdown already: its late outcome must not overwrite the retry.
    if (!lane.held.has(outcome.id)) return;
    lane.outcomes.push(outcome);
    if (!lane.settling) lane.settling = settle(lane).finally(() => (lane.settling = null));
  }

  /** Writes outcomes until none is waiting; while the database is away it retries, keeping the claims renewed. */
  async function settle(lane: Lane) {
    while (lane.outcomes.length > 0) {
      const batch = lane.outcomes.splice(0);
      const completed = batch.filter((o) => !('error' in o)).map((o) => o.id);
      const failed = batch.filter((o) => 'error' in o);
      try {
        if (completed.length > 0) {
          await boss.complete(lane.name, completed);
          for (const id of completed) lane.held.delete(id);
          completed.length = 0;
        }
        while (failed.length > 0) {
          const next = failed[0]!;
          await boss.fail(lane.name, next.id, next.error as object);
          lane.held.delete(next.id);
          failed.shift();
          // Its retry is a delayed job this lane has not seen yet: read when it comes due.
          lane.nextDue = null;
          wake(lane.name);
        }
      } catch (error) {
        lane.outcomes.unshift(...completed.map((id) => ({ id })), ...failed);
        logger.warn({ err: error, queue: lane.name, waiting: lane.outcomes.length }, 'could not record job outcomes');
        await new Promise((r) => setTimeout(r, SETTLE_RETRY_MS));
        if (giveUp) return;
      }
    }
  }

  async function startPool(): Promise<void> {
    for (const name of options.names) {
      lanes.set(name, {
        name,
        running: new Map(),
        held: new Set(),
        outcomes: [],
        settling: null,
        woken: false,
        wakeSleeper: null,
        loop: null,
        nextDue: null,
      });
    }
    // A notification names its queue; null means the connection was (re)made: look at every queue.
    listener = await db.listen(JOBS_CHANNEL, (payload) => wake(payload ?? undefined));
    for (const lane of lanes.values()) {
      lane.loop = runLane(lane).catch((error: unknown) =>
        logger.error({ err: error, queue: lane.name }, 'worker loop'),
      );
    }
    lease.start();
  }

  /** Stops fetching, waits for running jobs up to `timeoutMs`, hands the rest back (retried), then writes outcomes. */
  async function stop(timeoutMs: number): Promise<void> {
    stopping = true;
    wake();
    await Promise.all([...lanes.values()].map((lane) => lane.loop));
    const running = [...lanes.values()].flatMap((lane) => [...lane.running.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    for (const lane of lanes.values()) {
      for (const id of lane.running.keys()) record(lane, { id, error: new Error('pg-boss shut down while active') });
      for (const id of lane.running.keys()) lane.held.delete(id);
    }
    // Outcomes get a last few seconds; what cannot be written is taken back by another worker later.
    const settled = Promise.all([...lanes.values()].map((lane) => lane.settling));
    const grace = setTimeout(() => (giveUp = true), 5_000);
    await settled;
    clearTimeout(grace);
    await lease.stop();
    await listener?.close();
  }

  return { start: startPool, stop, wake, heldCount: () => [...lanes.values()].reduce((n, l) => n + l.held.size, 0) };
}
