import { z } from 'zod';

/** Every job the workers run: its payload schema is checked when sent and when received. */
export const JOBS = {
  'generate-posts': z.object({ taskId: z.uuid() }).strict(),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function deadLetterQueueOf(name: JobName): string {
  return `${name}-dead-letter`;
}
