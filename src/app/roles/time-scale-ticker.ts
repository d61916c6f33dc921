import type { Logger } from 'pino';
import { type JobName, type Queue, SCALED_INTERVALS_MS } from '../../platform/queue/index.ts';
import { wallInterval } from '../../platform/scaled-clock.ts';

/**
 * With TIME_SCALE > 1 the periodic jobs must run as often in product time as their crons do in wall
 * time: this sends each one every interval / TIME_SCALE (at least a second apart). A job already waiting
 * absorbs the tick. Returns a stop function.
 */
export function startTimeScaleTicker(deps: { queue: Pick<Queue, 'sendOnce'>; logger: Logger }, scale: number) {
  if (scale <= 1) return () => {};
  const timers = Object.entries(SCALED_INTERVALS_MS).map(([name, productMs]) =>
    setInterval(
      () => {
        deps.queue.sendOnce(name as JobName, {}, 'time-scale-tick').catch((error: unknown) => {
          deps.logger.warn({ err: error, job: name }, 'time-scale tick not sent');
        });
      },
      wallInterval(productMs, scale),
    ),
  );
  deps.logger.info({ scale }, 'product clock scaled: periodic jobs follow it');
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
