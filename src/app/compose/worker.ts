import os from 'node:os';
import {
  type ContentModel,
  createOfflineComposer,
  createOpenAiCompatibleModel,
  createPersonaGraph,
  createTaskRunner,
  createTasksService,
} from '../../generation/index.ts';
import { runAutopilot, trainPredictor } from '../../learning/index.ts';
import { collectFollowers, collectInsights } from '../../insights/index.ts';
import { refreshKpiRollup } from '../../kpis/index.ts';
import { createPublishing, createThreadsBreakers } from '../../posts/index.ts';
import { META_GRAPH_URL } from '../../platform/threads/index.ts';
import {
  createBudgets,
  createChatGateway,
  createOpenAiClient,
  createPricing,
  createProviderBreaker,
  loadPriceOverrides,
  providerHost,
} from '../../platform/llm/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import type { Platform } from './open-platform.ts';
import type { Shared } from './shared.ts';

export interface WorkerOverrides {
  model?: ContentModel;
}

/** The offline composer, or the OpenAI-compatible models behind the gateway (price table, cache, retries, breaker). */
export function createContentModel(platform: Platform): ContentModel {
  const { config, db, metrics, logger } = platform;
  const { llm } = config;
  if (llm.provider === 'offline') return createOfflineComposer();
  const gateway = createChatGateway({
    client: createOpenAiClient(llm),
    db,
    metrics,
    pricing: createPricing(loadPriceOverrides(llm), logger),
    breaker: createProviderBreaker({ host: providerHost(llm.baseURL), ...llm.breaker, metrics }),
    cacheTtlSeconds: llm.cacheTtlSeconds,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    logger,
  });
  return createOpenAiCompatibleModel({ gateway, hookModel: llm.hookModel, bodyModel: llm.bodyModel });
}

/** What the queue consumers run: the persona workflow with its model, publishing, and the collectors. */
export function composeWorker(platform: Platform, queue: Queue, shared: Shared, overrides: WorkerOverrides = {}) {
  const { config, db, metrics, logger, now } = platform;
  const model = overrides.model ?? createContentModel(platform);
  const graph = createPersonaGraph({
    db,
    model,
    metrics,
    settings: config.generation,
    recordEvent: shared.events.enqueue,
    embedder: shared.embedder,
    vectors: shared.vectors,
    reserveBudget: createBudgets({
      db,
      globalDailyUsd: config.llm.budgets.globalDailyUsd,
      personaDailyUsd: config.llm.budgets.personaDailyUsd,
    }),
    autoApproveMinScore: config.publishing.autoApproveMinScore,
    now,
    policy: shared.learning.policy,
    candidates: config.learning.candidates,
  });
  const collectors = { db, threads: shared.threads, vault: shared.vault, now, logger, timeScale: config.timeScale };
  const tasks = createTasksService({ db, queue });
  return {
    model,
    runTask: createTaskRunner({
      db,
      graph,
      events: shared.events,
      metrics,
      logger,
      maxAttempts: config.generation.maxAttempts,
      workerId: `${os.hostname()}:${process.pid}`,
    }),
    publisher: createPublishing({
      db,
      queue,
      threads: shared.threads,
      vault: shared.vault,
      breakers: createThreadsBreakers({
        host: new URL(config.threads.baseUrl ?? META_GRAPH_URL).host,
        failures: config.threads.breaker.failures,
        halfOpenMs: config.threads.breaker.halfOpenSeconds * 1000,
        gauge: metrics.circuitBreakerState,
      }),
      metrics,
      logger,
      now,
      config: config.publishing,
    }),
    collectInsights: () => collectInsights(collectors),
    collectFollowers: (personaId?: string) => collectFollowers(collectors, personaId),
    runAutopilot: () =>
      runAutopilot({
        db,
        now,
        logger,
        metrics,
        tasks,
        model: shared.learning.model,
        settings: config.learning,
        minGapMinutes: config.publishing.minGapMinutes,
      }),
    /** Rewards for the posts that came of age, then the learning gauges. */
    updateLearning: () => shared.learningReports.update(),
    trainPredictor: async () => {
      if (await trainPredictor({ db, now })) await shared.learningReports.update();
    },
    refreshKpis: () => refreshKpiRollup(db, now()),
  };
}

export type Worker = ReturnType<typeof composeWorker>;
