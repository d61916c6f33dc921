import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

function optionalNumber(schema: z.ZodNumber) {
  return optionalString.transform((v) => (v === undefined ? undefined : Number(v))).pipe(schema.optional());
}

/** An http(s) address: the product speaks HTTP to every service it is pointed at. */
const optionalHttpUrl = optionalString.pipe(
  z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
);

const optionalDollars = optionalNumber(z.number().min(0, 'must be a dollar amount ≥ 0'));
const optionalSimilarity = optionalNumber(
  z.number().gt(0, 'must be a similarity in (0, 1]').max(1, 'must be a similarity in (0, 1]'),
);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  API_ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalHttpUrl,
  LLM_HOOK_MODEL: z.string().min(1).default('gpt-4o'),
  LLM_BODY_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_PRICES_FILE: optionalString,
  LLM_PRICES: optionalString,
  LLM_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  LLM_BREAKER_HALF_OPEN_SECONDS: z.coerce.number().min(0.1).default(30),
  LLM_DAILY_BUDGET_USD: optionalDollars,
  LLM_PERSONA_DAILY_BUDGET_USD: optionalDollars,
  EMBEDDINGS_MODEL: optionalString,
  DEDUP_PERSONA_THRESHOLD: optionalSimilarity,
  DEDUP_GLOBAL_THRESHOLD: optionalSimilarity,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(2),
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).default(5),
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  GENERATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  QUALITY_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.45),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('threads-agent'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalHttpUrl,
  THREADS_API_BASE_URL: optionalHttpUrl,
  THREADS_APP_ID: optionalString,
  THREADS_APP_SECRET: optionalString,
  THREADS_REDIRECT_URI: optionalHttpUrl,
  THREADS_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  THREADS_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  THREADS_BREAKER_HALF_OPEN_SECONDS: z.coerce.number().min(0.1).default(30),
  TOKEN_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .regex(
        /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
        'must be 32 bytes as 64 hex characters or 44 base64 characters',
      )
      .optional(),
  ),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_SPEED: optionalNumber(z.number().min(1).max(100_000)),
  TIME_SCALE: z.coerce.number().min(1).max(100_000).default(1),
  LEARNING_ENABLED: z.enum(['true', 'false']).default('true'),
  LEARNING_CONTROL_SHARE: z.coerce.number().min(0).max(1).default(0.1),
  LEARNING_REWARD_AGE_HOURS: z.coerce
    .number()
    .gt(0)
    .max(24 * 30)
    .default(24),
  LEARNING_HALF_LIFE_DAYS: z.coerce.number().gt(0).max(3650).default(21),
  LEARNING_CANDIDATES: z.coerce.number().int().min(1).max(8).optional(),
  SIM_CONTAINER_READY_MS: z.coerce.number().int().min(0).default(2_000),
  PUBLISH_MIN_GAP_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  AUTO_APPROVE_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.6),
  API_VALIDATE_RESPONSES: z.enum(['true', 'false']).default('false'),
  SSE_MAX_STREAMS_PER_TOKEN: z.coerce.number().int().min(1).max(10_000).default(20),
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).optional(),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).default(10),
  CORS_ORIGINS: optionalString.pipe(
    z
      .string()
      .regex(
        /^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/,
        'must be a comma-separated list of origins like https://app.example.com',
      )
      .optional(),
  ),
  TRUST_PROXY: optionalString.pipe(
    z
      .string()
      .regex(
        /^(true|[0-9]+|[0-9a-fA-F:.,/\s]+)$/,
        'must be true, a number of proxy hops, or comma-separated proxy addresses/CIDRs',
      )
      .optional(),
  ),
  OPS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string; poolMax: number };
  adminToken: string | undefined;
  api: {
    /** Check every response body against its zod schema before it is serialised (tests, development). */
    validateResponses: boolean;
    /** Open task event streams one API token may hold at once; past it a new one gets 429. */
    sseMaxStreamsPerToken: number;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  llm: {
    provider: 'offline' | 'openai-compatible';
    apiKey?: string;
    baseURL?: string;
    /** Premium model for hooks, cheap model for bodies; a persona may override either. */
    hookModel: string;
    bodyModel: string;
    timeoutMs: number;
    maxRetries: number;
    /** Path of a JSON price table merged over the defaults, and/or the same JSON inline. */
    pricesFile?: string;
    pricesJson?: string;
    cacheTtlSeconds: number;
    breaker: { failures: number; halfOpenSeconds: number };
    budgets: { globalDailyUsd?: number; personaDailyUsd?: number };
  };
  embeddings: { provider: 'local' } | { provider: 'openai-compatible'; model: string };
  worker: {
    concurrency: number;
    pollSeconds: number;
    retryLimit: number;
    retryDelaySeconds: number;
    metricsPort: number;
  };
  tracing: {
    serviceName: string;
    /** Full OTLP/HTTP traces URL (…/v1/traces); no exporter when undefined. */
    otlpTracesUrl?: string;
  };
  threads: {
    /**
     * The Graph API's address. Unset: `threads-agent all` (npm start) runs the simulator in process and
     * uses it; the separate roles use Meta's (https://graph.threads.net).
     */
    baseUrl?: string;
    appId?: string;
    appSecret?: string;
    redirectUri?: string;
    timeoutMs: number;
    /** Consecutive outage failures (5xx, timeouts) that open a breaker, and how long it stays open. */
    breaker: { failures: number; halfOpenSeconds: number };
  };
  /** AES-256-GCM key for stored Threads tokens; unset: a key file kept under DATA_DIR. */
  tokenEncryptionKey?: Buffer;
  simulator: { port: number; host: string; seed: number; speed: number; containerReadyMs: number; stateFile: string };
  publishing: {
    /** Least time between two posts of one persona. */
    minGapMinutes: number;
    /** Quality score at which a persona in `auto` approval mode has a draft approved (a persona may set its own). */
    autoApproveMinScore: number;
    /** TIME_SCALE: how long a run may hold a post is wall time, so in product time it is this much longer. */
    timeScale: number;
  };
  /**
   * How many times faster than the wall clock the product's own clock runs (1: real time). For demos and
   * simulations only: publishing slots and gaps, insight captures, periodic jobs and the reward age all
   * follow the scaled clock, so a simulated month passes in minutes.
   */
  timeScale: number;
  learning: {
    /** LEARNING_ENABLED=false: every persona chooses as with learning_mode off. */
    enabled: boolean;
    /** Share of posts whose choices are uniform at random: the control group lift is measured against. */
    controlShare: number;
    /** Age (product time) at which a post's engagement rate becomes its reward. */
    rewardAgeHours: number;
    /** Half-life of an observation's weight in the policy, so it follows an audience whose taste drifts. */
    halfLifeDays: number;
    /**
     * Drafts written per learned post (the best one is kept). Unset: 3 with the offline composer, where a
     * candidate costs nothing, and 1 with a model, where each is two more paid calls.
     */
    candidates: number;
  };
  security: {
    rateLimit: {
      /** memory: this process only (the embedded default); postgres: shared by every API replica. */
      store: 'memory' | 'postgres';
      windowSeconds: number;
      perToken: number;
      perIp: number;
      /** Requests with a missing or wrong token, per IP: far fewer, against guessing. */
      authFailures: number;
    };
    /** Origins allowed to call the API from a browser; empty: none (CORS closed). */
    corsOrigins: string[];
    /** Bearer token the worker's /metrics asks for when set. */
    opsToken?: string;
    /** Which proxies' X-Forwarded-For to believe, so per-IP limits and the audit log see the client. */
    trustProxy: boolean | number | string[];
  };
  generation: {
    maxAttempts: number;
    qualityMinScore: number;
    /** Similarity to one of the persona's recent posts at which a draft is a duplicate (default: the embedder's). */
    personaDuplicateThreshold?: number;
    /** The higher bar against any persona's recent posts (default: the embedder's). */
    globalDuplicateThreshold?: number;
  };
}

