import { Command, InvalidArgumentError } from 'commander';
import type { TokenAdmin } from './token-admin.ts';

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

const token = program.command('token').description('API tokens: create, list, revoke');

/** Opens only the platform (no queue, no model): token commands touch one table. */
async function withTokenAdmin<T>(action: (admin: TokenAdmin) => Promise<T>): Promise<T> {
  const { openPlatform } = await import('./compose/open-platform.ts');
  const { loadConfig } = await import('../platform/config.ts');
  const { createTokenAdmin } = await import('./token-admin.ts');
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
    const { tokenRequestSchema } = await import('./token-admin.ts');
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
