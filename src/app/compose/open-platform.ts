import type { Logger } from 'pino';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, secretsOf } from '../../platform/config.ts';
import { errorMessage } from '../../platform/errors.ts';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  type Database,
  instrumentDatabase,
  lockDataDir,
  migrate,
} from '../../platform/db/index.ts';
import { createLogger, createMetrics, type Metrics, startTracing } from '../../platform/observability/index.ts';
import { createQueue, type Queue } from '../../platform/queue/index.ts';
import { createScaledClock } from '../../platform/scaled-clock.ts';

export interface PlatformOverrides {
  db?: Database;
  logger?: Logger;
  /** The time every rule reads; tests pass a clock they move by hand. */
  now?: () => Date;
}

export interface Platform {
  config: Readonly<Config>;
  logger: Logger;
  metrics: Metrics;
  /** Every statement is timed (db_query_duration_seconds) and, inside a request or a job, traced. */
  db: Database;
  now: () => Date;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** The server's address without its password, for a message that names what could not be reached. */
function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** A directory the embedded database can live in; a clear start-up error (not a hang) otherwise. */
function checkDataDir(dir: string): void {
  try {
    // One level at a time: a recursive mkdir under /proc spins for ever instead of failing.
    const missing: string[] = [];
    for (let d = path.resolve(dir); !fs.existsSync(d) && d !== path.dirname(d); d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) fs.mkdirSync(d);
    const probe = path.join(dir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new ConfigError(
      `DATA_DIR=${dir}: the directory cannot be created or written (${code}); choose a writable one`,
    );
  }
}

/** The first query, bounded: an unreachable server stops the start with a message naming DATABASE_URL. */
async function checkConnection(db: Database, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.query('SELECT 1'), timeout]);
  } catch (error) {
    await db.close().catch(() => {});
    throw new ConfigError(`DATABASE_URL: cannot connect to ${describeUrl(url)} (${errorMessage(error)})`);
  } finally {
    clearTimeout(timer);
  }
}

async function openDatabase(config: Config): Promise<{ db: Database; release: () => void }> {
  if (config.database.kind === 'postgres') {
    const db = createPostgresDatabase(config.database);
    await checkConnection(db, config.database.url);
    return { db, release: () => {} };
  }
  checkDataDir(config.dataDir);
  const release = lockDataDir(config.dataDir);
  try {
    return { db: await createPgliteDatabase(config.database.dir), release };
  } catch (error) {
    release();
    throw error;
  }
}

/** What every role and command opens first: logs, metrics, traces, and the migrated database. */
export async function openPlatform(config: Readonly<Config>, overrides: PlatformOverrides = {}): Promise<Platform> {
  const logger = overrides.logger ?? createLogger(config.logLevel, undefined, secretsOf(config));
  // Once per process; exports over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing(config.tracing);
  const opened = overrides.db ? { db: overrides.db, release: () => {} } : await openDatabase(config);
  const metrics = createMetrics();
  const db = instrumentDatabase(opened.db, metrics);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    opened.release();
    throw error;
  }
  return {
    config,
    logger,
    metrics,
    db,
    // TIME_SCALE > 1 (demos, simulations): the product's clock runs that many times faster.
    now: overrides.now ?? createScaledClock(config.timeScale),
    async close() {
      await db.close();
      opened.release();
      await tracing.flush().catch(() => {});
    },
  };
}

/** The job queue, started: only the roles that send or take jobs open it. */
export async function startQueue(platform: Platform): Promise<Queue> {
  const { config, db, metrics, logger } = platform;
  const queue = createQueue(
    { db, metrics, logger },
    {
      retryLimit: config.worker.retryLimit,
      retryDelaySeconds: config.worker.retryDelaySeconds,
      pollSeconds: config.worker.pollSeconds,
    },
  );
  await queue.start();
  return queue;
}
