import { type Queryable, toIso, toIsoOrNull } from '../../platform/db/index.ts';

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Task {
  id: string;
  persona_id: string;
  topic: string | null;
  variants: number;
  seed: number;
  status: TaskStatus;
  idempotency_key: string | null;
  request_hash: string | null;
  runs: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const COLUMNS = `id, persona_id, topic, variants, seed::float8 AS seed, status, idempotency_key, request_hash, runs,
  error, created_at, started_at, finished_at`;

function toTask(row: Record<string, unknown>): Task {
  return {
    ...(row as unknown as Task),
    created_at: toIso(row.created_at),
    started_at: toIsoOrNull(row.started_at),
    finished_at: toIsoOrNull(row.finished_at),
  };
}

export async function insertTask(
  q: Queryable,
  task: Pick<Task, 'persona_id' | 'topic' | 'variants' | 'seed' | 'idempotency_key' | 'request_hash'>,
): Promise<Task> {
  const [row] = await q.query(
    `INSERT INTO tasks (persona_id, topic, variants, seed, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [task.persona_id, task.topic, task.variants, task.seed, task.idempotency_key, task.request_hash],
  );
  return toTask(row!);
}

export async function findTaskById(q: Queryable, id: string): Promise<Task | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
  return row ? toTask(row) : null;
}

export async function findTaskByIdempotencyKey(q: Queryable, key: string): Promise<Task | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM tasks WHERE idempotency_key = $1`, [key]);
  return row ? toTask(row) : null;
}

/** Claims a queued (or retried) task for a run; null when it already finished. */
export async function startTaskRun(q: Queryable, id: string): Promise<Task | null> {
  const [row] = await q.query(
    `UPDATE tasks SET status = 'running', runs = runs + 1, started_at = coalesce(started_at, now()), error = NULL
      WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
    [id],
  );
  return row ? toTask(row) : null;
}

export async function finishTask(
  q: Queryable,
  id: string,
  outcome: { status: 'succeeded' } | { status: 'failed'; error: string } | { status: 'queued'; error: string },
): Promise<void> {
  await q.query(
    `UPDATE tasks SET status = $2, error = $3, finished_at = CASE WHEN $2 = 'queued' THEN NULL ELSE now() END
      WHERE id = $1`,
    [id, outcome.status, 'error' in outcome ? outcome.error : null],
  );
}

export interface TaskPageCursor {
  ts: string;
  id: string;
}

/** Newest first, by (created_at, id): a page never repeats or skips a task created meanwhile. */
export async function listTasks(
  q: Queryable,
  filter: { personaId?: string; status?: TaskStatus; limit: number; before?: TaskPageCursor },
): Promise<{ tasks: Task[]; next: TaskPageCursor | null }> {
  const rows = await q.query(
    `SELECT ${COLUMNS}, created_at::text AS cursor_ts FROM tasks
      WHERE ($1::uuid IS NULL OR persona_id = $1)
        AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $5`,
    [
      filter.personaId ?? null,
      filter.status ?? null,
      filter.before?.ts ?? null,
      filter.before?.id ?? null,
      filter.limit + 1,
    ],
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last ? { ts: String(last.cursor_ts), id: String(last.id) } : null;
  return { tasks: page.map(({ cursor_ts: _ts, ...row }) => toTask(row)), next };
}
