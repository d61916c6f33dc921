import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { toIso } from '../db/rows.ts';
import { AppError } from '../errors.ts';
import { findPersonaById } from '../personas/persona.repository.ts';

export const revenueEventInput = z
  .object({
    external_id: z.string().trim().min(1).max(200).describe('your id for the event: a replay with the same id is stored once'),
    stream: z.enum(['subscription', 'affiliate', 'lead']),
    type: z.enum(['payment', 'refund', 'cancellation']).default('payment'),
    amount: z.number().min(0).max(10_000_000).describe('positive, also for refunds; 0 for a cancellation'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as USD'),
    persona_id: z.uuid().optional(),
    recurring: z.boolean().default(false),
    subscription_id: z.string().trim().min(1).max(200).optional(),
    billing_period: z.enum(['month', 'year']).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  })
  .strict()
  .refine((e) => e.stream !== 'subscription' || e.subscription_id, {
    message: 'subscription events need a subscription_id',
    path: ['subscription_id'],
  })
  .refine((e) => !(e.stream === 'subscription' && e.type === 'payment' && !e.recurring), {
    message: 'a subscription payment is recurring: send recurring: true (one-off sales are affiliate or lead revenue)',
    path: ['recurring'],
  });

export type RevenueEventInput = z.infer<typeof revenueEventInput>;

/** Projections are in one currency; converting needs rates the product does not keep. */
const BASE_CURRENCY = 'USD';

const COLUMNS = `id, external_id, stream, type, amount::float8 AS amount, currency, persona_id, recurring, subscription_id,
  billing_period, occurred_at, created_at`;

function toEvent(row: Record<string, unknown>) {
  return { ...row, occurred_at: toIso(row.occurred_at), created_at: toIso(row.created_at) };
}

export function createRevenueService(deps: { db: Database }) {
  const { db } = deps;

  /** Stores an event once per external_id; a replay returns the stored event and `created: false`. */
  async function recordRevenueEvent(input: RevenueEventInput) {
    if (input.currency !== BASE_CURRENCY) {
      throw new AppError('unprocessable', `only ${BASE_CURRENCY} is supported: convert the amount before sending it`);
    }
    if (input.persona_id && !(await findPersonaById(db, input.persona_id))) {
      throw new AppError('unprocessable', `persona ${input.persona_id} does not exist`);
    }
    const inserted = await db.query(
      `INSERT INTO revenue_events (external_id, stream, type, amount, currency, persona_id, recurring, subscription_id,
         billing_period, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now()))
       ON CONFLICT (external_id) DO NOTHING RETURNING ${COLUMNS}`,
      [input.external_id, input.stream, input.type, input.amount, input.currency, input.persona_id ?? null, input.recurring,
        input.subscription_id ?? null, input.stream === 'subscription' ? (input.billing_period ?? 'month') : null,
        input.occurred_at ?? null],
    );
    if (inserted[0]) return { event: toEvent(inserted[0]), created: true };
    const [existing] = await db.query(`SELECT ${COLUMNS} FROM revenue_events WHERE external_id = $1`, [input.external_id]);
    return { event: toEvent(existing!), created: false };
  }

  return { recordRevenueEvent };
}

export type RevenueService = ReturnType<typeof createRevenueService>;
