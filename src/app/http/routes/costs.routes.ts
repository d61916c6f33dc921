import { z } from 'zod';
import { COST_GROUPS, type ReportCosts } from '../../../kpis/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema } from '../schemas.ts';

const totals = {
  calls: z.number(),
  cache_hits: z.number(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cost_usd: z.number(),
};

export function registerCostRoutes(app: HttpServer, reportCosts: ReportCosts) {
  app.get('/v1/costs', {
    schema: {
      tags: ['costs'],
      summary: 'Model spend and tokens in a time range, grouped by model, service (hook, body) or persona',
      querystring: z
        .object({
          from: z.iso.datetime({ offset: true }).optional().describe('default: 30 days before `to`'),
          to: z.iso.datetime({ offset: true }).optional().describe('default: now'),
          group_by: z.enum(COST_GROUPS).default('model'),
        })
        .strict(),
      response: {
        200: z.object({
          from: z.string(),
          to: z.string(),
          group_by: z.enum(COST_GROUPS),
          rows: z.array(z.object({ key: z.string(), ...totals })),
          total: z.object(totals),
        }),
        400: errorSchema,
      },
    },
    handler: (request) => reportCosts(request.query),
  });
}
