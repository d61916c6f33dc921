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
const windowParam = z.string().regex(/^[1-9]\d{0,2}d$/, 'use a number of days such as 7d or 30d (1d to 999d)');
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
          window: windowParam.optional(),
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
  app.get('/v1/kpis/history', {
    schema: {
      tags: ['kpis'],
      summary: 'The KPIs as they stood at evenly spaced instants over the window, oldest first (for trend charts)',
      description:
        'Each point is GET /v1/kpis computed as of that instant with the same `window`, so the last point is now. ' +
        'Values without a definition at an instant are null, as there.',
      querystring: z
        .object({
          persona: z.string().min(1).max(64).optional().describe('a persona slug or id, or `all` (the default)'),
          window: windowParam.default('7d'),
          points: z.coerce.number().int().min(2).max(31).default(8),
        })
        .strict(),
      response: {
        200: z.object({
          window_days: z.number(),
          points: z.array(
            z.object({
              as_of: z.string(),
              engagement_rate: nullableNumber,
              cost_per_follow: nullableNumber,
              followers_total: nullableNumber,
              viral_posts_total: z.number(),
              mrr: z.number(),
            }),
          ),
        }),
        400: errorSchema,
        404: errorSchema,
      },
    },
    handler: async (request) => {
      const { persona, window, points } = request.query;
      const days = Number(window.slice(0, -1));
      const latest = await kpis.getKpis({ persona, window });
      const end = Date.parse(latest.as_of);
      const step = (days * 86_400_000) / (points - 1);
      const series = [];
      // One instant at a time: each is a full KPI computation, and the database is shared with the workers.
      for (let i = points - 1; i >= 0; i--) {
        const at = i === 0 ? latest : await kpis.getKpis({ persona, window }, new Date(end - i * step));
        series.push({
          as_of: at.as_of,
          engagement_rate: at.kpis.engagement.rate,
          cost_per_follow: at.kpis.cost_per_follow.dollars,
          followers_total: at.kpis.followers_total,
          viral_posts_total: at.kpis.viral_posts_total,
          mrr: at.revenue_projection_monthly.total,
        });
      }
      return { window_days: days, points: series };
    },
  });
}
