import { Command, InvalidArgumentError } from 'commander';

// Only commander is loaded up front: each command imports what it needs when it runs, so `--help`
// and the short commands start in a fraction of the time the long-lived roles need.
const print = (text: string) => process.stdout.write(`${text}\n`);

function positiveInt(max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };
}

const serve = async (roles: { api: boolean; worker: boolean }) =>
  (await import('./commands/serve.command.ts')).serve(roles);

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
    const { loadConfig, secretsOf } = await import('../platform/config.ts');
    const { createLogger } = await import('../platform/observability/index.ts');
    const { simulatorOptions } = await import('./roles/embedded-simulator.ts');
    const { startThreadsSimulator } = await import('../sim/index.ts');
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
    const { open } = await import('./commands/serve.command.ts');
    const { runGenerate } = await import('./commands/generate.command.ts');
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
  .action(async (slugs: string[], options: import('./commands/autopilot.command.ts').AutopilotOptions) => {
    const { open } = await import('./commands/serve.command.ts');
    const { runAutopilotCommand } = await import('./commands/autopilot.command.ts');
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
    const { openPlatform } = await import('./compose/open-platform.ts');
    const { loadConfig } = await import('../platform/config.ts');
    const { createApiToken } = await import('../auth/index.ts');
    const platform = await openPlatform(loadConfig());
    print(await createApiToken(platform.db, options.name));
    await platform.close();
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const { openPlatform } = await import('./compose/open-platform.ts');
    const { loadConfig } = await import('../platform/config.ts');
    const platform = await openPlatform(loadConfig());
    print('database schema is up to date');
    await platform.close();
  });

try {
  await program.parseAsync();
} catch (error) {
  const { ConfigError } = await import('../platform/config.ts');
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`threads-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
