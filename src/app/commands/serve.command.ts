import { createDeps, type Deps } from '../create-deps.ts';
import { loadConfig, type Config } from '../../platform/config.ts';
import { META_GRAPH_URL } from '../../platform/threads/index.ts';
import { startEmbeddedSimulator } from '../roles/embedded-simulator.ts';
import { linkSimulatorAccounts } from '../roles/link-simulator-accounts.ts';
import { ensureAdminToken, seedPersonaLibrary } from '../roles/bootstrap.ts';
import { startApi, startWorker, startWorkerOps, survivesUnhandledRejections } from '../roles/roles.ts';
import { composeApi } from '../compose/api.ts';
import { openPlatform, startQueue } from '../compose/open-platform.ts';
import { composeShared } from '../compose/shared.ts';
import { composeWorker } from '../compose/worker.ts';
import { createScaledClock } from '../../platform/scaled-clock.ts';

export async function open(config: Config = loadConfig()): Promise<Deps> {
  const deps = await createDeps(config);
  await seedPersonaLibrary(deps.db, deps.logger);
  return deps;
}

/** Runs a long-lived role until SIGTERM/SIGINT, then stops taking work and closes in order. */
export async function serve(roles: { api: boolean; worker: boolean }): Promise<void> {
  const loaded = loadConfig();
  // The embedded default talks to a simulator in this process, so it publishes with no Meta app.
  const now = createScaledClock(loaded.timeScale);
  const sim = roles.api && roles.worker && !loaded.threads.baseUrl ? await startEmbeddedSimulator(loaded, now) : null;
  const platform = await openPlatform(sim ? sim.config : loaded, { now });
  survivesUnhandledRejections(platform);
  await seedPersonaLibrary(platform.db, platform.logger);
  const queue = await startQueue(platform);
  const shared = await composeShared(platform, queue);
  // Each role is wired with only what it runs: the API builds no model, the worker no HTTP routes.
  const api = roles.api ? composeApi(platform, queue, shared) : null;
  const worker = roles.worker ? composeWorker(platform, queue, shared) : null;
  const { config, logger, db } = platform;
  // A worker alone serves /health, /ready and /metrics on WORKER_METRICS_PORT, the API on PORT. Both
  // listen before any account is linked, so a taken port stops the first start before it changes anything.
  const app = api ? await startApi(api) : await startWorkerOps({ ...platform, queue, vectors: shared.vectors });
  if (sim) await linkSimulatorAccounts({ ...platform, ...shared, queue }, sim.url);
  if (sim && db.kind === 'postgres') {
    logger.warn(
      { simulator: sim.url },
      'THREADS_API_BASE_URL is unset: `all` publishes to its in-process Threads simulator, not to Threads; set THREADS_API_BASE_URL=https://graph.threads.net for the real one',
    );
  }
  const address = app.server.address();
  // On standard error, apart from the JSON logs on standard output, so a log shipper never carries it.
  if (api) await ensureAdminToken(db, config.adminToken, (text) => process.stderr.write(`${text}\n`));
  const stopTicker = worker ? await startWorker({ ...platform, queue, worker, accounts: shared.accounts }) : () => {};
  logger.info(
    {
      roles,
      database: db.kind,
      model: worker?.model.provider,
      url: typeof address === 'object' && address ? `http://${config.host}:${address.port}` : undefined,
      threads: sim ? `simulator at ${sim.url}` : (config.threads.baseUrl ?? META_GRAPH_URL),
    },
    'threads-agent started',
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopTicker();
    await app.close();
    await queue.stop();
    await platform.close();
    await sim?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
