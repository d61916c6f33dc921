import { z } from 'zod';
import type { PostsService } from '../../posts/posts.service.ts';
import type { ZodApp } from '../zod-app.ts';
import { errorSchema, idParams, pageOf, pageQuery, postSchema } from '../schemas.ts';

export function registerPostRoutes(app: ZodApp, posts: PostsService) {
  const tags = ['posts'];
  app.get('/v1/posts', {
    schema: {
      tags,
      summary: 'List posts, newest first',
      querystring: z
        .object({ persona_id: z.uuid().optional(), status: z.enum(['draft', 'rejected']).optional(), ...pageQuery })
        .strict(),
      response: { 200: pageOf(postSchema), 400: errorSchema },
    },
    handler: (request) => posts.listPage(request.query),
  });
  app.get('/v1/posts/:id', {
    schema: {
      tags,
      summary: 'Get a post: text, hook, body, scores, models, tokens, cost',
      params: idParams,
      response: { 200: postSchema, 404: errorSchema },
    },
    handler: (request) => posts.getPost(request.params.id),
  });
}
