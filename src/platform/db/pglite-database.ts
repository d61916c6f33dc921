import fs from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Queryable } from './database.ts';

function wrap(conn: PGlite | Transaction, afterCommit?: (fn: () => void) => void): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    afterCommit: afterCommit ?? ((fn) => fn()),
  };
}

/**
 * PGlite's default shared_buffers (160 MB) is a server's, held inside this process: at 32 MB the
 * idle process is ~110 MB smaller, and the pages it no longer caches are still in the OS page cache.
 */
const POSTGRESQL_CONF = 'shared_buffers=32MB';

/** Embedded Postgres (WASM). `dir` undefined means in memory, for tests. */
export async function createPgliteDatabase(dir?: string): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir ?? 'memory://', { extensions: { vector }, postgresqlconf: POSTGRESQL_CONF });
  const base = wrap(pg);
  let inFlight = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
    }
  };
  return {
    kind: 'pglite',
    query: (sql, params) => track(() => base.query(sql, params)),
    exec: (sql) => track(() => base.exec(sql)),
    afterCommit: base.afterCommit,
    transaction: (fn) =>
      track(async () => {
        const committed: (() => void)[] = [];
        const result = await pg.transaction((tx) => fn(wrap(tx, (hook) => committed.push(hook))));
        for (const hook of committed) hook();
        return result;
      }),
    // In-process: the subscription cannot drop, so it never needs re-establishing.
    async listen(channel, onNotify) {
      let open = true;
      const unsubscribe = await pg.listen(channel, (payload) => onNotify(payload));
      return {
        connected: () => open,
        async close() {
          open = false;
          await unsubscribe();
        },
      };
    },
    // One connection serves every caller; the rest wait their turn.
    poolStats: () => ({ total: 1, idle: inFlight === 0 ? 1 : 0, waiting: Math.max(0, inFlight - 1) }),
    close: () => pg.close(),
  };
}
