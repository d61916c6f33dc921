import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { THREADS_ENDPOINTS } from '../platform/threads/index.ts';
import { audienceTaste, tasteAt } from './audience-taste.ts';
import { engagementRate } from './engagement-model.ts';
import { graphErrors } from './graph-error.ts';
import { accountSeedOf } from './judge-post.ts';
import { ALL_SCOPES, createSimUser, issueToken } from './sim-accounts.ts';
import type { SimContext } from './sim-context.ts';
import { formatTimestamp, permalinkOf } from './sim-ids.ts';
import { followersNow, mediaTotalsAt, ownPosts, repliesIndex } from './sim-insights.ts';
import { containerStatus, quotaUsage } from './sim-publishing.ts';
import type { SimUser } from './sim-state.ts';

const phrase = z.string().trim().min(1).max(80);
const scopes = z.array(z.enum(ALL_SCOPES)).default([...ALL_SCOPES]);
const tokenFields = {
  scopes,
  token_kind: z.enum(['short', 'long']).default('long'),
  token_age_hours: z.number().min(0).default(0),
};

const profileFields = {
  name: z.string().min(1).max(100).optional(),
  biography: z.string().max(500).optional(),
  profile: z
    .object({
      niche: z.string().max(100).default(''),
      topics: z.array(phrase).default([]),
      vocabulary: z.array(phrase).default([]),
    })
    .optional(),
};

const newUserBody = z.object({
  username: z
    .string()
    .regex(/^[a-z0-9._]{1,30}$/, 'lowercase letters, digits, dots and underscores')
    .optional(),
  followers: z.number().int().min(0).optional(),
  ...profileFields,
  ...tokenFields,
});

const tasteQuery = z.object({
  at: z
    .union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
    .optional()
    .describe('epoch ms or an ISO date-time; default now'),
});

