export { createQueue, type JobContext, type JobHandlers, type Queue } from './queue.ts';
export { type JobName, SCALED_INTERVALS_MS } from './jobs.ts';
