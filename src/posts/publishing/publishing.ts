import type { Logger } from 'pino';
import type { TokenVault } from '../../accounts/index.ts';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import type { PostsService } from '../posts.service.ts';
import type { Queue } from '../../platform/queue/index.ts';
import type { ThreadsClient } from '../../platform/threads/index.ts';
import { createApprovalService } from './approval.service.ts';
import { publishPost, type PublishRun } from './publish-post.ts';
import { schedulePosts } from './schedule-posts.ts';

export interface PublishingDeps {
  db: Database;
  posts: Pick<PostsService, 'getPost'>;
  queue: Pick<Queue, 'sendOnce'>;
  threads: ThreadsClient;
  vault: TokenVault;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  config: Config['publishing'];
}

/** Approval (API), the one-minute scheduling tick and the publish-post job, over one set of dependencies. */
export function createPublishing(deps: PublishingDeps) {
  const { minGapMinutes } = deps.config;
  return {
    ...createApprovalService({ db: deps.db, getPost: deps.posts.getPost, now: deps.now, minGapMinutes }),
    schedulePosts: () => schedulePosts({ db: deps.db, queue: deps.queue, now: deps.now, minGapMinutes }),
    publishPost: (postId: string, run: PublishRun) => publishPost({ ...deps, minGapMinutes }, postId, run),
  };
}

export type Publishing = ReturnType<typeof createPublishing>;
