import { decodeCursor, encodeCursor, splitPage } from '../platform/page-cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { groupBy } from '../platform/group-by.ts';
import { findPersonaById } from '../personas/index.ts';
import type { RevenueEvent, RevenueEventInput } from './revenue-event.schema.ts';
import { projectMonthlyRevenueByPersona, type RevenueStream } from './revenue-projection.ts';
import {
  countEventsByPersona,
  findRevenueEventByExternalId,
  insertRevenueEvent,
  listProjectionEvents,
  listRevenueEvents,
  type NewRevenueEvent,
} from './revenue.repository.ts';

/** Projections are in one currency; converting needs exchange rates the product does not keep. */
export const BASE_CURRENCY = 'USD';

function normalise(input: RevenueEventInput): NewRevenueEvent {
  const subscription = input.stream === 'subscription';
  return {
    external_id: input.external_id,
    stream: input.stream,
    type: input.type,
    amount: input.amount,
    currency: input.currency,
    persona_id: input.persona_id ?? null,
    recurring: input.recurring ?? subscription,
    subscription_id: input.subscription_id ?? null,
    billing_period: subscription ? (input.billing_period ?? 'month') : null,
    occurred_at: input.occurred_at ?? null,
  };
}

/** The first field a replay disagrees on; an omitted occurred_at ("now") agrees with any stored one. */
function differingField(stored: RevenueEvent, replay: NewRevenueEvent): string | undefined {
  const { occurred_at, ...fields } = replay;
  for (const [key, value] of Object.entries(fields)) {
    if (stored[key as keyof RevenueEvent] !== value) return key;
  }
  if (occurred_at !== null && new Date(occurred_at).getTime() !== new Date(stored.occurred_at).getTime())
    return 'occurred_at';
  return undefined;
}

const STREAMS: readonly RevenueStream[] = ['subscription', 'affiliate', 'lead'];

export function createRevenueService(deps: { db: Database; now: () => Date }) {
  const { db } = deps;

  /** A replay returns the stored event (`created: false`); the same id with other values is refused. */
  function replayed(stored: RevenueEvent, replay: NewRevenueEvent): { event: RevenueEvent; created: false } {
    const field = differingField(stored, replay);
    if (field) {
      throw new AppError(
        'unprocessable',
        `external_id ${replay.external_id} was already recorded with a different ${field}; use a new external_id for a new event`,
      );
    }
    return { event: stored, created: false };
  }

  async function recordRevenueEvent(input: RevenueEventInput): Promise<{ event: RevenueEvent; created: boolean }> {
    if (input.currency !== BASE_CURRENCY) {
      throw new AppError('unprocessable', `only ${BASE_CURRENCY} is supported: convert the amount before sending it`);
    }
    const event = normalise(input);
    const stored = await findRevenueEventByExternalId(db, event.external_id);
    if (stored) return replayed(stored, event);
    if (event.persona_id && !(await findPersonaById(db, event.persona_id))) {
      throw new AppError('unprocessable', `persona ${event.persona_id} does not exist`);
    }
    const inserted = await insertRevenueEvent(db, event);
    if (inserted) return { event: inserted, created: true };
    // Another request with this external_id committed between the look-up and the insert.
    return replayed((await findRevenueEventByExternalId(db, event.external_id))!, event);
  }

  async function listPage(query: { limit: number; cursor?: string }) {
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const { page, next } = splitPage(await listRevenueEvents(db, { limit: query.limit, before }), query.limit);
    return { data: page, next_cursor: next ? encodeCursor(next) : null };
  }

  /**
   * Per persona (and for revenue attributed to none) its recorded events by stream and its projected
   * MRR by stream, each persona's as GET /v1/kpis?persona= computes it; highest MRR first.
   */
  async function byPersona() {
    const now = deps.now();
    const [counts, events] = await Promise.all([countEventsByPersona(db), listProjectionEvents(db, now)]);
    const byId = groupBy(counts, (c) => c.persona_id);
    const projected = projectMonthlyRevenueByPersona(events, now, [...byId.keys()]);
    const rows = [...byId].map(([personaId, streams]) => {
      const { projection, inputs } = projected.get(personaId)!;
      const eventsOf = (stream: RevenueStream) => streams.find((c) => c.stream === stream)?.events ?? 0;
      return {
        persona_id: personaId,
        slug: streams[0]!.slug,
        deleted: streams[0]!.deleted,
        events: {
          ...Object.fromEntries(STREAMS.map((stream) => [stream, eventsOf(stream)])),
          total: streams.reduce((sum, c) => sum + c.events, 0),
        } as Record<RevenueStream | 'total', number>,
        last_occurred_at: streams
          .map((c) => c.last_occurred_at)
          .sort()
          .at(-1)!,
        mrr: projection,
        active_subscriptions: inputs.active_subscriptions,
      };
    });
    rows.sort((a, b) => b.mrr.total - a.mrr.total || (a.slug ?? '\uffff').localeCompare(b.slug ?? '\uffff'));
    return { as_of: now.toISOString(), currency: BASE_CURRENCY, data: rows };
  }

  return { recordRevenueEvent, listPage, byPersona };
}

export type RevenueService = ReturnType<typeof createRevenueService>;