export class ConfigError extends Error {}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined) return false;
  if (value === 'true') return true;
  // A hop count trusts only the nearest proxies: `true` would take the left-most, client-written address.
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

/** Every configured secret, so logs can mask them by value wherever they appear. */
export function secretsOf(config: Config): string[] {
  const key = config.tokenEncryptionKey;
  return [
    config.llm.apiKey,
    config.threads.appSecret,
    config.adminToken,
    config.security.opsToken,
    key?.toString('hex'),
    key?.toString('base64'),
  ].filter((s): s is string => s !== undefined);
}

/** The only reader of the environment: every other module receives this object. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const useOpenAi = e.OPENAI_API_KEY !== undefined || e.OPENAI_BASE_URL !== undefined;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dir: path.join(dataDir, 'pglite') },
    adminToken: e.API_ADMIN_TOKEN,
    api: {
      validateResponses: e.API_VALIDATE_RESPONSES === 'true',
      sseMaxStreamsPerToken: e.SSE_MAX_STREAMS_PER_TOKEN,
    },
    logLevel: e.LOG_LEVEL,
    llm: {
      provider: useOpenAi ? 'openai-compatible' : 'offline',
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      hookModel: e.LLM_HOOK_MODEL,
      bodyModel: e.LLM_BODY_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      pricesFile: e.LLM_PRICES_FILE,
      pricesJson: e.LLM_PRICES,
      cacheTtlSeconds: e.LLM_CACHE_TTL_SECONDS,
      breaker: { failures: e.LLM_BREAKER_FAILURES, halfOpenSeconds: e.LLM_BREAKER_HALF_OPEN_SECONDS },
      budgets: { globalDailyUsd: e.LLM_DAILY_BUDGET_USD, personaDailyUsd: e.LLM_PERSONA_DAILY_BUDGET_USD },
    },
    embeddings:
      useOpenAi && e.EMBEDDINGS_MODEL
        ? { provider: 'openai-compatible', model: e.EMBEDDINGS_MODEL }
        : { provider: 'local' },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      pollSeconds: e.QUEUE_POLL_SECONDS,
      retryLimit: e.JOB_RETRY_LIMIT,
      retryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS,
      metricsPort: e.WORKER_METRICS_PORT,
    },
    tracing: {
      serviceName: e.OTEL_SERVICE_NAME,
      // Jaeger and Tempo both take OTLP/HTTP; the generic endpoint gets the standard /v1/traces suffix.
      otlpTracesUrl:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined),
    },
    threads: {
      baseUrl: e.THREADS_API_BASE_URL,
      appId: e.THREADS_APP_ID,
      appSecret: e.THREADS_APP_SECRET,
      redirectUri: e.THREADS_REDIRECT_URI,
      timeoutMs: e.THREADS_TIMEOUT_MS,
      breaker: { failures: e.THREADS_BREAKER_FAILURES, halfOpenSeconds: e.THREADS_BREAKER_HALF_OPEN_SECONDS },
    },
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY
      ? Buffer.from(e.TOKEN_ENCRYPTION_KEY, e.TOKEN_ENCRYPTION_KEY.length === 64 ? 'hex' : 'base64')
      : undefined,
    simulator: {
      port: e.SIM_PORT,
      host: e.SIM_HOST,
      seed: e.SIM_SEED,
      // The simulator's clock follows the product's unless set apart.
      speed: e.SIM_SPEED ?? e.TIME_SCALE,
      containerReadyMs: e.SIM_CONTAINER_READY_MS,
      stateFile: path.join(dataDir, 'threads-sim.json'),
    },
    publishing: {
      minGapMinutes: e.PUBLISH_MIN_GAP_MINUTES,
      autoApproveMinScore: e.AUTO_APPROVE_MIN_SCORE,
      timeScale: e.TIME_SCALE,
    },
    timeScale: e.TIME_SCALE,
    learning: {
      enabled: e.LEARNING_ENABLED === 'true',
      controlShare: e.LEARNING_CONTROL_SHARE,
      rewardAgeHours: e.LEARNING_REWARD_AGE_HOURS,
      halfLifeDays: e.LEARNING_HALF_LIFE_DAYS,
      candidates: e.LEARNING_CANDIDATES ?? (useOpenAi ? 1 : 3),
    },
    security: {
      rateLimit: {
        store: e.RATE_LIMIT_STORE ?? (e.DATABASE_URL ? 'postgres' : 'memory'),
        windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
        perToken: e.RATE_LIMIT_PER_TOKEN,
        perIp: e.RATE_LIMIT_PER_IP,
        authFailures: e.RATE_LIMIT_AUTH_FAILURES,
      },
      corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
      opsToken: e.OPS_TOKEN,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
    },
    generation: {
      maxAttempts: e.GENERATION_MAX_ATTEMPTS,
      qualityMinScore: e.QUALITY_MIN_SCORE,
      personaDuplicateThreshold: e.DEDUP_PERSONA_THRESHOLD,
      globalDuplicateThreshold: e.DEDUP_GLOBAL_THRESHOLD,
    },
  } satisfies Config);
}
