import { z } from 'zod';
import type { PostInsightsService } from '../../../insights/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams } from '../schemas.ts';

/** Lifetime totals at `captured_at`; engagement_rate = interactions / views, as in the KPIs (null without views). */
export const insightSchema = z.object({
  captured_at: z.string(),
  views: z.number(),
  likes: z.number(),
  replies: z.number(),
  reposts: z.number(),
  quotes: z.number(),
  shares: z.number(),
  interactions: z.number(),
  engagement_rate: z.number().nullable(),
});

export function registerInsightsRoutes(app: HttpServer, insights: PostInsightsService) {
  app.get('/v1/posts/:id/insights', {
    schema: {
      tags: ['posts'],
      summary: "A published post's insight snapshots, oldest first, and when the next capture is due",
      description:
        'Captured hourly during the first day, every 6 hours to day 7, daily to day 30, then no more. ' +
        'stop_reason: complete (day 30 captured), expired (the window closed first, e.g. the account was paused), ' +
        'media_gone (Threads no longer has the post).',
      params: idParams,
      response: {
        200: z.object({
          post_id: z.uuid(),
          collection: z.object({
            next_due_at: z.string().nullable(),
            stopped_at: z.string().nullable(),
            stop_reason: z.enum(['complete', 'expired', 'media_gone']).nullable(),
          }),
          data: z.array(insightSchema),
        }),
        404: errorSchema,
      },
    },
    handler: (request) => insights.seriesFor(request.params.id),
  });
}
