import { z } from 'zod';
import {
  PERSONA_SORTS,
  personaFieldsSchema,
  personaPatchSchema,
  type PersonasService,
} from '../../../personas/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, pageOf, pageQuery, personaSchema } from '../schemas.ts';

export function registerPersonaRoutes(app: HttpServer, personas: PersonasService) {
  const tags = ['personas'];
  app.get('/v1/personas', {
    schema: {
      tags,
      summary: 'List personas: searched, filtered and sorted (by slug unless asked)',
      description:
        'Text sorts ignore case and compare characters by code point, the same on every server; ties are broken by id. ' +
        'A next_cursor holds the sort key and the listing it came from: send it back with the same sort, order, q and ' +
        'filters (another listing answers 400).',
      querystring: z
        .object({
          sort: z.enum(PERSONA_SORTS).default('slug'),
          order: z.enum(['asc', 'desc']).default('asc'),
          q: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .describe('case-insensitive part of the slug, name, niche or a topic'),
          approval_mode: personaFieldsSchema.shape.approval_mode.unwrap().optional(),
          source: personaSchema.shape.source.optional(),
          learning_mode: personaFieldsSchema.shape.learning_mode.unwrap().optional(),
          ...pageQuery,
        })
        .strict(),
      response: { 200: pageOf(personaSchema), 400: errorSchema },
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
