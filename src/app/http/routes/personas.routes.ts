import { z } from 'zod';
import { personaFieldsSchema, personaPatchSchema, type PersonasService } from '../../../personas/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, pageOf, pageQuery, personaSchema } from '../schemas.ts';

export function registerPersonaRoutes(app: HttpServer, personas: PersonasService) {
  const tags = ['personas'];
  app.get('/v1/personas', {
    schema: {
      tags,
      summary: 'List personas, ordered by slug',
      querystring: z.object({ ...pageQuery }).strict(),
      response: { 200: pageOf(personaSchema) },
    },
    handler: (request) => personas.listPage(request.query),
  });
  app.post('/v1/personas', {
    schema: {
      tags,
      summary: 'Create a persona',
      body: personaFieldsSchema,
      response: { 201: personaSchema, 409: errorSchema },
    },
    handler: async (request, reply) => reply.code(201).send(await personas.createPersona(request.body)),
  });
  app.get('/v1/personas/:id', {
    schema: { tags, summary: 'Get a persona', params: idParams, response: { 200: personaSchema, 404: errorSchema } },
    handler: (request) => personas.getPersona(request.params.id),
  });
  app.patch('/v1/personas/:id', {
    schema: {
      tags,
      summary: "Change some of a persona's fields",
      params: idParams,
      body: personaPatchSchema,
      response: { 200: personaSchema, 404: errorSchema, 409: errorSchema },
    },
    handler: (request) => personas.patchPersona(request.params.id, request.body),
  });
  app.delete('/v1/personas/:id', {
    schema: {
      tags,
      summary: 'Delete a persona (its posts are kept; its Threads account is unlinked)',
      params: idParams,
      response: { 204: z.null(), 404: errorSchema },
    },
    handler: async (request, reply) => {
      await personas.deletePersona(request.params.id);
      return reply.code(204).send(null);
    },
  });
}
