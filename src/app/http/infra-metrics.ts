import type { Database } from '../../platform/db/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import type { Metrics } from '../../platform/observability/index.ts';

/** Reads queue depth and pool usage at scrape time, so every replica reports the shared truth. */
export async function refreshInfraMetrics(deps: { db: Database; queue: Queue; metrics: Metrics }): Promise<void> {
  const pool = deps.db.poolStats();
  for (const state of ['total', 'idle', 'waiting'] as const) deps.metrics.dbPoolConnections.set({ state }, pool[state]);
  const counts = await deps.queue.countJobs().catch(() => []);
  for (const { queue, state, count } of counts) deps.metrics.queueJobs.set({ queue, state }, count);
}
