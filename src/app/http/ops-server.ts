import type { Logger } from 'pino';
import { registerOpsRoutes } from './routes/ops.routes.ts';
import { createHttpServer } from './http-server.ts';

/**
 * The worker role's own small server: /health, /ready and /metrics, so each worker process's
 * counters (model calls, node latency, jobs) are scraped where they are counted.
 */
export function buildOpsServer(deps: Parameters<typeof registerOpsRoutes>[1] & { logger: Logger }) {
  const app = createHttpServer(deps.logger);
  registerOpsRoutes(app, deps);
  return app;
}
