import { z } from 'zod';
import type { Queryable } from '../../../platform/db/index.ts';
import type { TaskEvents, TasksService } from '../../../generation/index.ts';
import { streamTaskEvents } from '../task-event-stream.ts';
import type { HttpServer } from '../http-server.ts';
import { createTaskBody, errorSchema, idParams, taskAcceptedSchema, taskSchema } from '../schemas.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'use printable ASCII without spaces')
    .optional(),
});

export function registerTaskRoutes(app: HttpServer, deps: { tasks: TasksService; db: Queryable; events: TaskEvents }) {
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
      description: 'Replays what already happened; send Last-Event-ID to resume after a given event.',
      params: idParams,
      headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }),
      response: { 404: errorSchema },
    },
    handler: async (request, reply) => {
      await deps.tasks.requireTask(request.params.id);
      reply.hijack();
      streamTaskEvents(deps, request.params.id, request.headers['last-event-id'] ?? 0, reply.raw);
    },
  });
}
