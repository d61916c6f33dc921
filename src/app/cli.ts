import { Command, InvalidArgumentError } from 'commander';
import { createDeps, type Deps } from './create-deps.ts';
import { createApiToken } from '../auth/index.ts';
import { runGenerate } from './commands/generate.command.ts';
import { type AutopilotOptions, runAutopilotCommand } from './commands/autopilot.command.ts';
import { ConfigError, loadConfig, secretsOf, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/observability/index.ts';
import { simulatorOptions, startEmbeddedSimulator } from './roles/embedded-simulator.ts';
import { startThreadsSimulator } from '../sim/index.ts';
import { META_GRAPH_URL } from '../platform/threads/index.ts';
import { linkSimulatorAccounts } from './roles/link-simulator-accounts.ts';
import { ensureAdminToken, seedPersonaLibrary } from './roles/bootstrap.ts';
import { startApi, startWorker, startWorkerOps, survivesUnhandledRejections } from './roles/roles.ts';
import { composeApi } from './compose/api.ts';
import { openPlatform, startQueue } from './compose/open-platform.ts';
import { composeShared } from './compose/shared.ts';
import { composeWorker } from './compose/worker.ts';
import { createScaledClock } from '../platform/scaled-clock.ts';

const print = (text: string) => process.stdout.write(`${text}\n`);

function positiveInt(max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };
}

async function open(config: Config = loadConfig()): Promise<Deps> {
  const deps = await createDeps(config);
  await seedPersonaLibrary(deps.db, deps.logger);
  return deps;
}

/** Runs a long-lived role until SIGTERM/SIGINT, then stops taking work and closes in order. */
async function serve(roles: { api: boolean; worker: boolean }): Promise<void> {
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

const program = new Command('threads-agent').description('Run AI personas on Threads: generate, publish, measure.');

program
  .command('all', { isDefault: true })
  .description('api and worker in one process (the embedded default)')
  .action(() => serve({ api: true, worker: true }));
program
  .command('api')
  .description('HTTP API: REST, task progress streams, /metrics, /docs')
  .action(() => serve({ api: true, worker: false }));
program
  .command('worker')
  .description('queue consumers: run generation tasks')
  .action(() => serve({ api: false, worker: true }));

program
  .command('sim')
  .description(
    'the Threads API simulator alone (SIM_PORT), for roles run as separate processes: set their THREADS_API_BASE_URL to it',
  )
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, undefined, secretsOf(config));
    const sim = await startThreadsSimulator(simulatorOptions(config, logger));
    logger.info(
      { url: sim.url, seed: config.simulator.seed, speed: config.simulator.speed },
      'Threads simulator listening',
    );
    const stop = () => void sim.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('generate')
  .description('generate posts for a persona from the terminal, showing progress node by node')
  .requiredOption('--persona <slug>', "the persona's slug")
  .option('--topic <text>', "what to write about (default: one of the persona's topics)")
  .option('--variants <n>', 'how many drafts, 1 to 10', positiveInt(10), 1)
  .option('--no-worker', 'only queue the task and follow it; a running worker does the work')
  .action(async (options: { persona: string; topic?: string; variants: number; worker: boolean }) => {
    const deps = await open();
    const code = await runGenerate(deps, options, print);
    await deps.close();
    process.exit(code);
  });

program
  .command('autopilot')
  .description(
    'put personas on autopilot (they write, approve by their approval mode and publish on their own), or take them off',
  )
  .argument('<slugs...>', 'persona slugs')
  .option('--posts-per-day <n>', 'posts a day, 1 to 48', positiveInt(48))
  .option('--topics <list>', "comma-separated topics to rotate (default: the persona's own)")
  .option('--off', 'take the personas off autopilot')
  .option('--learning <mode>', 'on (learn from engagement) or off (uniform choices)')
  .option('--approval <mode>', 'auto or manual approval of the drafts')
  .action(async (slugs: string[], options: AutopilotOptions) => {
    const deps = await open();
    const code = await runAutopilotCommand(deps, slugs, options, print);
    await deps.close();
    process.exit(code);
  });

program
  .command('token')
  .description('API tokens')
  .command('create')
  .option('--name <name>', 'what the token is for', 'admin')
  .description('create an admin API token and print it once')
  .action(async (options: { name: string }) => {
    const platform = await openPlatform(loadConfig());
    print(await createApiToken(platform.db, options.name));
    await platform.close();
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const platform = await openPlatform(loadConfig());
    print('database schema is up to date');
    await platform.close();
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`threads-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
