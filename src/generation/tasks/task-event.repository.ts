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

export async function listTaskEvents(q: Queryable, taskId: string, afterId = 0): Promise<TaskEvent[]> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM task_events WHERE task_id = $1 AND id > $2 ORDER BY id`, [
    taskId,
    afterId,
  ]);
  return rows.map(toEvent);
}
