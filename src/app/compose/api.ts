import { createDraftEditor, createTasksService } from '../../generation/index.ts';
import { createPostInsightsService } from '../../insights/index.ts';
import { createCostsService, createKpiService } from '../../kpis/index.ts';
import { createApprovalService } from '../../posts/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import { createRevenueService } from '../../revenue/index.ts';
import type { ApiServerDeps } from '../http/api-server.ts';
import type { Platform } from './open-platform.ts';
import type { Shared } from './shared.ts';

/** What the HTTP API serves: reads and user actions. No model, no workflow: those run in workers. */
export function composeApi(platform: Platform, queue: Queue, shared: Shared) {
  const { config, db, now } = platform;
  const deps = {
    ...platform,
    ...shared,
    queue,
    tasks: createTasksService({ db, queue }),
    insights: createPostInsightsService({ db }),
    reportCosts: createCostsService({ db, now }),
    kpis: createKpiService({ db, now }),
    revenue: createRevenueService({ db, now }),
    publishing: createApprovalService({
      db,
      getPost: shared.posts.getPost,
      now,
      minGapMinutes: config.publishing.minGapMinutes,
    }),
    drafts: createDraftEditor({
      db,
      getPost: shared.posts.getPost,
      embedder: shared.embedder,
      vectors: shared.vectors,
      policy: shared.learning.policy,
      settings: config.generation,
      now,
    }),
    learning: shared.learningReports,
    adminToken: config.adminToken,
  };
  return deps satisfies ApiServerDeps;
}
