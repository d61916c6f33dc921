import { z } from 'zod';
import type { Database } from '../../../platform/db/index.ts';
import type { VectorStore } from '../../../posts/index.ts';
import type { Metrics } from '../../../platform/observability/index.ts';
import { refreshKpiMetrics } from '../../../kpis/index.ts';
import { refreshInfraMetrics } from '../infra-metrics.ts';
import type { Queue } from '../../../platform/queue/index.ts';
import type { HttpServer } from '../http-server.ts';

const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.string(),
  queue: z.string(),
  vector_store: z.enum(['pgvector', 'portable']),
});

export function registerOpsRoutes(
  app: HttpServer,
  deps: { db: Database; queue: Queue; metrics: Metrics; vectors: Pick<VectorStore, 'mode'>; now: () => Date },
) {
  const tags = ['operations'];
  app.get('/health', {
    schema: {
      tags,
      summary: 'The process is alive',
      security: [],
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });
  app.get('/ready', {
    schema: {
      tags,
      summary: 'The database and the queue answer',
      security: [],
      response: { 200: readySchema, 503: readySchema },
    },
    handler: async (_request, reply) => {
      const database = await deps.db.query('SELECT 1').then(
        () => 'ok',
        () => 'unreachable',
      );
      const queue = await deps.queue.ping().then(
        () => 'ok',
        () => 'unreachable',
      );
      const ok = database === 'ok' && queue === 'ok';
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'unavailable',
        database: database === 'ok' ? deps.db.kind : database,
        queue: queue === 'ok' ? 'pg-boss' : queue,
        vector_store: deps.vectors.mode,
      });
    },
  });
  // At most one refresh of the KPI roll-up waits in the queue, however many replicas are scraped.
  const requestRefresh = () => deps.queue.sendOnce('refresh-kpis', {}, 'refresh-kpis');
  app.get('/metrics', {
    schema: { tags, summary: 'Prometheus metrics', security: [] },
    handler: async (request, reply) => {
      // With the database unreachable the process metrics still matter most: serve the last values.
      const refreshed = await Promise.allSettled([
        refreshInfraMetrics(deps),
        refreshKpiMetrics({ ...deps, requestRefresh }),
      ]);
      for (const r of refreshed)
        if (r.status === 'rejected') request.log.warn({ err: r.reason }, 'metrics refresh from the database failed');
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  });
}
