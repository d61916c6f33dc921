import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import { createTokenVerifier } from '../../auth/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { ApprovalService, PostsService, VectorStore } from '../../posts/index.ts';
import type { KpiService, ReportCosts } from '../../kpis/index.ts';
import type { RevenueService } from '../../revenue/index.ts';
import type { AccountsService } from '../../accounts/index.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import { registerHttpTracing } from './http-tracing.ts';
import type { PersonasService } from '../../personas/index.ts';
import type { PostInsightsService } from '../../insights/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import { createTaskEventHub, type TaskEvents, type TasksService } from '../../generation/index.ts';
import { registerDashboard } from './dashboard.routes.ts';
import { registerOpsSummaryRoutes } from './routes/ops-summary.routes.ts';
import { registerCostRoutes } from './routes/costs.routes.ts';
import { registerKpiRoutes } from './routes/kpis.routes.ts';
import { registerLearningRoutes } from './routes/learning.routes.ts';
import type { LearningService } from '../../learning/index.ts';
import { registerOpsRoutes } from './routes/ops.routes.ts';
import { registerPersonaRoutes } from './routes/personas.routes.ts';
import { registerPostRoutes } from './routes/posts.routes.ts';
import { registerInsightsRoutes } from './routes/insights.routes.ts';
import { registerRevenueRoutes } from './routes/revenue.routes.ts';
import { OAUTH_CALLBACK_ROUTE, registerAccountRoutes } from './routes/accounts.routes.ts';
import { registerPublishingRoutes } from './routes/publishing.routes.ts';
import { registerTaskRoutes } from './routes/tasks.routes.ts';
import { createHttpServer } from './http-server.ts';
import { createStreamLimiter } from './stream-limiter.ts';

export interface ApiServerDeps {
  db: Database;
  queue: Queue;
  metrics: Metrics;
  logger: Logger;
  events: TaskEvents;
  personas: PersonasService;
  tasks: TasksService;
  posts: PostsService;
  insights: PostInsightsService;
  reportCosts: ReportCosts;
  kpis: KpiService;
  revenue: RevenueService;
  learning: LearningService;
  accounts: AccountsService;
  publishing: ApprovalService;
  vectors: Pick<VectorStore, 'mode'>;
  adminToken?: string;
  now: () => Date;
  config: Pick<Config, 'api'> & { llm: { budgets: { globalDailyUsd?: number } } };
}

/** Builds the HTTP app without listening, so tests can `inject` or listen on a port of their own. */
export async function buildApiServer(deps: ApiServerDeps) {
  const app = createHttpServer(deps.logger, { validateResponses: deps.config.api.validateResponses });

  await app.register(swagger, {
    openapi: {
      info: { title: 'threads-agent API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // First of the request hooks, so the auth check and everything after it run inside the request's span.
  registerHttpTracing(app);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const verifyToken = createTokenVerifier({
    db: deps.db,
    adminToken: deps.adminToken,
    cacheTtlMs: deps.config.api.tokenCacheMs,
  });
  app.addHook('onRequest', async (request, reply) => {
    // The matched route pattern, not the raw URL, decides: no encoding trick reaches /v1 unchecked.
    // The OAuth callback is opened by a browser coming back from Threads: its single-use state authenticates it.
    if (!request.routeOptions.url?.startsWith('/v1/') || request.routeOptions.url === OAUTH_CALLBACK_ROUTE) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const message = match ? 'the bearer token is not valid' : 'send Authorization: Bearer <token>';
    if (match) {
      // A database that cannot be asked is an outage (503), not a verdict on the token.
      const valid = await verifyToken(match[1]!).catch((error: unknown) => {
        request.log.warn({ err: error }, 'token check failed: database unreachable');
        return null;
      });
      if (valid) return;
      if (valid === null)
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: { code: 'unavailable', message: 'the database is unreachable; retry shortly' } });
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: { code: 'unauthorized', message } });
  });

  registerOpsRoutes(app, deps);
  registerPersonaRoutes(app, deps.personas);
  // One reader of task events for every open stream of this process (not one poll per stream).
  const hub = createTaskEventHub({ db: deps.db, events: deps.events });
  // Before the server waits for its connections: open streams end, so closing does not wait on them.
  app.addHook('preClose', async () => hub.close());
  registerTaskRoutes(app, {
    tasks: deps.tasks,
    hub,
    streams: createStreamLimiter(deps.config.api.sseMaxStreamsPerToken),
  });
  registerPostRoutes(app, deps.posts, deps.insights);
  registerInsightsRoutes(app, deps.insights);
  registerCostRoutes(app, deps.reportCosts);
  registerKpiRoutes(app, deps.kpis);
  registerLearningRoutes(app, deps.learning);
  registerRevenueRoutes(app, deps.revenue);
  registerAccountRoutes(app, deps.accounts);
  registerPublishingRoutes(app, deps.publishing);
  registerOpsSummaryRoutes(app, { ...deps, globalDailyBudgetUsd: deps.config.llm.budgets.globalDailyUsd });
  await registerDashboard(app);
  return app;
}

export type ApiServer = Awaited<ReturnType<typeof buildApiServer>>;
