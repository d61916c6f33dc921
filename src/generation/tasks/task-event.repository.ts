import { type Queryable, toIso } from '../../platform/db/index.ts';

export type TaskEventType = 'task_started' | 'node_started' | 'node_finished' | 'done' | 'error';

export interface TaskEvent {
  id: number;
  task_id: string;
  type: TaskEventType;
  node: string | null;
  variant: number | null;
  attempt: number | null;
  data: Record<string, unknown>;
  created_at: string;
}

export type NewTaskEvent = Pick<TaskEvent, 'task_id' | 'type'> &
  Partial<Pick<TaskEvent, 'node' | 'variant' | 'attempt' | 'data'>>;

const COLUMNS = 'id::int AS id, task_id, type, node, variant, attempt, data, created_at';

function toEvent(row: Record<string, unknown>): TaskEvent {
  return { ...(row as unknown as TaskEvent), created_at: toIso(row.created_at) };
}

export async function insertTaskEvent(q: Queryable, event: NewTaskEvent): Promise<TaskEvent> {
  const [row] = await q.query(
    `INSERT INTO task_events (task_id, type, node, variant, attempt, data)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [
      event.task_id,
      event.type,
      event.node ?? null,
      event.variant ?? null,
      event.attempt ?? null,
      JSON.stringify(event.data ?? {}),
    ],
  );
  return toEvent(row!);
}

/**
 * Many progress events in one statement, stored (and numbered) in the order given. Its commit does
 * not wait for the WAL to reach disk (synchronous_commit off for this statement's transaction
 * only): progress is not worth a disk flush each, and the task's next durable write (its post,
 * its outcome) flushes these along with it. A database crash can lose at most the last fraction
 * of a second of progress, never a post or an outcome.
 */
export async function insertTaskEvents(q: Queryable, events: NewTaskEvent[]): Promise<TaskEvent[]> {
  if (events.length === 0) return [];
  const rows = await q.query(
    `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
     INSERT INTO task_events (task_id, type, node, variant, attempt, data)
     SELECT e.task_id, e.type, e.node, e.variant, e.attempt, e.data
       FROM relaxed,
            unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::jsonb[]) WITH ORDINALITY
              AS e (task_id, type, node, variant, attempt, data, n)
      ORDER BY e.n
     RETURNING ${COLUMNS}`,
    [
      events.map((e) => e.task_id),
      events.map((e) => e.type),
      events.map((e) => e.node ?? null),
      events.map((e) => e.variant ?? null),
      events.map((e) => e.attempt ?? null),
      events.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
  return rows.map(toEvent).sort((a, b) => a.id - b.id);
}

export async function listTaskEvents(q: Queryable, taskId: string, afterId = 0): Promise<TaskEvent[]> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM task_events WHERE task_id = $1 AND id > $2 ORDER BY id`, [
    taskId,
    afterId,
  ]);
  return rows.map(toEvent);
}

/**
 * The events of many tasks in one statement: each task's after its `afterId`, and with `terminal`
 * also its `done`/`error` event wherever it is (a follower resumed past the end learns it is over).
 */
export async function listFollowedTaskEvents(
  q: Queryable,
  followed: { taskId: string; afterId: number; terminal: boolean }[],
): Promise<TaskEvent[]> {
  const rows = await q.query(
    `SELECT e.id::int AS id, e.task_id, e.type, e.node, e.variant, e.attempt, e.data, e.created_at
       FROM task_events e
       JOIN unnest($1::uuid[], $2::bigint[], $3::boolean[]) AS f (task_id, after_id, terminal)
         ON e.task_id = f.task_id AND (e.id > f.after_id OR (f.terminal AND e.type IN ('done', 'error')))
      ORDER BY e.id`,
    [followed.map((f) => f.taskId), followed.map((f) => f.afterId), followed.map((f) => f.terminal)],
  );
  return rows.map(toEvent);
}
