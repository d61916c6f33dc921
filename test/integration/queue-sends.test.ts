import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { createQueue, type Queue } from '../../src/platform/queue/queue.ts';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const SENDERS = 8;

/** Counts the statements that insert jobs, to tell whether concurrent sends shared them. */
function countingInserts(db: Database): { db: Database; inserts: () => number } {
  let inserts = 0;
  const query: Database['query'] = (sql, params, options) => {
    if (/INSERT INTO pgboss\.job/.test(sql)) inserts++;
    return db.query(sql, params, options);
  };
  return { db: { ...db, query }, inserts: () => inserts };
}

describe.each(DATABASE_KINDS)('queue sends on %s', (kind) => {
  let target: TestDatabase | undefined;
  let queue: Queue | undefined;
  afterEach(async () => {
    await queue?.stop(1000);
    await target?.drop();
    queue = undefined;
    target = undefined;
  });

  async function open(): Promise<{ db: Database; inserts: () => number; queue: Queue }> {
    target = await createTestDatabase(kind);
    await migrate(target.db);
    const counted = countingInserts(target.db);
    queue = createQueue(
      { db: counted.db, metrics: createMetrics(), logger: pino({ level: 'silent' }) },
      { retryLimit: 3, retryDelaySeconds: 7, pollSeconds: 1 },
    );
    await queue.start();
    return { ...counted, queue };
  }

  it('stores concurrent sends outside a transaction in shared inserts, each job under the id its send answered', async () => {
    const { db, inserts, queue } = await open();
    const taskIds = Array.from({ length: SENDERS * 5 }, () => randomUUID());
    const before = inserts();
    let next = 0;
    const answered: { id: string; taskId: string }[] = [];
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < taskIds.length) {
          const taskId = taskIds[next++]!;
          answered.push({ id: await queue.send('generate-posts', { taskId }), taskId });
        }
      }),
    );
    expect(inserts() - before).toBeLessThan(taskIds.length);
    const rows = await db.query<{ id: string; task_id: string }>(
      `SELECT id, data->>'taskId' AS task_id FROM pgboss.job WHERE name = 'generate-posts'`,
    );
    const stored = rows.map((r) => ({ id: r.id, taskId: r.task_id }));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(stored.sort(byId)).toEqual(answered.sort(byId));
  });

  it('gives a coalesced send the same retry, lease and retention settings as a send in a transaction', async () => {
    const { db, queue } = await open();
    const plain = await queue.send('generate-posts', { taskId: randomUUID() });
    const inTx = await db.transaction((tx) => queue.send('generate-posts', { taskId: randomUUID() }, { tx }));
    const rows = await db.query<Record<string, unknown>>(
      `SELECT id, priority, state, retry_limit, retry_delay, retry_backoff, policy, dead_letter,
              extract(epoch FROM expire_in)::int AS expire_s,
              extract(epoch FROM keep_until - start_after)::int AS keep_s,
              extract(epoch FROM start_after - created_on)::int AS delay_s
         FROM pgboss.job WHERE id IN ($1, $2)`,
      [plain, inTx],
    );
    expect(rows).toHaveLength(2);
    const settings = (id: string) => {
      const { id: _, ...rest } = rows.find((r) => r.id === id)!;
      return rest;
    };
    expect(settings(plain)).toEqual(settings(inTx));
    expect(settings(plain)).toMatchObject({
      retry_limit: 3,
      retry_delay: 7,
      dead_letter: 'generate-posts-dead-letter',
    });
  });
});
