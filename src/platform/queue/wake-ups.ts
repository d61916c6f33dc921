import type { Queryable } from '../db/index.ts';
import { JOBS_CHANNEL } from './install.ts';

/**
 * Wakes idle workers when jobs are sent. The NOTIFY goes out after the send's transaction commits, in
 * a statement of its own: a NOTIFY inside the sending transaction would make every sender's commit wait
 * for the others' (PostgreSQL serializes commits that notify), which cost 5× the send rate measured in
 * bench/queue.ts. Pokes arriving while a NOTIFY is on its way are sent together by the next one.
 */
export function createWaker(db: Queryable, local: (name: string) => void) {
  const pending = new Set<string>();
  let flushing = false;

  async function flush() {
    flushing = true;
    while (pending.size > 0) {
      const names = [...pending];
      pending.clear();
      // Best effort: a wake-up lost while the database is away is made up by the workers' polling.
      await db
        .query('SELECT pg_notify($1, name) FROM unnest($2::text[]) AS name', [JOBS_CHANNEL, names], { prepared: true })
        .catch(() => {});
    }
    flushing = false;
  }

  /** A job of `name` is (or, with `tx`, will be once it commits) ready to run. */
  function poke(name: string, tx?: Queryable) {
    const now = () => {
      local(name);
      pending.add(name);
      if (!flushing) void flush();
    };
    if (tx?.afterCommit) tx.afterCommit(now);
    else now();
  }

  return { poke };
}
