import { z } from 'zod';
import type { KpiService } from '../../../kpis/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema } from '../schemas.ts';

const window = { window_days: z.number(), from: z.string(), to: z.string() };
const nullableNumber = z.number().nullable();
const personaKpis = z.object({
  persona: z.string(),
  engagement: z.object({
    ...window,
    rate: nullableNumber,
    posts: z.number(),
    views: z.number(),
    interactions: z.number(),
  }),
  cost_per_follow: z.object({
    ...window,
    dollars: nullableNumber,
    spend_usd: z.number(),
    followers_start: nullableNumber,
    followers_end: nullableNumber,
    net_new_followers: nullableNumber,
  }),
  followers_total: nullableNumber,
  viral_posts_total: z.number(),
});
const flows = z.object({ payments: z.number(), refunds: z.number() });

export function registerKpiRoutes(app: HttpServer, kpis: KpiService) {
  app.get('/v1/kpis', {
    schema: {
      tags: ['kpis'],
      summary: 'Business KPIs with the inputs that produced them (the same numbers as the /metrics gauges)',
      description:
        'Windows are rolling UTC instants ending now. Without `window`, engagement covers 7 days and cost per follow 30, ' +
        'as the gauges do; `window` such as `14d` applies to both. A KPI without a defined value (no views, no net new ' +
        'followers) is null, where the gauge is absent. With `persona`, revenue is the revenue attributed to that persona.',
      querystring: z
        .object({
          persona: z.string().min(1).max(64).optional().describe('a persona slug or id, or `all` (the default)'),
          window: z
            .string()
            .regex(/^[1-9]\d{0,2}d$/, 'use a number of days such as 7d or 30d (1d to 999d)')
            .optional(),
        })
        .strict(),
      response: {
        200: z.object({
          as_of: z.string(),
          kpis: personaKpis,
          revenue_projection_monthly: z.object({
            subscriptions: z.number(),
            affiliate: z.number(),
            leads: z.number(),
            total: z.number(),
          }),
          revenue_inputs: z.object({
            currency: z.string(),
            window_days: z.number(),
            active_subscriptions: z.number(),
            affiliate: flows,
            leads: flows,
          }),
        }),
        400: errorSchema,
        404: errorSchema,
      },
    },
    handler: (request) => kpis.getKpis(request.query),
  });
}
