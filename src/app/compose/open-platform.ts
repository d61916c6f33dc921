import type { Logger } from 'pino';
import { type Config, secretsOf } from '../../platform/config.ts';
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

async function openDatabase(config: Config): Promise<{ db: Database; release: () => void }> {
  if (config.database.kind === 'postgres') {
    return { db: createPostgresDatabase(config.database), release: () => {} };
  }
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
    now: overrides.now ?? (() => new Date()),
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
