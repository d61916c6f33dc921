import type { Logger } from 'pino';
import type { TokenVault } from '../../accounts/index.ts';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import type { ThreadsClient } from '../../platform/threads/index.ts';
import { type PublishRun, publishPost } from './publish-post.ts';
import { schedulePosts } from './schedule-posts.ts';
import type { ThreadsBreakers } from './threads-breakers.ts';

export interface PublishingDeps {
  db: Database;
  breakers: ThreadsBreakers;
  queue: Pick<Queue, 'sendOnce'>;
  threads: ThreadsClient;
  vault: TokenVault;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  config: Config['publishing'];
}

/** The worker's side of publishing: the one-minute scheduling tick and the publish-post job. */
export function createPublishing(deps: PublishingDeps) {
  const { minGapMinutes } = deps.config;
  return {
    schedulePosts: () =>
      schedulePosts({ db: deps.db, queue: deps.queue, now: deps.now, minGapMinutes, timeScale: deps.config.timeScale }),
    publishPost: (postId: string, run: PublishRun) => publishPost({ ...deps, minGapMinutes }, postId, run),
  };
}

export type Publishing = ReturnType<typeof createPublishing>;
