import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import { createOffsetClock, startThreadsSimulator, type ThreadsSimulatorOptions } from '../../sim/index.ts';

/** The simulator's own app credentials, used when THREADS_APP_ID/SECRET are unset: they guard nothing real. */
const SIM_APP = { appId: 'threads-agent-sim', appSecret: 'threads-agent-sim-secret' };

export function simulatorOptions(
  config: Config,
  logger?: Logger,
  productNow?: () => Date,
): ThreadsSimulatorOptions & { port: number; host: string } {
  // In process and at the product's own speed, the simulator reads the product's clock: the hours they
  // see agree to the second, however long the start took.
  const clock =
    productNow && config.simulator.speed === config.timeScale
      ? { now: () => productNow().getTime() }
      : createOffsetClock({ speed: config.simulator.speed });
  return {
    seed: config.simulator.seed,
    appId: config.threads.appId ?? SIM_APP.appId,
    appSecret: config.threads.appSecret ?? SIM_APP.appSecret,
    clock,
    // Kept under DATA_DIR, so the accounts and tokens stored in the database stay valid across restarts.
    stateFile: config.simulator.stateFile,
    containerReadyMs: config.simulator.containerReadyMs,
    port: config.simulator.port,
    host: config.simulator.host,
    logger: logger?.child({ component: 'threads-sim' }),
  };
}

/**
 * `npm start`'s Threads: the simulator in this process, and the config pointed at it
 * (its app credentials, and the API's own OAuth callback as redirect URI).
 */
export async function startEmbeddedSimulator(config: Config, productNow?: () => Date) {
  const options = simulatorOptions(config, undefined, productNow);
  const sim = await startThreadsSimulator(options);
  const derived: Config = {
    ...config,
    threads: {
      ...config.threads,
      baseUrl: sim.url,
      appId: options.appId,
      appSecret: options.appSecret,
      redirectUri: config.threads.redirectUri ?? `http://${config.host}:${config.port}/v1/threads/oauth/callback`,
    },
  };
  return { url: sim.url, config: Object.freeze(derived), close: sim.close };
}
