import pg from 'pg';
import type { Database, Queryable } from './database.ts';
import { listenPostgres } from './postgres-listener.ts';

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

export function createPostgresDatabase(options: { url: string; poolMax: number }): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      // Checked out, the client has no pool listener: a connection lost between two statements would
      // otherwise be an uncaught 'error' event that ends the process. The next statement fails instead.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!lost) await client.query('ROLLBACK').catch((rollback: Error) => (lost = rollback));
        throw error;
      } finally {
        client.removeListener('error', onError);
        // A broken connection is destroyed rather than handed to the next caller.
        client.release(lost);
      }
    },
    listen: (channel, onNotify) => listenPostgres(options.url, channel, onNotify),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
