import { Command, InvalidArgumentError } from 'commander';
import { createDeps, type Deps } from './create-deps.ts';
import { createTokenAdmin, type TokenAdmin, tokenRequestSchema } from './token-admin.ts';
import { runGenerate } from './commands/generate.command.ts';
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
  const sim = roles.api && roles.worker && !loaded.threads.baseUrl ? await startEmbeddedSimulator(loaded) : null;
  const platform = await openPlatform(sim ? sim.config : loaded);
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
  if (worker) await startWorker({ ...platform, queue, worker, accounts: shared.accounts });
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

const token = program.command('token').description('API tokens: create, list, revoke');

/** Opens only the platform (no queue, no model): token commands touch one table. */
async function withTokenAdmin<T>(action: (admin: TokenAdmin) => Promise<T>): Promise<T> {
  const platform = await openPlatform(loadConfig());
  try {
    return await action(createTokenAdmin(platform));
  } finally {
    await platform.close();
  }
}

token
  .command('create')
  .description('create an API token and print it once')
  .option('--name <name>', 'what the token is for', 'admin')
  .option('--role <role>', 'admin, editor (personas, tasks, approvals) or viewer (read only)', 'admin')
  .option('--personas <slugs>', 'comma-separated persona slugs (or ids) the token is limited to')
  .option('--expires <date-time>', 'ISO 8601 date-time after which the token is refused, e.g. 2027-01-31T00:00:00Z')
  .action(async (options: { name: string; role: string; personas?: string; expires?: string }) => {
    const request = tokenRequestSchema.safeParse({
      name: options.name,
      role: options.role,
      personas: options.personas?.split(',').map((slug) => slug.trim()),
      expires_at: options.expires,
    });
    if (!request.success) {
      const issue = request.error.issues[0]!;
      const flag = { role: '--role', personas: '--personas', expires_at: '--expires', name: '--name' }[
        String(issue.path[0])
      ];
      throw new InvalidArgumentError(`${flag ?? 'token'}: ${issue.message}`);
    }
    print((await withTokenAdmin((admin) => admin.create(request.data))).token);
  });

token
  .command('list')
  .description('list API tokens (never their values)')
  .action(async () => {
    for (const t of await withTokenAdmin((admin) => admin.list())) {
      const state = t.revoked_at ? `revoked ${t.revoked_at}` : t.expires_at ? `expires ${t.expires_at}` : 'no expiry';
      const personas = t.persona_ids ? t.persona_ids.join(',') : 'all personas';
      print(`${t.id}  ${t.name}  ${t.role}  ${personas}  ${state}  last used ${t.last_used_at ?? 'never'}`);
    }
  });

token
  .command('revoke <id-or-name>')
  .description('revoke an API token by id, or by name when one live token has it')
  .action(async (idOrName: string) => {
    const revoked = await withTokenAdmin((admin) => admin.revoke(idOrName));
    print(`revoked ${revoked.id} (${revoked.name})`);
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
