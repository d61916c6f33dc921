import { z } from 'zod';

const isWholeCents = (amount: number) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6;

export const revenueEventInput = z
  .object({
    external_id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("your id for the event (e.g. the payment provider's): a replay with the same id is counted once"),
    stream: z.enum(['subscription', 'affiliate', 'lead']),
    type: z.enum(['payment', 'refund', 'cancellation']).default('payment'),
    amount: z
      .number()
      .min(0, 'must be 0 or more: a refund is type "refund" with a positive amount')
      .max(10_000_000)
      .refine(isWholeCents, 'use at most 2 decimals (cents)')
      .describe('dollars; positive also for refunds; 0 for a cancellation'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as USD'),
    persona_id: z.uuid().optional().describe('the persona the revenue is attributed to'),
    recurring: z.boolean().optional().describe('default: true for subscriptions (which must recur), false otherwise'),
    subscription_id: z.string().trim().min(1).max(200).optional(),
    billing_period: z.enum(['month', 'year']).optional().describe('subscriptions only; default: month'),
    occurred_at: z.iso
      .datetime({
        offset: true,
        message: 'use an ISO 8601 date-time with a Z or an offset, e.g. 2026-11-28T09:30:00+01:00',
      })
      .optional()
      .describe('default: now; a cancellation takes effect at this instant'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (e.stream === 'subscription') {
      if (!e.subscription_id) issue('subscription_id', 'subscription events need a subscription_id');
      if (e.recurring === false) {
        issue('recurring', 'a subscription recurs: a one-off sale is affiliate or lead revenue');
      }
    } else {
      if (e.subscription_id) issue('subscription_id', 'only subscription events have a subscription_id');
      if (e.billing_period) issue('billing_period', 'only subscription events have a billing_period');
    }
    if (e.type === 'cancellation') {
      if (e.stream !== 'subscription') issue('type', 'only a subscription can be cancelled');
      if (e.amount !== 0)
        issue('amount', 'a cancellation moves no money: send amount 0 (and a refund as its own event)');
    }
  });

export type RevenueEventInput = z.infer<typeof revenueEventInput>;

export const revenueEventSchema = z.object({
  id: z.uuid(),
  external_id: z.string(),
  stream: z.enum(['subscription', 'affiliate', 'lead']),
  type: z.enum(['payment', 'refund', 'cancellation']),
  amount: z.number(),
  currency: z.string(),
  persona_id: z.uuid().nullable(),
  recurring: z.boolean(),
  subscription_id: z.string().nullable(),
  billing_period: z.enum(['month', 'year']).nullable(),
  occurred_at: z.string(),
  created_at: z.string(),
});

export type RevenueEvent = z.infer<typeof revenueEventSchema>;
