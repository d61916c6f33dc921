import type { Deps } from '../create-deps.ts';
import { buildApiServer } from '../http/api-server.ts';
import { buildOpsServer } from '../http/ops-server.ts';
import type { HttpServer } from '../http/http-server.ts';
import { ConfigError } from '../../platform/config.ts';
import { collectFollowers, collectInsights } from '../../insights/index.ts';

/** Listens, or stops the start with a message naming the setting when the port is taken. */
async function listen(app: Pick<HttpServer, 'listen'>, host: string, port: number, setting: string) {
  await app.listen({ port, host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new ConfigError(
      `${setting}=${port}: the port is already in use on ${host}; choose another (each process on a host needs its own)`,
    );
  });
}

export async function startApi(deps: Deps) {
  const app = await buildApiServer(deps);
  await listen(app, deps.config.host, deps.config.port, 'PORT');
  return app;
}

/** The worker role's /health, /ready and /metrics (`all` serves them on the API's port instead). */
export async function startWorkerOps(deps: Deps) {
  const app = buildOpsServer(deps);
  await listen(app, deps.config.host, deps.config.worker.metricsPort, 'WORKER_METRICS_PORT');
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
        await deps.publishing.publishPost(payload.postId, {
          claim: context.jobId,
          isFinalAttempt: context.isFinalAttempt,
        });
      },
      'collect-insights': async () => {
        await collectInsights(deps);
      },
      'collect-followers': async (payload) => {
        await collectFollowers(deps, payload.personaId);
      },
    },
    deps.config.worker.concurrency,
  );
  deps.logger.info({ concurrency: deps.config.worker.concurrency }, 'worker taking jobs');
}
