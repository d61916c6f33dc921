import { z } from 'zod';
import { POST_STATUSES, type PostsService } from '../../../posts/index.ts';
import type { PostInsightsService } from '../../../insights/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, pageOf, pageQuery, postSchema } from '../schemas.ts';
import { insightSchema } from './insights.routes.ts';

export function registerPostRoutes(
  app: HttpServer,
  posts: PostsService,
  insights: Pick<PostInsightsService, 'latestFor'>,
) {
  const tags = ['posts'];
  app.get('/v1/posts', {
    schema: {
      tags,
      summary: 'List posts, newest first, each published one with its latest insights',
      querystring: z
        .object({ persona_id: z.uuid().optional(), status: z.enum(POST_STATUSES).optional(), ...pageQuery })
        .strict(),
      response: { 200: pageOf(postSchema.extend({ insights: insightSchema.nullable() })), 400: errorSchema },
    },
    handler: async (request) => {
      const page = await posts.listPage(request.query);
      const data = await Promise.all(
        page.data.map(async (post) => ({
          ...post,
          insights: post.published_at ? await insights.latestFor(post.id) : null,
        })),
      );
      return { ...page, data };
    },
  });
  app.get('/v1/posts/:id', {
    schema: {
      tags,
      summary: 'Get a post: text, hook, body, scores, models, tokens, cost, and its latest insights once published',
      params: idParams,
      response: { 200: postSchema.extend({ insights: insightSchema.nullable() }), 404: errorSchema },
    },
    handler: async (request) => {
      const post = await posts.getPost(request.params.id);
      // Insights are captured only once a post is on Threads: a draft needs no second query.
      return { ...post, insights: post.published_at ? await insights.latestFor(post.id) : null };
    },
  });
  app.get('/v1/posts/:id/similar', {
    schema: {
      tags,
      summary: 'The posts nearest in meaning to this one (any persona), with cosine similarity scores',
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict(),
      response: {
        200: z.object({
          data: z.array(z.object({ post_id: z.uuid(), persona_id: z.uuid(), text: z.string(), score: z.number() })),
        }),
        404: errorSchema,
      },
    },
    handler: (request) => posts.listSimilar(request.params.id, request.query.limit),
  });
}
