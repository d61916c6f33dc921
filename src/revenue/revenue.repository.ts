import { type Queryable, toIso } from '../platform/db/index.ts';
import { windowEnding } from '../platform/time-window.ts';
import type { RevenueEvent } from './revenue-event.schema.ts';
import { REVENUE_WINDOW_DAYS, SUBSCRIPTION_HORIZON_DAYS, type RevenueEventRow } from './revenue-projection.ts';

export type NewRevenueEvent = Omit<RevenueEvent, 'id' | 'occurred_at' | 'created_at'> & { occurred_at: string | null };

const COLUMNS = `id, external_id, stream, type, amount::float8 AS amount, currency, persona_id, recurring, subscription_id,
  billing_period, occurred_at, created_at`;

function toEvent(row: Record<string, unknown>): RevenueEvent {
  return { ...(row as RevenueEvent), occurred_at: toIso(row.occurred_at), created_at: toIso(row.created_at) };
}

/** Inserts the event unless its external_id is already stored; null then. */
export async function insertRevenueEvent(q: Queryable, e: NewRevenueEvent): Promise<RevenueEvent | null> {
  const [row] = await q.query(
    `INSERT INTO revenue_events (external_id, stream, type, amount, currency, persona_id, recurring, subscription_id,
       billing_period, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now()))
     ON CONFLICT (external_id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      e.external_id,
      e.stream,
      e.type,
      e.amount,
      e.currency,
      e.persona_id,
      e.recurring,
      e.subscription_id,
      e.billing_period,
      e.occurred_at,
    ],
  );
  return row ? toEvent(row) : null;
}

export async function findRevenueEventByExternalId(q: Queryable, externalId: string): Promise<RevenueEvent | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM revenue_events WHERE external_id = $1`, [externalId]);
  return row ? toEvent(row) : null;
}

/** Events newest first (by when they were recorded), `limit + 1` rows so the caller knows if a next page exists. */
export async function listRevenueEvents(
  q: Queryable,
  page: { limit: number; before?: { ts: string; id: string } },
): Promise<(RevenueEvent & { cursor_ts: string })[]> {
  const rows = await q.query(
    `SELECT ${COLUMNS}, created_at::text AS cursor_ts FROM revenue_events
      WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [page.before?.ts ?? null, page.before?.id ?? null, page.limit + 1],
  );
  return rows.map((row) => ({ ...toEvent(row), cursor_ts: String(row.cursor_ts) }));
}

/**
 * The only events the projection at `now` can use: each subscription's latest status event
 * (with ties) within the horizon where one can still be active, and the window's affiliate and
 * lead events. Bounded by subscriptions and one month of sales, not by the whole history.
 */
export async function listProjectionEvents(q: Queryable, now: Date): Promise<RevenueEventRow[]> {
  const rows = await q.query<Omit<RevenueEventRow, 'occurred_at'> & { occurred_at: Date | string }>(
    `SELECT stream, type, amount, persona_id, subscription_id, billing_period, occurred_at FROM (
       SELECT stream, type, amount::float8 AS amount, persona_id, subscription_id, billing_period, occurred_at,
              rank() OVER (PARTITION BY subscription_id ORDER BY occurred_at DESC) AS recency
         FROM revenue_events
        WHERE stream = 'subscription' AND type <> 'refund' AND occurred_at > $1 AND occurred_at <= $3) latest
      WHERE recency = 1
     UNION ALL
     SELECT stream, type, amount::float8, persona_id, subscription_id, billing_period, occurred_at
       FROM revenue_events
      WHERE stream IN ('affiliate', 'lead') AND occurred_at > $2 AND occurred_at <= $3`,
    [
      windowEnding(now, SUBSCRIPTION_HORIZON_DAYS).from.toISOString(),
      windowEnding(now, REVENUE_WINDOW_DAYS).from.toISOString(),
      now.toISOString(),
    ],
  );
  return rows.map((r) => ({
    ...r,
    occurred_at: r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at),
  }));
}

export interface PersonaEventCounts {
  persona_id: string | null;
  /** null for revenue attributed to no persona; a deleted persona keeps its slug here. */
  slug: string | null;
  deleted: boolean;
  stream: RevenueEventRow['stream'];
  events: number;
  last_occurred_at: string;
}

/** How many events each persona (and none) has recorded per stream, over all time. */
export async function countEventsByPersona(q: Queryable): Promise<PersonaEventCounts[]> {
  const rows = await q.query<Omit<PersonaEventCounts, 'last_occurred_at'> & { last_occurred_at: unknown }>(
    `SELECT e.persona_id, p.slug, p.deleted_at IS NOT NULL AS deleted, e.stream, e.events, e.last_occurred_at
       FROM (SELECT persona_id, stream, count(*)::int AS events, max(occurred_at) AS last_occurred_at
               FROM revenue_events GROUP BY persona_id, stream) e
       LEFT JOIN personas p ON p.id = e.persona_id`,
  );
  return rows.map((row) => ({ ...row, last_occurred_at: toIso(row.last_occurred_at) }));
}
