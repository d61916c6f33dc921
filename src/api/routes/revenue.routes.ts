import { z } from 'zod';
import { revenueEventInput, type RevenueService } from '../../revenue/revenue.service.ts';
import type { ZodApp } from '../zod-app.ts';
import { errorSchema } from '../schemas.ts';

const revenueEventSchema = z.object({
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

export function registerRevenueRoutes(app: ZodApp, revenue: RevenueService) {
  app.post('/v1/revenue/events', {
    schema: {
      tags: ['revenue'],
      summary: 'Record a revenue event (subscription, affiliate or lead); a replayed external_id is counted once',
      body: revenueEventInput,
      response: { 200: revenueEventSchema, 201: revenueEventSchema, 400: errorSchema, 422: errorSchema },
    },
    handler: async (request, reply) => {
      const { event, created } = await revenue.recordRevenueEvent(request.body);
      return reply.code(created ? 201 : 200).send(event as z.infer<typeof revenueEventSchema>);
    },
  });
}
