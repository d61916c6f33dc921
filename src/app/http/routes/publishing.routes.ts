import { z } from 'zod';
import type { ApprovalService } from '../../../posts/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, postSchema } from '../schemas.ts';

const attemptSchema = z.object({
  id: z.string(),
  step: z.enum(['quota', 'container', 'status', 'publish', 'lookup']),
  outcome: z.enum(['ok', 'error']),
  status_code: z.number().nullable(),
  error_kind: z.string().nullable(),
  error_body: z.unknown(),
  created_at: z.string(),
});

export function registerPublishingRoutes(app: HttpServer, publishing: ApprovalService) {
  const tags = ['publishing'];
  const answers = { 200: postSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema };
  app.post('/v1/posts/:id/approve', {
    schema: {
      tags,
      summary: 'Approve a draft for publishing (the scheduler gives it a slot)',
      params: idParams,
      response: answers,
    },
    handler: (request) => publishing.approve(request.params.id),
  });
  app.post('/v1/posts/:id/reject', {
    schema: {
      tags,
      summary: 'Reject a draft, approved or scheduled post (rejection_reason rejected_by_user)',
      params: idParams,
      body: z
        .object({ reason: z.string().trim().min(1).max(500).optional() })
        .strict()
        .nullish(),
      response: answers,
    },
    handler: (request) => publishing.reject(request.params.id, request.body?.reason),
  });
  app.post('/v1/posts/:id/schedule', {
    schema: {
      tags,
      summary: "Schedule an approved post (or a draft, approving it): at a time, or at the persona's next free slot",
      params: idParams,
      body: z
        .object({ at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional() })
        .strict()
        .nullish(),
      response: answers,
    },
    handler: (request) => publishing.schedule(request.params.id, request.body?.at),
  });
  app.get('/v1/posts/:id/publish-attempts', {
    schema: {
      tags,
      summary: "Every Threads call made to publish this post, with Meta's raw error body",
      params: idParams,
      response: { 200: z.object({ data: z.array(attemptSchema) }), 404: errorSchema },
    },
    handler: (request) => publishing.publishAttempts(request.params.id),
  });
}
