import { z } from 'zod';

/** Every job the workers run: its payload schema is checked when sent and when received. */
export const JOBS = {
  'generate-posts': z.object({ taskId: z.uuid() }).strict(),
  'refresh-threads-tokens': z.object({}).strict(),
  'schedule-posts': z.object({}).strict(),
  'publish-post': z.object({ postId: z.uuid() }).strict(),
  'collect-insights': z.object({}).strict(),
  // With a persona: only its account, just linked; the hourly run takes every account.
  'collect-followers': z.object({ personaId: z.uuid().optional() }).strict(),
  // Stores the business gauges that /metrics serves, so a scrape reads one row (src/kpis/kpi-rollup.ts).
  'refresh-kpis': z.object({}).strict(),
} as const;

export type JobName = keyof typeof JOBS;

/**
 * Jobs pg-boss starts on a cron (UTC), once per tick across all replicas; each handler reads the
 * database to find its work, so a missed tick is caught up by the next.
 */
export const SCHEDULES: Partial<Record<JobName, string>> = {
  'refresh-threads-tokens': '17 * * * *',
  'schedule-posts': '* * * * *',
  // Hourly slots are the finest in the insights cadence: a 10-minute tick takes each within 10 minutes.
  'collect-insights': '*/10 * * * *',
  'collect-followers': '40 * * * *',
  'refresh-kpis': '* * * * *',
};

/** pg-boss queue policies besides `standard`: `short` keeps at most one waiting job per singletonKey. */
export const QUEUE_POLICIES: Partial<Record<JobName, 'short'>> = {
  'publish-post': 'short',
  'refresh-kpis': 'short',
};
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function deadLetterQueueOf(name: JobName): string {
  return `${name}-dead-letter`;
}
