import { z } from 'zod';
import type { KpiService } from '../../kpis/kpi.service.ts';
import type { ZodApp } from '../zod-app.ts';
import { errorSchema } from '../schemas.ts';

const nullableNumber = z.number().nullable();
const personaKpis = z.object({
  persona: z.string(),
  engagement: z.object({ window_days: z.number(), rate: nullableNumber, posts: z.number(), views: z.number(), interactions: z.number() }),
  cost_per_follow: z.object({
    window_days: z.number(),
    dollars: nullableNumber,
    spend_usd: z.number(),
    followers_start: nullableNumber,
    followers_end: nullableNumber,
    net_new_followers: nullableNumber,
  }),
  followers_total: nullableNumber,
  viral_posts_total: z.number(),
});

export function registerKpiRoutes(app: ZodApp, kpis: KpiService) {
  app.get('/v1/kpis', {
    schema: {
      tags: ['kpis'],
      summary: 'Business KPIs with the inputs that produced them (the same numbers as the /metrics gauges)',
      description:
        'Without `window`, engagement covers 7 days and cost per follow 30 days, as the gauges do; a window such as `14d` applies to both.',
      querystring: z
        .object({
          persona: z.string().min(1).max(64).optional().describe('a persona slug or id; default: all personas'),
          window: z
            .string()
            .regex(/^([1-9]\d{0,2})d$/, 'use a number of days such as 7d or 30d (at most 999d)')
            .optional(),
        })
        .strict(),
      response: {
        200: z.object({
          as_of: z.string(),
          kpis: personaKpis,
          revenue_projection_monthly: z.object({ subscriptions: z.number(), affiliate: z.number(), leads: z.number(), total: z.number() }),
        }),
        400: errorSchema,
        404: errorSchema,
      },
    },
    handler: (request) => kpis.getKpis(request.query),
  });
}
