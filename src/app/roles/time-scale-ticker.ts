import type { Logger } from 'pino';
import { type JobName, type Queue, SCALED_INTERVALS_MS } from '../../platform/queue/index.ts';
import { wallInterval } from '../../platform/scaled-clock.ts';

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * With TIME_SCALE > 1 the periodic jobs must run as often in product time as their crons do in wall
 * time: this sends each one every interval / TIME_SCALE (at least a second apart). A tick is skipped
 * while the job it sent last has not finished, so a slow run (many accounts) never piles up behind
 * itself. Returns a stop function.
 */
export function startTimeScaleTicker(deps: { queue: Pick<Queue, 'sendOnce' | 'boss'>; logger: Logger }, scale: number) {
  if (scale <= 1) return () => {};
  const timers = Object.entries(SCALED_INTERVALS_MS).map(([key, productMs]) => {
    const name = key as JobName;
    let last: string | null = null;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const previous = last ? await deps.queue.boss.getJobById(name, last) : null;
        if (previous && !FINISHED.has(previous.state)) return;
        last = (await deps.queue.sendOnce(name, {}, 'time-scale-tick')) ?? last;
      } catch (error) {
        deps.logger.warn({ err: error, job: name }, 'time-scale tick not sent');
      } finally {
        busy = false;
      }
    };
    return setInterval(() => void tick(), wallInterval(productMs, scale)).unref();
  });
  deps.logger.info({ scale }, 'product clock scaled: periodic jobs follow it');
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
