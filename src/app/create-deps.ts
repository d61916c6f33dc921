import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { createAccountsService } from '../accounts/accounts.service.ts';
import { unlinkAccountOfPersona } from '../accounts/account.repository.ts';
import { rejectUnpublished } from '../posts/publishing/approval.repository.ts';
import { createTokenVault } from '../accounts/token-vault.ts';
import type { Config } from '../platform/config.ts';
import { lockDataDir } from '../platform/db/data-dir-lock.ts';
import type { Database } from '../platform/db/database.ts';
import { instrumentDatabase } from '../platform/db/instrumented-database.ts';
import { migrate } from '../platform/db/migrate.ts';
import type { Embedder } from '../platform/embeddings/embedder.ts';
import { createLocalEmbedder } from '../platform/embeddings/local-embedder.ts';
import { createOpenAiEmbedder } from '../platform/embeddings/openai-embedder.ts';
import { createVectorStore, detectVectorMode } from '../posts/vector-store.ts';
import { createPgliteDatabase } from '../platform/db/pglite-database.ts';
import { createPostgresDatabase } from '../platform/db/postgres-database.ts';
import type { ContentModel } from '../generation/model/content-model.ts';
import { createOfflineComposer } from '../generation/model/offline-composer.ts';
import { createBudgets } from '../platform/llm/budgets.ts';
import { createChatGateway } from '../platform/llm/chat-gateway.ts';
import { createCostsService } from '../kpis/costs.service.ts';
import { createProviderBreaker } from '../platform/llm/circuit-breaker.ts';
import { createOpenAiClient, providerHost } from '../platform/llm/openai-client.ts';
import { createOpenAiCompatibleModel } from '../generation/model/openai-compatible-model.ts';
import { createPricing, loadPriceOverrides, type Pricing } from '../platform/llm/pricing.ts';
import { createKpiService } from '../kpis/kpi.service.ts';
import { createLogger } from '../platform/observability/logger.ts';
import { createRevenueService } from '../revenue/revenue.service.ts';
import { createMetrics, type Metrics } from '../platform/observability/metrics.ts';
import { startTracing } from '../platform/observability/tracing.ts';
import { createPersonasService } from '../personas/personas.service.ts';
import { createPostsService } from '../posts/posts.service.ts';
import { createPostInsightsService } from '../insights/post-insights.service.ts';
import { createPublishing } from '../posts/publishing/publishing.ts';
import { createQueue } from '../platform/queue/queue.ts';
import { createPersonaGraph } from '../generation/workflow/persona-graph.ts';
import { createThreadsClient } from '../platform/threads/index.ts';
import { createTaskRunner } from '../generation/tasks/run-task.ts';
import { createTaskEvents } from '../generation/tasks/task-events.ts';
import { createTasksService } from '../generation/tasks/tasks.service.ts';

export interface DepsOverrides {
  db?: Database;
  logger?: Logger;
  model?: ContentModel;
  embedder?: Embedder;
  /** The time every scheduling rule reads; tests pass a clock they move by hand. */
  now?: () => Date;
}

async function openDatabase(config: Config): Promise<{ db: Database; release: () => void }> {
  if (config.database.kind === 'postgres') {
    return { db: createPostgresDatabase(config.database), release: () => {} };
  }
  const release = lockDataDir(config.dataDir);
  try {
    return { db: await createPgliteDatabase(config.database.dir), release };
  } catch (error) {
    release();
    throw error;
  }
}

/** The offline composer, or the OpenAI-compatible models behind the gateway (price table, cache, retries, breaker). */
export function createContentModel(
  config: Config,
  deps: { db: Database; metrics: Metrics; logger: Logger; pricing: Pricing },
): ContentModel {
  const { llm } = config;
  if (llm.provider === 'offline') return createOfflineComposer();
  const gateway = createChatGateway({
    client: createOpenAiClient(llm),
    db: deps.db,
    metrics: deps.metrics,
    pricing: deps.pricing,
    breaker: createProviderBreaker({ host: providerHost(llm.baseURL), ...llm.breaker, metrics: deps.metrics }),
    cacheTtlSeconds: llm.cacheTtlSeconds,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    logger: deps.logger,
  });
  return createOpenAiCompatibleModel({ gateway, hookModel: llm.hookModel, bodyModel: llm.bodyModel });
}

