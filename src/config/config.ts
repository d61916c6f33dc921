import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  API_ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(2),
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).default(5),
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  GENERATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  QUALITY_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.45),
  DUPLICATE_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.6),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string; poolMax: number };
  adminToken: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  llm:
    | { provider: 'offline' }
    | { provider: 'openai-compatible'; apiKey?: string; baseURL?: string; model: string; timeoutMs: number };
  worker: { concurrency: number; pollSeconds: number; retryLimit: number; retryDelaySeconds: number };
  generation: { maxAttempts: number; qualityMinScore: number; duplicateThreshold: number };
}

export class ConfigError extends Error {}

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
    logLevel: e.LOG_LEVEL,
    llm: useOpenAi
      ? {
          provider: 'openai-compatible',
          apiKey: e.OPENAI_API_KEY,
          baseURL: e.OPENAI_BASE_URL,
          model: e.LLM_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
        }
      : { provider: 'offline' },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      pollSeconds: e.QUEUE_POLL_SECONDS,
      retryLimit: e.JOB_RETRY_LIMIT,
      retryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS,
    },
    generation: {
      maxAttempts: e.GENERATION_MAX_ATTEMPTS,
      qualityMinScore: e.QUALITY_MIN_SCORE,
      duplicateThreshold: e.DUPLICATE_THRESHOLD,
    },
  } satisfies Config);
}
