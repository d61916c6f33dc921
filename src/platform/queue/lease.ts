import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/index.ts';
import { JOBS_CHANNEL } from './install.ts';

/** pg-boss's maintenance (expire, archive, drop), which its supervisor ran on a clock blind to our leases. */
const MAINTENANCE_MS = 120_000;
/**
 * On PGlite one process holds the data directory (it is locked), so no other worker's claim can run
 * out while this one runs: what it left when it last stopped is taken back at start, and after that
 * only a job whose outcome this process failed to write can be orphaned, for which every twelfth tick
 * (a minute at the default 15 s lease) is soon enough. The other ticks look for ready jobs alone: the
 * whole statement plans pgboss.job's partitions three times, ~9 ms on PGlite, which every 5 s was
 * 70 % of an idle `npm start`'s time in the database (bench/README.md › idle.ts).
 */
const SINGLE_PROCESS_TAKE_BACK_TICKS = 12;

/**
 * A claimed job's expiry is a lease: every third of it, each worker pushes the expiry of the jobs it
 * holds forward, and takes back jobs whose lease ran out (their worker died), so they run again within
 * seconds instead of pg-boss's 15 minutes. A worker that just regained the database waits two renewal
 * rounds before taking anything back: after an outage every lease looks expired, and the workers still
 * holding their jobs renew them first.
 */
export function createLeaseKeeper(
  deps: { boss: PgBoss; db: Database; logger: Logger },
  options: {
    leaseSeconds: number;
    held: () => { name: string; id: string }[];
    names: string[];
    /** Queues with jobs ready to run: taken back ones, cron ticks, other processes' retries. */
    onReady: (names: string[]) => void;
  },
) {
  const { boss, db, logger } = deps;
  const tickMs = (options.leaseSeconds * 1000) / 3;
  const takeBackEveryMs = db.kind === 'pglite' ? SINGLE_PROCESS_TAKE_BACK_TICKS * tickMs : 0;
  let connectedSince: number | null = null;
  let lastTakeBack = Number.NEGATIVE_INFINITY;
  let lastMaintenance = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | null = null;

  async function renew(): Promise<void> {
    const held = options.held();
    if (held.length === 0) return;
    await db.query(
      `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $3)
        WHERE (name, id) IN (SELECT * FROM unnest($1::text[], $2::uuid[])) AND state = 'active'`,
      [held.map((h) => h.name), held.map((h) => h.id), options.leaseSeconds],
      { prepared: true },
    );
  }

  /**
   * One statement per tick: jobs ready that nobody announced (pg-boss's cron, another process's
   * retries), and, on a take-back tick once the connection is trusted, the orphans it takes back and
   * those out of retries.
   */
  async function look(withTakeBack: boolean): Promise<void> {
    const readySql = `SELECT DISTINCT name, 'ready' AS kind FROM pgboss.job
       WHERE name = ANY($1) AND state < 'active' AND start_after < now()`;
    const rows = await db.query<{ name: string; kind: 'ready' | 'taken' | 'spent' }>(
      withTakeBack
        ? `WITH orphaned AS (
             SELECT name, id FROM pgboss.job
              WHERE state = 'active' AND started_on + expire_in < now() AND retry_count < retry_limit
              FOR UPDATE SKIP LOCKED
           ), taken AS (
             UPDATE pgboss.job j SET state = 'retry', start_after = now(),
                    output = '{"message": "taken back: its worker stopped renewing the claim"}'::jsonb
               FROM orphaned o WHERE j.name = o.name AND j.id = o.id
             RETURNING j.name
           )
           SELECT DISTINCT name, 'taken' AS kind FROM taken
           UNION
           SELECT DISTINCT name, 'spent' FROM pgboss.job
            WHERE state = 'active' AND started_on + expire_in < now() AND retry_count >= retry_limit
           UNION
           ${readySql}`
        : readySql,
      [options.names],
      { prepared: true },
    );
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.name);
    const taken = of('taken');
    if (taken.length > 0) {
      logger.warn({ queues: taken }, 'took back jobs whose worker stopped renewing them');
      // Other workers may have free slots first.
      await db.query('SELECT pg_notify($1, name) FROM unnest($2::text[]) AS name', [JOBS_CHANNEL, taken]);
    }
    const ready = [...new Set([...taken, ...of('ready')])];
    if (ready.length > 0) options.onReady(ready);
    // Out of retries: pg-boss's own expiry fails them into their dead-letter queue.
    if (of('spent').length > 0) await boss.expire();
  }

  async function tick(): Promise<void> {
    try {
      await renew();
      const now = Date.now();
      const trusted = connectedSince !== null && now - connectedSince >= 2 * tickMs;
      const takeBack = trusted && now - lastTakeBack >= takeBackEveryMs;
      // Also the probe that tells the database is back.
      await look(takeBack);
      if (takeBack) lastTakeBack = now;
      connectedSince ??= now;
      if (trusted && now - lastMaintenance >= MAINTENANCE_MS) {
        lastMaintenance = now;
        await boss.maintain();
      }
    } catch (error) {
      if (connectedSince !== null) logger.warn({ err: error }, 'queue lost the database; renewing claims when back');
      connectedSince = null;
      lastTakeBack = Number.NEGATIVE_INFINITY;
    }
  }

  return {
    start() {
      ticking = tick().finally(() => (ticking = null));
      timer = setInterval(() => {
        if (!ticking) ticking = tick().finally(() => (ticking = null));
      }, tickMs);
    },
    async stop() {
      clearInterval(timer);
      await ticking;
    },
  };
}
