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
import { createTaskEventHub, type DraftEditor, type TaskEvents, type TasksService } from '../../generation/index.ts';
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
import { registerAuthorization } from './authorization.ts';
import { registerRateLimit } from './rate-limit.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerAuditLog } from './audit.ts';
import { registerTokenRoutes } from './routes/tokens.routes.ts';
import { registerAuditRoutes } from './routes/audit.routes.ts';
import { createTokenAdmin } from '../token-admin.ts';

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
  drafts: DraftEditor;
  vectors: Pick<VectorStore, 'mode'>;
  adminToken?: string;
  now: () => Date;
  config: Pick<Config, 'api' | 'security'> & { llm: { budgets: { globalDailyUsd?: number } } };
}

/** Builds the HTTP app without listening, so tests can `inject` or listen on a port of their own. */
export async function buildApiServer(deps: ApiServerDeps) {
  const app = createHttpServer(deps.logger, {
    validateResponses: deps.config.api.validateResponses,
    trustProxy: deps.config.security.trustProxy,
  });

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
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  await registerSecurityHeaders(app, deps.config.security.corsOrigins);
  const tokens = createTokenVerifier({ db: deps.db, adminToken: deps.adminToken, now: deps.now });
  app.addHook('onClose', async () => tokens.close());
  await tokens.ready;
  registerAuthorization(app, { db: deps.db, verifyToken: tokens.verify, openRoutes: [OAUTH_CALLBACK_ROUTE] });
  await registerRateLimit(app, { db: deps.db, limits: deps.config.security.rateLimit });
  registerAuditLog(app, deps);

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
  registerPostRoutes(app, deps);
  registerInsightsRoutes(app, deps.insights);
  registerCostRoutes(app, deps.reportCosts);
  registerKpiRoutes(app, deps.kpis);
  registerLearningRoutes(app, deps.learning);
  registerRevenueRoutes(app, deps.revenue);
  registerAccountRoutes(app, deps.accounts);
  registerPublishingRoutes(app, deps.publishing);
  registerOpsSummaryRoutes(app, { ...deps, globalDailyBudgetUsd: deps.config.llm.budgets.globalDailyUsd });
  await registerDashboard(app);
  registerTokenRoutes(app, createTokenAdmin({ ...deps, onRevoked: tokens.forget }));
  registerAuditRoutes(app, deps.db);
  return app;
}

export type ApiServer = Awaited<ReturnType<typeof buildApiServer>>;
