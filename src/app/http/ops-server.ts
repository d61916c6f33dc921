import type { Logger } from 'pino';
import { registerOpsRoutes } from './routes/ops.routes.ts';
import { createHttpServer } from './http-server.ts';
import { requireOpsToken } from './ops-token.ts';

/**
 * The worker role's own small server: /health, /ready and /metrics, so each worker process's
 * counters (model calls, node latency, jobs) are scraped where they are counted.
 */
export function buildOpsServer(deps: Parameters<typeof registerOpsRoutes>[1] & { logger: Logger; opsToken?: string }) {
  const app = createHttpServer(deps.logger);
  requireOpsToken(app, deps.opsToken);
  registerOpsRoutes(app, deps);
  return app;
}
