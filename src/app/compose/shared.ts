import path from 'node:path';
import { createAccountsService, createTokenVault, unlinkAccountOfPersona } from '../../accounts/index.ts';
import { createTaskEvents } from '../../generation/index.ts';
import { createPersonasService } from '../../personas/index.ts';
import { createPostsService, createVectorStore, detectVectorMode, rejectUnpublished } from '../../posts/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import { createLearningPolicy, createLearningService } from '../../learning/index.ts';
import { createThreadsClient } from '../../platform/threads/index.ts';
import type { Config } from '../../platform/config.ts';
import { createLocalEmbedder, createOpenAiEmbedder, type Embedder } from '../../platform/embeddings/index.ts';
import { createOpenAiClient } from '../../platform/llm/index.ts';
import type { Platform } from './open-platform.ts';

export interface SharedOverrides {
  embedder?: Embedder;
}

function createEmbedder(config: Config): Embedder {
  if (config.embeddings.provider === 'local') return createLocalEmbedder();
  return createOpenAiEmbedder({ client: createOpenAiClient(config.llm), model: config.embeddings.model });
}

/** The parts both the API and the worker use, built once per process. */
export async function composeShared(platform: Platform, queue: Queue, overrides: SharedOverrides = {}) {
  const { config, db, metrics, logger, now } = platform;
  const threads = createThreadsClient({
    baseUrl: config.threads.baseUrl,
    timeoutMs: config.threads.timeoutMs,
    onRequest: (endpoint, statusCode) => metrics.threadsApiRequests.inc({ endpoint, status_code: String(statusCode) }),
  });
  const vault = createTokenVault({
    key: config.tokenEncryptionKey,
    keyFile: path.join(config.dataDir, 'token-encryption.key'),
  });
  const vectors = createVectorStore({ db, mode: await detectVectorMode(db), logger });
  // A deleted persona stops publishing: its account is unlinked (token wiped), its unpublished posts rejected.
  const personas = createPersonasService({
    db,
    onDelete: [unlinkAccountOfPersona, (tx, personaId) => rejectUnpublished(tx, personaId, 'the persona was deleted')],
  });
  const learning = createLearningPolicy({ db, now, metrics, settings: config.learning });
  return {
    // The worker's duplicate check and the API's edit of a draft compare vectors of one model.
    embedder: overrides.embedder ?? createEmbedder(config),
    learning,
    learningReports: createLearningService({ db, now, metrics, settings: config.learning, model: learning.model }),
    threads,
    vault,
    vectors,
    personas,
    events: createTaskEvents(db),
    posts: createPostsService({ db, vectors }),
    accounts: createAccountsService({ db, personas, queue, threads, vault, config: config.threads, now, logger }),
  };
}

export type Shared = Awaited<ReturnType<typeof composeShared>>;
