import { z } from 'zod';

/** Every job the workers run: its payload schema is checked when sent and when received. */
export const JOBS = {
  'generate-posts': z.object({ taskId: z.uuid() }).strict(),
} as const;

export type JobName = keyof typeof JOBS;

/**
 * Jobs pg-boss starts on a cron (UTC), once per tick across all replicas; each handler reads the
 * database to find its work, so a missed tick is caught up by the next.
 */
export const SCHEDULES: Partial<Record<JobName, string>> = {};
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function deadLetterQueueOf(name: JobName): string {
  return `${name}-dead-letter`;
}
