import type { Queryable } from '../../platform/db/index.ts';
import { listTaskEvents, type TaskEvent } from './task-event.repository.ts';
import { TERMINAL_EVENTS, type TaskEvents } from './task-events.ts';

const POLL_MS = 500;

/**
 * Delivers a task's events in order, once each: what is stored after `afterId` first, then new
 * ones. A same-process notification wakes it at once; polling covers workers in other processes.
 * Stops by itself after `done` or `error`; `finished` resolves then (or on `stop()`).
 */
export function followTaskEvents(
  deps: { db: Queryable; events: TaskEvents },
  taskId: string,
  afterId: number,
  onEvent: (event: TaskEvent) => void,
): { stop: () => void; finished: Promise<TaskEvent | null> } {
  let lastId = afterId;
  let stopped = false;
  let pumping = false;
  let again = false;
  let resolve!: (event: TaskEvent | null) => void;
  const finished = new Promise<TaskEvent | null>((r) => (resolve = r));

  const stop = (terminal: TaskEvent | null = null) => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    clearInterval(poll);
    resolve(terminal);
  };

  const pump = async (): Promise<void> => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (const event of await listTaskEvents(deps.db, taskId, lastId)) {
          if (stopped) return;
          lastId = event.id;
          onEvent(event);
          if (TERMINAL_EVENTS.has(event.type)) return stop(event);
        }
      } while (again && !stopped);
    } catch {
      stop();
    } finally {
      pumping = false;
    }
  };

  const unsubscribe = deps.events.subscribe(taskId, () => void pump());
  const poll = setInterval(() => void pump(), POLL_MS);
  void pump();
  return { stop: () => stop(), finished };
}
