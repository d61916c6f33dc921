import { type Queryable, toIso } from '../../platform/db/index.ts';

export type PublishStep = 'quota' | 'container' | 'status' | 'publish' | 'lookup';

export interface PublishAttempt {
  post_id: string;
  step: PublishStep;
  outcome: 'ok' | 'error';
  status_code: number | null;
  error_kind: string | null;
  /** Meta's error body as received (secrets scrubbed by the client). */
  error_body: unknown;
}

export async function recordAttempt(q: Queryable, a: PublishAttempt): Promise<void> {
  await q.query(
    `INSERT INTO publish_attempts (post_id, step, outcome, status_code, error_kind, error_body) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [
      a.post_id,
      a.step,
      a.outcome,
      a.status_code,
      a.error_kind,
      a.error_body === null ? null : JSON.stringify(a.error_body),
    ],
  );
}

export async function listAttempts(q: Queryable, postId: string) {
  const rows = await q.query<Omit<PublishAttempt, 'post_id'> & { id: string; created_at: unknown }>(
    `SELECT id::text AS id, step, outcome, status_code, error_kind, error_body, created_at FROM publish_attempts
      WHERE post_id = $1 ORDER BY id`,
    [postId],
  );
  return rows.map((r) => ({ ...r, created_at: toIso(r.created_at) }));
}
