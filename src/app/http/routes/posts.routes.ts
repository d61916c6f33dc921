import { z } from 'zod';
import type { DraftEditor } from '../../../generation/index.ts';
import { POST_STATUSES, type PostsService, postTextSchema } from '../../../posts/index.ts';
import type { PostInsightsService } from '../../../insights/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, pageOf, pageQuery, postSchema } from '../schemas.ts';
import { insightSchema } from './insights.routes.ts';

const postEditSchema = z.object({
  id: z.string(),
  post_id: z.uuid(),
  previous_text: z.string(),
  text: z.string(),
  previous_score: z.number().nullable(),
  score: z.number().nullable(),
  edited_by: z.string(),
  edited_at: z.string(),
});

export function registerPostRoutes(
  app: HttpServer,
  deps: { posts: PostsService; insights: Pick<PostInsightsService, 'latestFor'>; drafts: DraftEditor },
) {
  const { posts, insights, drafts } = deps;
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
  app.patch('/v1/posts/:id', {
    schema: {
      tags,
      summary:
        "Edit a draft's text before approving it: checked again like a written draft (guardrails, quality gate, duplicates); the post stays a draft",
      description:
        'Only a draft (awaiting approval) can be edited: 409 otherwise. The text is split into hook and body at its ' +
        'first blank line. A text the guardrails, the quality gate or the duplicate check refuse answers 422, with ' +
        '`details[0].check` naming the check (a guardrail reason, `quality` with its score and failed checks, or ' +
        '`duplicate` with the nearest post) and nothing is changed. An accepted text replaces the score and ' +
        'breakdown, the vector and the nearest post, and is kept in the edit history (`GET /v1/posts/:id/edits`).',
      params: idParams,
      body: z.object({ text: postTextSchema }).strict(),
      response: { 200: postSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema },
    },
    // The authorization hook has set the principal: this route needs an editor's token.
    handler: (request) => drafts.edit(request.params.id, request.body.text, request.principal!.name),
  });
  app.get('/v1/posts/:id/edits', {
    schema: {
      tags,
      summary: "A post's text edits, oldest first: the first one's previous_text is what the workflow wrote",
      params: idParams,
      response: { 200: z.object({ data: z.array(postEditSchema) }), 404: errorSchema },
    },
    handler: (request) => drafts.history(request.params.id),
  });
}
