import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { createAccountsService, unlinkAccountOfPersona, createTokenVault } from '../accounts/index.ts';
import {
  rejectUnpublished,
  createVectorStore,
  detectVectorMode,
  createPostsService,
  createPublishing,
} from '../posts/index.ts';
import type { Config } from '../platform/config.ts';
import {
  lockDataDir,
  type Database,
  instrumentDatabase,
  migrate,
  createPgliteDatabase,
  createPostgresDatabase,
} from '../platform/db/index.ts';
import { type Embedder, createLocalEmbedder, createOpenAiEmbedder } from '../platform/embeddings/index.ts';
import {
  type ContentModel,
  createOfflineComposer,
  createOpenAiCompatibleModel,
  createPersonaGraph,
  createTaskRunner,
  createTaskEvents,
  createTasksService,
} from '../generation/index.ts';
import {
  createBudgets,
  createChatGateway,
  createProviderBreaker,
  createOpenAiClient,
  providerHost,
  createPricing,
  loadPriceOverrides,
  type Pricing,
} from '../platform/llm/index.ts';
import { createCostsService, createKpiService } from '../kpis/index.ts';
import { createLogger, createMetrics, type Metrics, startTracing } from '../platform/observability/index.ts';
import { createRevenueService } from '../revenue/index.ts';
import { createPersonasService } from '../personas/index.ts';
import { createPostInsightsService } from '../insights/index.ts';
import { createQueue } from '../platform/queue/index.ts';
import { createThreadsClient } from '../platform/threads/index.ts';

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
  const vault = createTokenVault({
    key: config.tokenEncryptionKey,
    keyFile: path.join(config.dataDir, 'token-encryption.key'),
  });
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
