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
  // The learning loop: autopilot slots every minute, rewards and gauges every 10 minutes, the predictor every 6 hours.
  autopilot: z.object({}).strict(),
  'learning-update': z.object({}).strict(),
  'train-predictor': z.object({}).strict(),
  // Stores the business gauges that /metrics serves, so a scrape reads one row (src/kpis/kpi-rollup.ts).
  // Sent by scrapes that find them older than 10 s, not on a clock: with nobody scraping nothing reads them.
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
  autopilot: '* * * * *',
  'learning-update': '*/10 * * * *',
  'train-predictor': '23 */6 * * *',
};

/**
 * The same periodic jobs as product-time intervals, for TIME_SCALE > 1: pg-boss crons run on the wall
 * clock, so the worker also sends each job every interval / TIME_SCALE (each handler takes all due work).
 */
export const SCALED_INTERVALS_MS: Partial<Record<JobName, number>> = {
  // Tokens expire in product (and simulator) time: a 60-day token lasts 2 hours at TIME_SCALE=720.
  'refresh-threads-tokens': 60 * 60_000,
  'schedule-posts': 60_000,
  autopilot: 60_000,
  'collect-insights': 10 * 60_000,
  'learning-update': 10 * 60_000,
  // Followers are kept as one snapshot a day: four captures a product day are plenty.
  'collect-followers': 6 * 60 * 60_000,
  'train-predictor': 6 * 60 * 60_000,
};

/** pg-boss queue policies besides `standard`: `short` keeps at most one waiting job per singletonKey. */
export const QUEUE_POLICIES: Partial<Record<JobName, 'short'>> = {
  'publish-post': 'short',
  'schedule-posts': 'short',
  'collect-insights': 'short',
  // Periodic jobs: a tick sent while one waits adds nothing.
  autopilot: 'short',
  'learning-update': 'short',
  'train-predictor': 'short',
  'refresh-kpis': 'short',
};
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function deadLetterQueueOf(name: JobName): string {
  return `${name}-dead-letter`;
}
