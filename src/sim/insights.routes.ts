import type { FastifyInstance } from 'fastify';
import { graphErrors } from './graph-error.ts';
import { timeParam } from './media.routes.ts';
import { authenticate, ownUserId } from './sim-auth.ts';
import { DAY_MS, type SimContext } from './sim-context.ts';
import { formatTimestamp } from './sim-ids.ts';
import {
  MEDIA_METRIC_NAMES,
  accountDelta,
  dayBuckets,
  followersNow,
  mediaTotalsAt,
  repliesIndex,
} from './sim-insights.ts';

type IdParams = { Params: { id: string } };

const USER_METRIC_NAMES = ['views', 'likes', 'replies', 'reposts', 'quotes', 'clicks', 'followers_count'] as const;
type UserMetricName = (typeof USER_METRIC_NAMES)[number];

/** The earliest `since` Meta accepts (2024-04-13). */
const EARLIEST_SINCE_S = 1712991600;

const DESCRIPTIONS: Record<string, [string, string]> = {
  views: ['Views', 'The number of times your post was seen.'],
  likes: ['Likes', 'The number of likes on your post.'],
  replies: ['Replies', 'The number of replies on your post. This metric only counts top-level replies.'],
  reposts: ['Reposts', 'The number of times your post was reposted.'],
  quotes: ['Quotes', 'The number of times your post was quoted.'],
  shares: ['Shares', 'The number of times your post was shared.'],
  clicks: ['Clicks', 'The number of clicks on links in your posts.'],
  followers_count: ['Followers', 'Your total number of followers on Threads.'],
};

function metricsParam<T extends string>(raw: string | undefined, allowed: readonly T[]): T[] {
  if (!raw) throw graphErrors.badParam('Param metric is required.');
  const metrics = raw
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  metrics.forEach((m, i) => {
    if (!(allowed as readonly string[]).includes(m)) {
      throw graphErrors.badParam(`(#100) metric[${i}] must be one of the following values: ${allowed.join(', ')}`);
    }
  });
  return metrics as T[];
}

const described = (name: string) => ({ title: DESCRIPTIONS[name]![0], description: DESCRIPTIONS[name]![1] });

export function registerInsightsRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get<IdParams>('/v1.0/:id/insights', async (request) => {
    const caller = await authenticate(ctx, request, 'media_insights', ['threads_manage_insights']);
    const media = ctx.state.media[request.params.id];
    if (!media || media.ownerId !== caller.user.id) throw graphErrors.objectNotFound(request.params.id);
    const metrics = metricsParam(caller.params.metric, MEDIA_METRIC_NAMES);
    const totals = mediaTotalsAt(media, ctx.now(), repliesIndex(ctx.state));
    return {
      data: metrics.map((name) => ({
        name,
        period: 'lifetime',
        values: [{ value: totals[name] }],
        ...described(name),
        id: `${media.id}/insights/${name}/lifetime`,
      })),
    };
  });

  app.get<IdParams>('/v1.0/:id/threads_insights', async (request) => {
    const caller = await authenticate(ctx, request, 'user_insights', ['threads_manage_insights']);
    const userId = ownUserId(caller, request.params.id);
    const metrics = metricsParam<UserMetricName>(caller.params.metric, USER_METRIC_NAMES);
    const now = ctx.now();
    const since = timeParam(caller.params.since, 'since');
    const until = timeParam(caller.params.until, 'until');
    if (metrics.includes('followers_count') && (since !== undefined || until !== undefined)) {
      throw graphErrors.badParam('The followers_count metric does not support the since and until parameters.');
    }
    if (since !== undefined && since < EARLIEST_SINCE_S * 1000) {
      throw graphErrors.badParam(`Param since must be on or after ${EARLIEST_SINCE_S} (Unix seconds).`);
    }
    const from = since ?? now - DAY_MS;
    const to = Math.min(until ?? now, now);
    const totals = accountDelta(ctx.state, userId, from, to);
    const id = (name: string) => `${userId}/insights/${name}/day`;

    return {
      data: metrics.map((name) => {
        if (name === 'views') {
          const values = dayBuckets(from, to).map((b) => ({
            value: accountDelta(ctx.state, userId, Math.max(b.start, from), Math.min(b.end, to)).views,
            end_time: formatTimestamp(b.end),
          }));
          return { name, period: 'day', values, ...described(name), id: id(name) };
        }
        if (name === 'clicks') {
          const link_total_values = [...totals.clicksByLink].map(([link_url, value]) => ({ value, link_url }));
          return { name, period: 'day', link_total_values, ...described(name), id: id(name) };
        }
        const value = name === 'followers_count' ? followersNow(ctx.state, caller.user, now) : totals[name];
        return { name, period: 'day', total_value: { value }, ...described(name), id: id(name) };
      }),
    };
  });
}
