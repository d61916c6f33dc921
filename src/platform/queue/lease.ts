import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/index.ts';
import { JOBS_CHANNEL } from './install.ts';

/** pg-boss's maintenance (expire, archive, drop), which its supervisor ran on a clock blind to our leases. */
const MAINTENANCE_MS = 120_000;

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
    onTakenBack: (names: string[]) => void;
  },
) {
  const { boss, db, logger } = deps;
  const tickMs = (options.leaseSeconds * 1000) / 3;
  let connectedSince: number | null = null;
  let lastMaintenance = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | null = null;

  async function renew(): Promise<void> {
    const held = options.held();
    if (held.length === 0) {
      if (connectedSince === null) await db.query('SELECT 1');
      return;
    }
    await db.query(
      `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $3)
        WHERE (name, id) IN (SELECT * FROM unnest($1::text[], $2::uuid[])) AND state = 'active'`,
      [held.map((h) => h.name), held.map((h) => h.id), options.leaseSeconds],
    );
  }

  async function takeBack(): Promise<void> {
    const rows = await db.query<{ name: string; kind: 'taken' | 'spent' }>(
      `WITH orphaned AS (
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
        WHERE state = 'active' AND started_on + expire_in < now() AND retry_count >= retry_limit`,
    );
    const taken = rows.filter((r) => r.kind === 'taken').map((r) => r.name);
    if (taken.length > 0) {
      logger.warn({ queues: taken }, 'took back jobs whose worker stopped renewing them');
      // Other workers may have free slots first; nothing was inserted, so no trigger told them.
      for (const name of taken) await db.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, name]);
      options.onTakenBack(taken);
    }
    // Out of retries: pg-boss's own expiry fails them into their dead-letter queue.
    if (rows.some((r) => r.kind === 'spent')) await boss.expire();
  }

  async function tick(): Promise<void> {
    try {
      await renew();
      const now = Date.now();
      connectedSince ??= now;
      if (now - connectedSince >= 2 * tickMs) await takeBack();
      if (now - connectedSince >= 2 * tickMs && now - lastMaintenance >= MAINTENANCE_MS) {
        lastMaintenance = now;
        await boss.maintain();
      }
    } catch (error) {
      if (connectedSince !== null) logger.warn({ err: error }, 'queue lost the database; renewing claims when back');
      connectedSince = null;
    }
  }

  return {
    start() {
      void tick();
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
