import { revenueEventInput, revenueEventSchema, type RevenueService } from '../../../revenue/index.ts';
import type { HttpServer } from '../http-server.ts';
import { z } from 'zod';
import { errorSchema, pageOf, pageQuery } from '../schemas.ts';

export function registerRevenueRoutes(app: HttpServer, revenue: RevenueService) {
  app.post('/v1/revenue/events', {
    schema: {
      tags: ['revenue'],
      summary: 'Record a revenue event (subscription, affiliate or lead); a replayed external_id is counted once',
      description:
        '201 when new; 200 with the stored event when the external_id was seen before with the same values; ' +
        '422 when it was seen with different values, for a currency other than USD, or an unknown persona.',
      body: revenueEventInput,
      response: { 200: revenueEventSchema, 201: revenueEventSchema, 400: errorSchema, 422: errorSchema },
    },
    handler: async (request, reply) => {
      const { event, created } = await revenue.recordRevenueEvent(request.body);
      return reply.code(created ? 201 : 200).send(event);
    },
  });
  app.get('/v1/revenue/events', {
    schema: {
      tags: ['revenue'],
      summary: 'List recorded revenue events, most recently recorded first',
      querystring: z.object({ ...pageQuery }).strict(),
      response: { 200: pageOf(revenueEventSchema), 400: errorSchema },
    },
    handler: (request) => revenue.listPage(request.query),
  });
  const streams = { subscription: z.number().int(), affiliate: z.number().int(), lead: z.number().int() };
  app.get('/v1/revenue/by-persona', {
    schema: {
      tags: ['revenue'],
      summary: 'Revenue per persona: recorded events and projected MRR, by stream; highest MRR first',
      description:
        'One row per persona that has recorded revenue, and one (persona_id null) for revenue attributed to none. ' +
        'events: events recorded, all time; mrr: the monthly projection now, as GET /v1/kpis?persona= computes it ' +
        '(active subscriptions plus the last 30 days of affiliate and lead revenue net of refunds).',
      response: {
        200: z.object({
          as_of: z.string(),
          currency: z.string(),
          data: z.array(
            z.object({
              persona_id: z.uuid().nullable(),
              slug: z.string().nullable(),
              deleted: z.boolean(),
              events: z.object({ ...streams, total: z.number().int() }),
              last_occurred_at: z.string(),
              mrr: z.object({
                subscriptions: z.number(),
                affiliate: z.number(),
                leads: z.number(),
                total: z.number(),
              }),
              active_subscriptions: z.number().int(),
            }),
          ),
        }),
      },
    },
    handler: () => revenue.byPersona(),
  });
}
