import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { JOB_NAMES } from '../../src/platform/queue/jobs.ts';
import { createQueue, type JobHandlers, type Queue } from '../../src/platform/queue/queue.ts';
import { waitFor } from '../support/child-process.ts';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/** A 1 s lease: the keeper ticks every 333 ms, so a PGlite take-back tick comes every 4 s. */
const LEASE_SECONDS = 1;

/** Counts the lease keeper's looks: with the take-back (and out-of-retries) part, and ready jobs alone. */
function countingLooks(db: Database) {
  const looks = { takeBack: 0, readyOnly: 0 };
  const query: Database['query'] = (sql, params, options) => {
    if (sql.includes('WITH orphaned AS')) looks.takeBack++;
    else if (sql.includes("'ready' AS kind")) looks.readyOnly++;
    return db.query(sql, params, options);
  };
  return { db: { ...db, query }, looks };
}

describe.each(DATABASE_KINDS)('queue leases on %s', (kind) => {
  let target: TestDatabase | undefined;
  let queue: Queue | undefined;
  afterEach(async () => {
    await queue?.stop(1000);
    await target?.drop();
    queue = undefined;
    target = undefined;
  });

  it('takes back a job whose claim ran out; on PGlite it looks for orphans only every twelfth tick', async () => {
    target = await createTestDatabase(kind);
    await migrate(target.db);
    const counted = countingLooks(target.db);
    queue = createQueue(
      { db: counted.db, metrics: createMetrics(), logger: pino({ level: 'silent' }) },
      { retryLimit: 3, retryDelaySeconds: 1, pollSeconds: 1, leaseSeconds: LEASE_SECONDS },
    );
    await queue.start();
    const taskId = randomUUID();
    const id = await queue.send('generate-posts', { taskId });
    // Claimed by a worker that died a minute ago: nobody renews it, nobody announces it.
    await target.db.query(
      `UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 minute', expire_in = interval '1 second'
        WHERE id = $1`,
      [id],
    );
    const ran: string[] = [];
    const handlers = Object.fromEntries(JOB_NAMES.map((name) => [name, async () => {}])) as unknown as JobHandlers;
    handlers['generate-posts'] = async (payload) => {
      ran.push(payload.taskId);
    };
    await queue.work(handlers, 1);

    await waitFor(async () => (ran.length > 0 ? true : undefined), 10_000);
    expect(ran).toEqual([taskId]);

    counted.looks.takeBack = 0;
    counted.looks.readyOnly = 0;
    await sleep(4_500);
    const { takeBack, readyOnly } = counted.looks;
    if (kind === 'pglite') {
      expect(takeBack).toBeLessThanOrEqual(2);
      expect(readyOnly).toBeGreaterThanOrEqual(8);
    } else {
      expect(takeBack).toBeGreaterThanOrEqual(8);
      expect(readyOnly).toBe(0);
    }
  }, 30_000);
});
