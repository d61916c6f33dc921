import type { HttpServer } from '../http/http-server.ts';
import { buildApiServer, type ApiServerDeps } from '../http/api-server.ts';
import { buildOpsServer } from '../http/ops-server.ts';
import { ConfigError } from '../../platform/config.ts';
import type { JobHandlers, Queue } from '../../platform/queue/index.ts';
import type { Platform } from '../compose/open-platform.ts';
import type { Shared } from '../compose/shared.ts';
import type { Worker } from '../compose/worker.ts';
import { startTimeScaleTicker } from './time-scale-ticker.ts';

/** Listens, or stops the start with a message naming the setting when the port is taken. */
async function listen(app: Pick<HttpServer, 'listen'>, host: string, port: number, setting: string) {
  await app.listen({ port, host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new ConfigError(
        `${setting}=${port}: the port is already in use on ${host}; choose another (each process on a host needs its own)`,
      );
    }
    if (error.code === 'EACCES') throw new ConfigError(`${setting}=${port}: not allowed to listen on this port here`);
    if (['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EINVAL'].includes(error.code ?? '')) {
      throw new ConfigError(`HOST=${host}: not an address of this machine (${error.code}); use 127.0.0.1 or 0.0.0.0`);
    }
    throw error;
  });
}

export async function startApi(deps: ApiServerDeps & Pick<Platform, 'config'>) {
  const app = await buildApiServer(deps);
  await listen(app, deps.config.host, deps.config.port, 'PORT');
  return app;
}

/** The worker role's /health, /ready and /metrics (`all` serves them on the API's port instead). */
export async function startWorkerOps(deps: Platform & { queue: Queue; vectors: Shared['vectors'] }) {
  const app = buildOpsServer(deps);
  await listen(app, deps.config.host, deps.config.worker.metricsPort, 'WORKER_METRICS_PORT');
  return app;
}

/** Every job the workers take, each a call into one service. */
export function jobHandlers(worker: Worker, shared: Pick<Shared, 'accounts'>): JobHandlers {
  return {
    'generate-posts': (payload, context) => worker.runTask(payload.taskId, context),
    'refresh-threads-tokens': async () => {
      await shared.accounts.refreshExpiring();
    },
    'schedule-posts': async () => {
      await worker.publisher.schedulePosts();
    },
    'publish-post': async (payload, context) => {
      await worker.publisher.publishPost(payload.postId, {
        claim: context.jobId,
        isFinalAttempt: context.isFinalAttempt,
      });
    },
    'collect-insights': async () => {
      await worker.collectInsights();
    },
    'collect-followers': async (payload) => {
      await worker.collectFollowers(payload.personaId);
    },
    autopilot: async () => {
      await worker.runAutopilot();
    },
    'learning-update': async () => {
      await worker.updateLearning();
    },
    'train-predictor': async () => {
      await worker.trainPredictor();
    },
  };
}

/**
 * A rejection nobody awaited (a library's background promise while the database restarts, say) is
 * logged and counted instead of ending the process: every role outlives a database outage.
 */
export function survivesUnhandledRejections(deps: Pick<Platform, 'logger' | 'metrics'>): void {
  process.on('unhandledRejection', (reason) => {
    deps.metrics.unhandledRejections.inc();
    deps.logger.error({ err: reason }, 'unhandled promise rejection (the process keeps running)');
  });
}

export async function startWorker(
  deps: Pick<Platform, 'config' | 'logger'> & { queue: Queue; worker: Worker; accounts: Shared['accounts'] },
) {
  const { concurrency } = deps.config.worker;
  await deps.queue.work(jobHandlers(deps.worker, deps), concurrency);
  deps.logger.info({ concurrency }, 'worker taking jobs');
  // Stops when the queue does; with TIME_SCALE = 1 there is nothing to stop.
  return startTimeScaleTicker(deps, deps.config.timeScale);
}
