import type { Deps } from '../app/create-deps.ts';
import { buildApp } from '../api/app.ts';
import { collectFollowers } from '../insights/collect-followers.ts';
import { collectInsights } from '../insights/collect-insights.ts';

export async function startApi(deps: Deps) {
  const app = await buildApp(deps);
  await app.listen({ port: deps.config.port, host: deps.config.host });
  return app;
}

export async function startWorker(deps: Deps): Promise<void> {
  await deps.queue.work(
    {
      'generate-posts': (payload, context) => deps.runTask(payload.taskId, context),
      'refresh-threads-tokens': async () => {
        await deps.accounts.refreshExpiring();
      },
      'schedule-posts': async () => {
        await deps.publishing.schedulePosts();
      },
      'publish-post': async (payload, context) => {
        await deps.publishing.publishPost(payload.postId, { claim: context.jobId, isFinalAttempt: context.isFinalAttempt });
      },
      'collect-insights': async () => {
        await collectInsights(deps);
      },
      'collect-followers': async () => {
        await collectFollowers(deps);
      },
    },
    deps.config.worker.concurrency,
  );
  deps.logger.info({ concurrency: deps.config.worker.concurrency }, 'worker taking jobs');
}
