import { z } from 'zod';
import type { TokenAdmin } from '../../token-admin.ts';
import { tokenRequestSchema, tokenViewSchema } from '../../token-admin.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams } from '../schemas.ts';

export function registerTokenRoutes(app: HttpServer, tokens: TokenAdmin) {
  const tags = ['tokens'];
  app.post('/v1/tokens', {
    schema: {
      tags,
      summary: 'Create an API token (admin); the token is in this answer only',
      description:
        'role: admin, editor (personas, tasks, approvals) or viewer (read only). personas: slugs or ids the token is limited to.',
      body: tokenRequestSchema,
      response: { 201: tokenViewSchema.extend({ token: z.string() }), 400: errorSchema, 422: errorSchema },
    },
    handler: async (request, reply) => {
      const created = await tokens.create(request.body);
      return reply.code(201).header('location', `/v1/tokens/${created.id}`).send(created);
    },
  });
  app.get('/v1/tokens', {
    schema: {
      tags,
      summary: 'List API tokens (admin), revoked ones included, never their values',
      response: { 200: z.object({ data: z.array(tokenViewSchema) }) },
    },
    handler: async () => ({ data: await tokens.list() }),
  });
  app.delete('/v1/tokens/:id', {
    schema: {
      tags,
      summary: 'Revoke an API token (admin); it is refused from the next request on',
      params: idParams,
      response: { 204: z.null(), 404: errorSchema },
    },
    handler: async (request, reply) => {
      await tokens.revoke(request.params.id);
      return reply.code(204).send(null);
    },
  });
}
