import { EventEmitter } from 'node:events';
import type { Queryable } from '../../platform/db/index.ts';
import { insertTaskEvent, type NewTaskEvent, type TaskEvent } from './task-event.repository.ts';

/**
 * Task progress: stored first (so a late or remote reader can replay it), then announced to
 * listeners in this process so a stream in the same process sees it at once.
 */
export function createTaskEvents(db: Queryable) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  async function record(event: NewTaskEvent): Promise<TaskEvent> {
    const stored = await insertTaskEvent(db, event);
    emitter.emit(stored.task_id, stored);
    return stored;
  }

  function subscribe(taskId: string, listener: (event: TaskEvent) => void): () => void {
    emitter.on(taskId, listener);
    return () => emitter.off(taskId, listener);
  }

  return { record, subscribe };
}

export type TaskEvents = ReturnType<typeof createTaskEvents>;

export const TERMINAL_EVENTS: ReadonlySet<TaskEvent['type']> = new Set(['done', 'error']);
