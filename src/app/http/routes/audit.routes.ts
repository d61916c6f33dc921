import { z } from 'zod';
import { listAudit } from '../../../auth/index.ts';
import type { Queryable } from '../../../platform/db/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, pageOf, pageQuery } from '../schemas.ts';

const auditSchema = z.object({
  id: z.string(),
  at: z.string(),
  token_id: z.uuid().nullable(),
  token_name: z.string().nullable(),
  method: z.string(),
  route: z.string(),
  resource_id: z.string().nullable(),
  ip: z.string(),
  status: z.number(),
  request_id: z.string(),
});

export function registerAuditRoutes(app: HttpServer, db: Queryable) {
  app.get('/v1/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Mutating calls, newest first (admin): who, what, when, from where, and the status',
      querystring: z.object({ ...pageQuery }).strict(),
      response: { 200: pageOf(auditSchema), 400: errorSchema },
    },
    handler: (request) => listAudit(db, request.query),
  });
}
