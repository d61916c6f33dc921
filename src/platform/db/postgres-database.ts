import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Queryable } from './database.ts';
import { listenPostgres } from './postgres-listener.ts';

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function wrap(client: pg.Pool | pg.PoolClient, afterCommit?: (fn: () => void) => void): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[], options?: { prepared?: boolean }) {
      const result = options?.prepared
        ? await client.query({ name: statementName(sql), text: sql, values: params })
        : await client.query(sql, params);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    afterCommit: afterCommit ?? ((fn) => fn()),
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
    afterCommit: base.afterCommit,
    async transaction(fn) {
      const client = await pool.connect();
      // Checked out, the client has no pool listener: a connection lost between two statements would
      // otherwise be an uncaught 'error' event that ends the process. The next statement fails instead.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      const committed: (() => void)[] = [];
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client, (hook) => committed.push(hook)));
        await client.query('COMMIT');
        for (const hook of committed) hook();
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
