import type { Queryable } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';

/** One mutating call: who, what, when, from where, and how it ended. Never a body or a secret. */
export interface AuditEntry {
  token_id: string | null;
  token_name: string | null;
  method: string;
  route: string;
  resource_id: string | null;
  ip: string;
  status: number;
  request_id: string;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
}

export async function recordAudit(q: Queryable, entry: AuditEntry, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, token_id, token_name, method, route, resource_id, ip, status, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      at,
      entry.token_id,
      entry.token_name,
      entry.method,
      entry.route,
      entry.resource_id,
      entry.ip,
      entry.status,
      entry.request_id,
    ],
  );
}

/** Newest first; the cursor is the last id seen (ids only grow, so a page never repeats or skips a row). */
export async function listAudit(q: Queryable, page: { limit: number; cursor?: string }) {
  if (page.cursor !== undefined && !/^\d{1,18}$/.test(page.cursor)) {
    throw new AppError('bad_request', 'cursor: pass the next_cursor of the previous page');
  }
  const rows = await q.query<AuditRecord & { at: Date }>(
    `SELECT id::text AS id, at, token_id, token_name, method, route, resource_id, ip, status, request_id
     FROM audit_log WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`,
    [page.cursor ?? null, page.limit],
  );
  const data = rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  const last = data.at(-1);
  return { data, next_cursor: data.length === page.limit && last ? last.id : null };
}