const advanceBody = z
  .object({
    ms: z.number().min(0).optional(),
    seconds: z.number().min(0).optional(),
    hours: z.number().min(0).optional(),
    days: z.number().min(0).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give ms, seconds, hours or days');

const faultBody = z
  .object({
    endpoint: z.enum(THREADS_ENDPOINTS),
    count: z.number().int().min(1).default(1),
    preset: z.enum(['transient', 'throttled', 'auth', 'permission', 'bad_gateway']).optional(),
    status: z.number().int().min(400).max(599).optional(),
    error: z
      .object({
        message: z.string().min(1),
        type: z.enum(['THApiException', 'OAuthException']).optional(),
        code: z.number().int(),
        error_subcode: z.number().int().optional(),
        error_user_title: z.string().optional(),
        error_user_msg: z.string().optional(),
        is_transient: z.boolean().optional(),
      })
      .optional(),
    delay_ms: z.number().int().min(0).max(120_000).optional(),
  })
  .refine((b) => !(b.preset && b.error), 'give a preset or an error, not both');

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw graphErrors.badParam(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

/**
 * Test and demo controls under /__sim/: accounts without OAuth, time travel, injected failures,
 * and a view of what was really published (for exactly-once checks).
 */
export function registerAdminRoutes(app: FastifyInstance, ctx: SimContext): void {
  const withToken = (user: SimUser, b: { scopes: string[]; token_kind: 'short' | 'long'; token_age_hours: number }) => {
    const issued = issueToken(ctx, user.id, b.scopes, b.token_kind, ctx.now() - b.token_age_hours * 3_600_000);
    return {
      user_id: user.id,
      username: user.username,
      access_token: issued.accessToken,
      token_kind: issued.token.kind,
      scopes: issued.token.scopes,
      expires_at: formatTimestamp(issued.token.expiresAt),
    };
  };

  app.post('/__sim/users', async (request, reply) => {
    const b = parse(newUserBody, request.body);
    const user = createSimUser(ctx, {
      username: b.username,
      name: b.name,
      biography: b.biography,
      followers: b.followers,
      profile: b.profile ?? null,
    });
    const issued = withToken(user, b);
    // On disk before the answer: the caller stores this token, and a crash must not leave it unknown here.
    await ctx.store.flush();
    return reply.status(201).send(issued);
  });

  // For accounts made through OAuth: give the simulated audience a profile to judge topic fit against.
  app.patch<{ Params: { id: string } }>('/__sim/users/:id', async (request) => {
    const user = ctx.state.users[request.params.id];
    if (!user) throw graphErrors.objectNotFound(request.params.id);
    const b = parse(z.object(profileFields), request.body);
    if (b.name !== undefined) user.name = b.name;
    if (b.biography !== undefined) user.biography = b.biography;
    if (b.profile !== undefined) user.profile = b.profile;
    ctx.store.changed();
    return { id: user.id, username: user.username, name: user.name, biography: user.biography, profile: user.profile };
  });

  app.post<{ Params: { id: string } }>('/__sim/users/:id/tokens', async (request, reply) => {
    const user = ctx.state.users[request.params.id];
    if (!user) throw graphErrors.objectNotFound(request.params.id);
    const issued = withToken(user, parse(z.object(tokenFields), request.body));
    await ctx.store.flush();
    return reply.status(201).send(issued);
  });

  app.get('/__sim/state', async () => {
    const now = ctx.now();
    return {
      now: formatTimestamp(now),
      now_ms: now,
      users: Object.values(ctx.state.users).map((u) => {
        const containers: Record<string, number> = {};
        for (const c of Object.values(ctx.state.containers)) {
          if (c.userId !== u.id) continue;
          const status = containerStatus(ctx, c);
          containers[status] = (containers[status] ?? 0) + 1;
        }
        const own = Object.values(ctx.state.media).filter((m) => m.ownerId === u.id && m.origin === 'api');
        return {
          id: u.id,
          username: u.username,
          followers_count: followersNow(ctx.state, u, now),
          published_posts: own.filter((m) => !m.replyToId).length,
          published_replies: own.filter((m) => m.replyToId).length,
          quota_usage: quotaUsage(ctx, u.id),
          containers,
        };
      }),
    };
  });

  app.get<{ Params: { id: string } }>('/__sim/users/:id/posts', async (request) => {
    if (!ctx.state.users[request.params.id]) throw graphErrors.objectNotFound(request.params.id);
    const now = ctx.now();
    const replies = repliesIndex(ctx.state);
    return {
      data: ownPosts(ctx.state, request.params.id)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((m) => {
          const totals = mediaTotalsAt(m, now, replies);
          return {
            id: m.id,
            text: m.text,
            permalink: permalinkOf(m.username, m.id),
            timestamp: formatTimestamp(m.createdAt),
            insights: totals,
            engagement_rate: engagementRate(totals),
            plan: m.plan,
          };
        }),
    };
  });

  // For benchmarks that compute regret; the product never calls it (no Graph endpoint shows the taste).
  app.get<{ Params: { id: string }; Querystring: { at?: string } }>('/__sim/users/:id/taste', async (request) => {
    const user = ctx.state.users[request.params.id];
    if (!user) throw graphErrors.objectNotFound(request.params.id);
    const at = parse(tasteQuery, request.query).at ?? ctx.now();
    const taste = audienceTaste(accountSeedOf(ctx.seed, user.id), user.profile);
    return { user_id: user.id, at: formatTimestamp(at), at_ms: at, taste: tasteAt(taste, at), drift: taste.drift };
  });

  app.get('/__sim/clock', async () => ({ now: formatTimestamp(ctx.now()), now_ms: ctx.now() }));

  app.post('/__sim/clock/advance', async (request) => {
    const b = parse(advanceBody, request.body);
    if (!ctx.clock.advance) throw graphErrors.badParam('this simulator was given a clock that cannot be advanced');
    ctx.clock.advance((b.ms ?? 0) + (b.seconds ?? 0) * 1000 + (b.hours ?? 0) * 3_600_000 + (b.days ?? 0) * 86_400_000);
    ctx.store.changed();
    return { now: formatTimestamp(ctx.now()), now_ms: ctx.now() };
  });

  app.get('/__sim/faults', async () => ({ pending: ctx.faults.pending() }));

  app.post('/__sim/faults', async (request, reply) => {
    const b = parse(faultBody, request.body);
    if (!b.preset && !b.error && b.delay_ms === undefined)
      throw graphErrors.badParam('give a preset, an error or a delay_ms');
    ctx.faults.add({
      endpoint: b.endpoint,
      count: b.count,
      preset: b.preset,
      status: b.status,
      error: b.error,
      delayMs: b.delay_ms,
    });
    return reply.status(201).send({ pending: ctx.faults.pending() });
  });

  app.delete('/__sim/faults', async () => {
    ctx.faults.clear();
    return { pending: [] };
  });
}
