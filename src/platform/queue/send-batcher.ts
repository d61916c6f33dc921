import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';

/** Enough rows that a burst of senders shares a few statements; small enough that one insert stays short. */
const MAX_BATCH = 500;

interface PendingSend {
  job: PgBoss.JobInsert & { id: string };
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Sends made outside a transaction, coalesced: the first goes at once, and those made while its
 * insert is on its way go together in the next one (pg-boss's multi-row `insert`), so concurrent
 * senders share one statement and one commit instead of each waiting for its own. The ids are made
 * here: pg-boss's multi-row insert does not return them. Only for queues where nothing but the id
 * can conflict (no singleton key, `standard` policy): a row it skipped would be a job silently lost.
 */
export function createSendBatcher(insert: (jobs: PgBoss.JobInsert[]) => Promise<unknown>) {
  const pending: PendingSend[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        await insert(batch.map((p) => p.job));
        for (const p of batch) p.resolve(p.job.id);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
      // The senders just answered may send again at once: let them join the next insert.
      await new Promise((resolve) => setImmediate(resolve));
    }
    flushing = false;
  }

  /** Resolves with the job's id once its row is committed. */
  function send(name: string, data: object): Promise<string> {
    return new Promise((resolve, reject) => {
      pending.push({ job: { id: randomUUID(), name, data }, resolve, reject });
      if (!flushing) void flush();
    });
  }

  return { send };
}
