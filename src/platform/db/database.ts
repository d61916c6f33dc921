/** What repositories need from a connection or a transaction; both backends provide it. */
export interface Queryable {
  /** `prepared`: a statement run very often with the same text is parsed and planned once per connection. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: { prepared?: boolean }): Promise<T[]>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` once what was written through this handle is committed: at once outside a transaction. */
  afterCommit?(fn: () => void): void;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** A LISTEN subscription; `onNotify(null)` means it (re)connected and notifications may have been missed. */
export interface Listener {
  /** False while the connection is down and being re-established: callers poll instead. */
  connected(): boolean;
  close(): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  listen(channel: string, onNotify: (payload: string | null) => void): Promise<Listener>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

/** pg-boss talks to the database through this adapter, so jobs can join our transactions. */
export function toBossDb(db: Queryable): {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
} {
  return {
    async executeSql(text, values) {
      // pg-boss's statements are few fixed texts run for every job: prepared, they skip parse and plan.
      if (values && values.length > 0) return { rows: await db.query(text, values, { prepared: true }) };
      // pg-boss sends multi-statement scripts without values (its own migrations).
      if (/;\s*\S/.test(text)) {
        await db.exec(text);
        return { rows: [] };
      }
      return { rows: await db.query(text) };
    },
  };
}
