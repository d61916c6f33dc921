import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import { type Database, lockForTransaction, type Queryable, toBossDb } from '../db/index.ts';
import { JOB_NAMES, QUEUE_POLICIES, SCHEDULES, deadLetterQueueOf } from './jobs.ts';

export const BOSS_SCHEMA = 'pgboss';
/** Senders wake idle workers on this channel (the payload is the queue's name). */
export const JOBS_CHANNEL = 'threads_agent_jobs';
/** pg-boss's own cron queue; created here so that no two starters create it at once. */
const CRON_QUEUE = '__pgboss__send-it';
const BOSS_SCHEMA_VERSION = (createRequire(import.meta.url)('pg-boss/version.json') as { schema: number }).schema;

export interface QueueSettings {
  retryLimit: number;
  retryDelaySeconds: number;
  /** How long a job stays claimed without its worker renewing the claim; then another worker takes it back. */
  leaseSeconds: number;
}

/** pg-boss wraps its scripts in BEGIN/COMMIT; inside our transaction the COMMIT would end it (and our lock) early. */
function withoutTransaction(script: string): string {
  const body = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/.exec(script)?.[1];
  if (body === undefined) throw new Error('unexpected pg-boss script: not wrapped in BEGIN/COMMIT');
  return body;
}

async function installBossSchema(tx: Queryable, boss: PgBoss): Promise<void> {
  if (!(await boss.isInstalled())) {
    await tx.exec(withoutTransaction(PgBoss.getConstructionPlans(BOSS_SCHEMA)));
    return;
  }
  const version = Number(await boss.schemaVersion());
  if (version < BOSS_SCHEMA_VERSION)
    await tx.exec(withoutTransaction(PgBoss.getMigrationPlans(BOSS_SCHEMA, String(version))));
}

/**
 * pg-boss's schema, our queues (with the current settings) and their cron schedules, all
 * in one transaction under the migration lock: processes starting together on an empty database
 * take turns instead of racing pg-boss's DDL into deadlocks.
 */
export async function installQueues(db: Database, settings: QueueSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await lockForTransaction(tx, 'migrations');
    const boss = new PgBoss({ db: toBossDb(tx), schema: BOSS_SCHEMA } as PgBoss.ConstructorOptions);
    await installBossSchema(tx, boss);
    await boss.createQueue(CRON_QUEUE);
    for (const name of JOB_NAMES) {
      const deadLetter = deadLetterQueueOf(name);
      await boss.createQueue(deadLetter);
      const options: PgBoss.Queue = {
        name,
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: settings.retryDelaySeconds > 0,
        expireInSeconds: settings.leaseSeconds,
        deadLetter,
        policy: QUEUE_POLICIES[name] ?? 'standard',
      };
      await boss.createQueue(name, options);
      // A queue made by an earlier version keeps its row: bring it to these settings.
      await boss.updateQueue(name, options);
    }
    for (const [name, cron] of Object.entries(SCHEDULES)) await boss.schedule(name, cron, {}, { tz: 'UTC' });
    // A schedule an earlier version made and this one dropped (refresh-kpis, now sent by scrapes) must not keep firing.
    for (const { name } of await boss.getSchedules()) if (!(name in SCHEDULES)) await boss.unschedule(name);
  });
}
