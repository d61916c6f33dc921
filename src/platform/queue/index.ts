export { createQueue, type JobContext, type JobHandlers, type Queue } from './queue.ts';