function createEmbedder(config: Config): Embedder {
  if (config.embeddings.provider === 'local') return createLocalEmbedder();
  return createOpenAiEmbedder({ client: createOpenAiClient(config.llm), model: config.embeddings.model });
}

/** Everything every role shares, wired once. Migrates the schema and starts the queue. */
export async function createDeps(config: Config, overrides: DepsOverrides = {}) {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  // Once per process; exports over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing(config.tracing);
  const pricing = createPricing(loadPriceOverrides(config.llm), logger);
  const opened = overrides.db ? { db: overrides.db, release: () => {} } : await openDatabase(config);
  const metrics = createMetrics();
  // Every statement is timed (db_query_duration_seconds) and, inside a request or a job, traced.
  const db = instrumentDatabase(opened.db, metrics);
  const queue = createQueue(
    { db, metrics, logger },
    {
      retryLimit: config.worker.retryLimit,
      retryDelaySeconds: config.worker.retryDelaySeconds,
      pollSeconds: config.worker.pollSeconds,
    },
  );
  try {
    await migrate(db);
    await queue.start();
  } catch (error) {
    await db.close().catch(() => {});
    opened.release();
    throw error;
  }
  const now = overrides.now ?? (() => new Date());
  const threads = createThreadsClient({
    baseUrl: config.threads.baseUrl,
    timeoutMs: config.threads.timeoutMs,
    onRequest: (endpoint, statusCode) => metrics.threadsApiRequests.inc({ endpoint, status_code: String(statusCode) }),
  });
  const vault = createTokenVault({ key: config.tokenEncryptionKey, keyFile: path.join(config.dataDir, 'token-encryption.key') });
  const events = createTaskEvents(db);
  const model = overrides.model ?? createContentModel(config, { db, metrics, logger, pricing });
  const embedder = overrides.embedder ?? createEmbedder(config);
  const vectors = createVectorStore({ db, mode: await detectVectorMode(db), logger });
  const graph = createPersonaGraph({
    db,
    model,
    metrics,
    settings: config.generation,
    recordEvent: events.record,
    embedder,
    vectors,
    reserveBudget: createBudgets({
      db,
      globalDailyUsd: config.llm.budgets.globalDailyUsd,
      personaDailyUsd: config.llm.budgets.personaDailyUsd,
    }),
    autoApproveMinScore: config.publishing.autoApproveMinScore,
    now,
  });
  const runTask = createTaskRunner({
    db,
    graph,
    events,
    metrics,
    logger,
    maxAttempts: config.generation.maxAttempts,
    workerId: `${os.hostname()}:${process.pid}`,
  });

  // A deleted persona stops publishing: its account is unlinked (token wiped), its unpublished posts rejected.
  const personas = createPersonasService({
    db,
    onDelete: [unlinkAccountOfPersona, (tx, personaId) => rejectUnpublished(tx, personaId, 'the persona was deleted')],
  });
  const posts = createPostsService({ db, vectors });
  return {
    config,
    logger,
    now,
    threads,
    vault,
    db,
    metrics,
    queue,
    events,
    model,
    vectors,
    runTask,
    personas,
    tasks: createTasksService({ db, queue }),
    posts,
    insights: createPostInsightsService({ db }),
    reportCosts: createCostsService({ db }),
    kpis: createKpiService({ db }),
    revenue: createRevenueService({ db }),
    accounts: createAccountsService({ db, personas, queue, threads, vault, config: config.threads, now, logger }),
    publishing: createPublishing({ db, posts, queue, threads, vault, metrics, logger, now, config: config.publishing }),
    adminToken: config.adminToken,
    /** Stops taking work, lets running jobs finish (or hands them back), then closes the database. */
    async close(): Promise<void> {
      await queue.stop();
      await db.close();
      opened.release();
      await tracing.flush().catch(() => {});
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
