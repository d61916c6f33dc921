import type { Queryable } from '../../platform/db/index.ts';
import { listFollowedTaskEvents, type TaskEvent } from './task-event.repository.ts';
import { TERMINAL_EVENTS, type TaskEvents } from './task-events.ts';

const POLL_MS = 500;

export interface Follower {
  stop: () => void;
  /** Resolves with the terminal event, or null when stopped (or the task had ended before `afterId`). */
  finished: Promise<TaskEvent | null>;
}

interface Entry {
  lastId: number;
  /** Resumed past every stored event: a terminal event before `lastId` must still end it. */
  resumed: boolean;
  onEvent: (event: TaskEvent) => void;
  end: (terminal: TaskEvent | null) => void;
}

/**
 * One reader of task events for every follower in the process: a single poll every `pollMs` asks
 * for the new events of all followed tasks in one query (and a same-process notification wakes it
 * at once), instead of each stream polling on its own. Each follower gets its task's events after
 * its `afterId`, in order, once each, and ends after `done` or `error` — at once when the task had
 * already ended before `afterId`.
 */
export function createTaskEventHub(deps: { db: Queryable; events: TaskEvents; pollMs?: number }) {
  const byTask = new Map<string, { entries: Set<Entry>; unsubscribe: () => void }>();
  let timer: NodeJS.Timeout | null = null;
  let pumping = false;
  let again = false;

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        await pumpOnce();
      } while (again && byTask.size > 0);
    } finally {
      pumping = false;
    }
  }

  async function pumpOnce(): Promise<void> {
    const followed = [...byTask].map(([taskId, { entries }]) => {
      const list = [...entries];
      return { taskId, afterId: Math.min(...list.map((e) => e.lastId)), terminal: list.some((e) => e.resumed) };
    });
    if (followed.length === 0) return;
    let events: TaskEvent[];
    try {
      events = await listFollowedTaskEvents(deps.db, followed);
    } catch {
      // The database is away for a moment: the next tick asks again; the streams stay open.
      return;
    }
    for (const event of events) {
      const task = byTask.get(event.task_id);
      if (!task) continue;
      for (const entry of [...task.entries]) {
        const terminal = TERMINAL_EVENTS.has(event.type);
        if (event.id > entry.lastId) {
          entry.lastId = event.id;
          entry.resumed = false;
          entry.onEvent(event);
          if (terminal) entry.end(event);
        } else if (terminal && entry.resumed) {
          entry.end(null);
        }
      }
    }
  }

  function follow(taskId: string, afterId: number, onEvent: (event: TaskEvent) => void): Follower {
    let resolve!: (event: TaskEvent | null) => void;
    const finished = new Promise<TaskEvent | null>((r) => (resolve = r));
    const entry: Entry = {
      lastId: afterId,
      resumed: afterId > 0,
      onEvent,
      end: (terminal) => {
        const task = byTask.get(taskId);
        if (!task?.entries.delete(entry)) return;
        if (task.entries.size === 0) {
          task.unsubscribe();
          byTask.delete(taskId);
        }
        if (byTask.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
        resolve(terminal);
      },
    };
    let task = byTask.get(taskId);
    if (!task) {
      task = { entries: new Set(), unsubscribe: deps.events.subscribe(taskId, () => void pump()) };
      byTask.set(taskId, task);
    }
    task.entries.add(entry);
    timer ??= setInterval(() => void pump(), deps.pollMs ?? POLL_MS);
    void pump();
    return { stop: () => entry.end(null), finished };
  }

  return {
    follow,
    /** Open followers, for the metrics and the tests. */
    size: () => [...byTask.values()].reduce((n, t) => n + t.entries.size, 0),
    close(): void {
      for (const task of [...byTask.values()]) for (const entry of [...task.entries]) entry.end(null);
    },
  };
}

export type TaskEventHub = ReturnType<typeof createTaskEventHub>;

/** One follower with a hub of its own (the CLI's `generate`, which follows a single task). */
export function followTaskEvents(
  deps: { db: Queryable; events: TaskEvents },
  taskId: string,
  afterId: number,
  onEvent: (event: TaskEvent) => void,
): Follower {
  return createTaskEventHub(deps).follow(taskId, afterId, onEvent);
}
