export { createQueue, type JobContext, type Queue } from './queue.ts';
