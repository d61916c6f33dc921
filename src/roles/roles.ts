import type { Deps } from '../app/create-deps.ts';
import { buildApp } from '../api/app.ts';

export async function startApi(deps: Deps) {
  const app = await buildApp(deps);
  await app.listen({ port: deps.config.port, host: deps.config.host });
  return app;
}

export async function startWorker(deps: Deps): Promise<void> {
  await deps.queue.work(
    { 'generate-posts': (payload, context) => deps.runTask(payload.taskId, context) },
    deps.config.worker.concurrency,
  );
  deps.logger.info({ concurrency: deps.config.worker.concurrency }, 'worker taking jobs');
}
