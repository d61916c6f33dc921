import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin.routes.ts';
import { createFaultInjector } from './fault-injection.ts';
import { registerGraphErrorHandler } from './graph-error.ts';
import { registerInsightsRoutes } from './insights.routes.ts';
import { registerMediaRoutes } from './media.routes.ts';
import { registerOauthRoutes } from './oauth.routes.ts';
import { registerPublishRoutes } from './publish.routes.ts';
import { registerReplyRoutes } from './replies.routes.ts';
import { createOffsetClock, type SimClock } from './sim-clock.ts';
import type { SimContext } from './sim-context.ts';
import { createEmptyState, type SimState } from './sim-state.ts';
import { createStateStore, loadStateFile } from './state-store.ts';

export interface ThreadsSimulatorOptions {
  /** Seeds ids and the engagement model: the same seed and requests give the same world. */
  seed: number;
  appId: string;
  appSecret: string;
  appName?: string;
  /** Default: wall-clock time that /__sim/clock/advance can move forward. */
  clock?: SimClock;
  /** JSON file the state is loaded from and saved to (debounced, atomic); in memory only without it. */
  stateFile?: string;
  persistDebounceMs?: number;
  /** How long a new container stays IN_PROGRESS (default 2 s). */
  containerReadyMs?: number;
  /** Rolling-24-hour limits (default 250 posts, 1,000 replies). */
  quotas?: { posts?: number; replies?: number };
  /** Registered redirect URIs for OAuth; any is accepted without this list. */
  redirectUris?: readonly string[];
  /** Send the OAuth user_id as a bare JSON number, as Meta does, instead of the spec's string. */
  numericOAuthUserId?: boolean;
  /** Serve the /__sim/ test and demo controls (default true). */
  admin?: boolean;
  /** Request lines are logged without their query string (it carries tokens). */
  logger?: FastifyBaseLogger;
}

function createContext(options: ThreadsSimulatorOptions): SimContext {
  const clock = options.clock ?? createOffsetClock();
  const saved = options.stateFile ? loadStateFile(options.stateFile) : null;
  // A restarted simulator resumes at the time it had reached, even if that time was fast-forwarded.
  if (saved && clock.advance && saved.lastNow > clock.now()) clock.advance(saved.lastNow - clock.now());
  const state: SimState = saved ?? createEmptyState(clock.now());
  return {
    state,
    seed: options.seed,
    clock,
    settings: {
      appId: options.appId,
      appSecret: options.appSecret,
      appName: options.appName ?? 'threads-agent (simulated)',
      containerReadyMs: options.containerReadyMs ?? 2_000,
      postQuota: options.quotas?.posts ?? 250,
      replyQuota: options.quotas?.replies ?? 1_000,
      redirectUris: options.redirectUris ?? null,
      numericOAuthUserId: options.numericOAuthUserId ?? false,
    },
    faults: createFaultInjector(),
    store: createStateStore(options.stateFile, () => state, options.persistDebounceMs ?? 250),
    now() {
      const t = clock.now();
      if (t > state.lastNow) state.lastNow = t;
      return t;
    },
  };
}

/** The Threads Graph API on localhost (see docs/simulator.md): same paths, shapes, errors and limits. */
export async function buildThreadsSimulator(options: ThreadsSimulatorOptions): Promise<FastifyInstance> {
  const ctx = createContext(options);
  const app = options.logger
    ? Fastify({ loggerInstance: options.logger, disableRequestLogging: true })
    : Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  if (options.logger) {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        { method: request.method, route: request.routeOptions.url, statusCode: reply.statusCode },
        'threads-sim request',
      );
    });
  }
  registerGraphErrorHandler(app);
  registerOauthRoutes(app, ctx);
  registerMediaRoutes(app, ctx);
  registerPublishRoutes(app, ctx);
  registerInsightsRoutes(app, ctx);
  registerReplyRoutes(app, ctx);
  if (options.admin !== false) registerAdminRoutes(app, ctx);
  app.addHook('onClose', async () => ctx.store.flush());
  return app;
}

export interface RunningSimulator {
  app: FastifyInstance;
  /** Base URL for createThreadsClient({ baseUrl }). */
  url: string;
  close(): Promise<void>;
}

/** `threads-agent sim`, or in-process beside the product in `npm start`. */
export async function startThreadsSimulator(
  options: ThreadsSimulatorOptions & { port: number; host: string },
): Promise<RunningSimulator> {
  const app = await buildThreadsSimulator(options);
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
