import type { Queryable } from '../db/index.ts';
import { JOBS_CHANNEL } from './install.ts';

/** NOTIFYs of one process go at most this often: a burst of sends costs one statement per window, not one each. */
const NOTIFY_SPACING_MS = 50;

/**
 * Wakes idle workers when jobs are sent. The NOTIFY goes out after the send's transaction commits, in
 * a statement of its own: a NOTIFY inside the sending transaction would make every sender's commit wait
 * for the others' (PostgreSQL serializes commits that notify), which cost 5× the send rate measured in
 * bench/queue.ts. The first poke after a quiet spell notifies at once; pokes arriving while a NOTIFY is
 * on its way or within NOTIFY_SPACING_MS of the last go together in the next one. Workers in this
 * process are woken directly, at once.
 */
export function createWaker(db: Queryable, local: (name: string) => void) {
  const pending = new Set<string>();
  let flushing = false;
  let timer: NodeJS.Timeout | null = null;
  let lastSentAt = Number.NEGATIVE_INFINITY;

  function schedule() {
    if (flushing || timer || pending.size === 0) return;
    const wait = lastSentAt + NOTIFY_SPACING_MS - performance.now();
    if (wait <= 0) {
      void flush();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, wait);
    // A wake-up still waiting never holds a stopping process open: polling makes up for it.
    timer.unref();
  }

  async function flush() {
    flushing = true;
    const names = [...pending];
    pending.clear();
    lastSentAt = performance.now();
    // Best effort: a wake-up lost while the database is away is made up by the workers' polling.
    await db
      .query('SELECT pg_notify($1, name) FROM unnest($2::text[]) AS name', [JOBS_CHANNEL, names], { prepared: true })
      .catch(() => {});
    flushing = false;
    schedule();
  }

  /** A job of `name` is (or, with `tx`, will be once it commits) ready to run. */
  function poke(name: string, tx?: Queryable) {
    const now = () => {
      local(name);
      pending.add(name);
      schedule();
    };
    if (tx?.afterCommit) tx.afterCommit(now);
    else now();
  }

  return { poke };
}
