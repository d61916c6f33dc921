import { EventEmitter } from 'node:events';
import type { Queryable } from '../../platform/db/index.ts';
import { insertTaskEvent, insertTaskEvents, type NewTaskEvent, type TaskEvent } from './task-event.repository.ts';

/** At most this many events per INSERT; more wait for the next one. */
const MAX_BATCH = 500;

/**
 * Task progress: stored first (so a late or remote reader can replay it), then announced to
 * listeners in this process so a stream in the same process sees it at once.
 *
 * `record` stores one event and waits for it. `enqueue` hands a progress event to a background
 * writer and returns at once: the workflow does not wait a round trip per node event. The writer
 * stores what is queued in order, in one multi-row INSERT whenever it is free, from the end of the
 * turn of the event loop that queued the first (so events leave within one round trip of being
 * queued and streams stay live), and `flush(taskId)` waits until
 * that task's queued events are stored, throwing if storing any of them failed.
 */
export function createTaskEvents(db: Queryable) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let queued: NewTaskEvent[] = [];
  let writing: Promise<void> | null = null;
  const failures = new Map<string, unknown>();

  function announce(stored: TaskEvent): void {
    emitter.emit(stored.task_id, stored);
  }

  async function record(event: NewTaskEvent): Promise<TaskEvent> {
    const stored = await insertTaskEvent(db, event);
    announce(stored);
    return stored;
  }

  async function drain(): Promise<void> {
    while (queued.length > 0) {
      const batch = queued.slice(0, MAX_BATCH);
      queued = queued.slice(MAX_BATCH);
      try {
        for (const stored of await insertTaskEvents(db, batch)) announce(stored);
      } catch (error) {
        for (const event of batch) if (!failures.has(event.task_id)) failures.set(event.task_id, error);
      }
    }
  }

  function enqueue(event: NewTaskEvent): Promise<void> {
    queued.push(event);
    // The writer starts once this turn of the event loop ends, so what the same turn queues (a
    // node's end and the next node's start) goes in the same INSERT.
    writing ??= endOfTurn()
      .then(drain)
      .finally(() => {
        writing = null;
      });
    return Promise.resolve();
  }

  async function flush(taskId: string): Promise<void> {
    while (writing) await writing;
    const failure = failures.get(taskId);
    if (failure === undefined) return;
    failures.delete(taskId);
    throw failure;
  }

  function subscribe(taskId: string, listener: (event: TaskEvent) => void): () => void {
    emitter.on(taskId, listener);
    return () => emitter.off(taskId, listener);
  }

  return { record, enqueue, flush, subscribe };
}

function endOfTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type TaskEvents = ReturnType<typeof createTaskEvents>;

export const TERMINAL_EVENTS: ReadonlySet<TaskEvent['type']> = new Set(['done', 'error']);
