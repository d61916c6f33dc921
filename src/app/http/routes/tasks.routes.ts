import { z } from 'zod';
import { hashToken } from '../../../auth/index.ts';
import type { TaskEventHub, TasksService } from '../../../generation/index.ts';
import type { HttpServer } from '../http-server.ts';
import {
  createTaskBody,
  errorSchema,
  idParams,
  pageOf,
  pageQuery,
  TASK_STATUSES,
  taskAcceptedSchema,
  taskSchema,
  taskSummarySchema,
} from '../schemas.ts';
import type { StreamLimiter } from '../stream-limiter.ts';
import { streamTaskEvents } from '../task-event-stream.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'use printable ASCII without spaces')
    .optional(),
});

export function registerTaskRoutes(
  app: HttpServer,
  deps: { tasks: TasksService; hub: TaskEventHub; streams: StreamLimiter },
) {
  const tags = ['tasks'];
  app.post('/v1/tasks', {
    schema: {
      tags,
      summary: 'Ask for posts for a persona; the work is queued',
      description: 'Send an Idempotency-Key header to make retries safe: the same key returns the same task.',
      headers: idempotencyHeaders,
      body: createTaskBody,
      response: { 202: taskAcceptedSchema, 400: errorSchema, 422: errorSchema },
    },
    handler: async (request, reply) => {
      const { task, created } = await deps.tasks.createTask(request.body, request.headers['idempotency-key']);
      const self = `/v1/tasks/${task.id}`;
      reply.header('location', self);
      if (!created) reply.header('idempotent-replayed', 'true');
      return reply.code(202).send({
        id: task.id,
        status: task.status,
        links: { self, events: `${self}/events`, posts: `/v1/posts?persona_id=${task.persona_id}` },
      });
    },
  });
  app.get('/v1/tasks', {
    schema: {
      tags,
      summary: 'List tasks, newest first, by persona and/or status',
      querystring: z
        .object({ persona_id: z.uuid().optional(), status: z.enum(TASK_STATUSES).optional(), ...pageQuery })
        .strict(),
      response: { 200: pageOf(taskSummarySchema), 400: errorSchema },
    },
    handler: (request) => deps.tasks.listPage(request.query),
  });
  app.get('/v1/tasks/:id', {
    schema: {
      tags,
      summary: "A task's status, per-node steps with durations, post ids and error",
      params: idParams,
      response: { 200: taskSchema, 404: errorSchema },
    },
    handler: (request) => deps.tasks.getTask(request.params.id),
  });
  app.get('/v1/tasks/:id/events', {
    schema: {
      tags,
      summary: 'Server-Sent Events: node_started / node_finished per graph node, then done or error',
      description:
        'Replays what already happened; send Last-Event-ID to resume after a given event. The stream ends after ' +
        'done or error, at once when the task had already ended before Last-Event-ID. A token may hold ' +
        'SSE_MAX_STREAMS_PER_TOKEN open streams (default 20) per API process; past that the answer is 429.',
      params: idParams,
      headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }),
      response: { 404: errorSchema, 429: errorSchema },
    },
    handler: async (request, reply) => {
      await deps.tasks.requireTask(request.params.id);
      // The auth hook let the request through, so the header holds a valid bearer token.
      const token = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const release = deps.streams.tryAcquire(hashToken(token));
      if (!release) {
        return reply
          .code(429)
          .header('retry-after', '5')
          .send({
            error: {
              code: 'too_many_streams',
              message: `this token already holds ${deps.streams.max} open event streams: close one first`,
            },
          });
      }
      reply.hijack();
      streamTaskEvents(deps.hub, request.params.id, request.headers['last-event-id'] ?? 0, reply.raw, release);
    },
  });
}
