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
}
