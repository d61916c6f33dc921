import type { z } from 'zod';
import { insightsSchema } from './threads-schemas.ts';
import { seg, type ThreadsHttp } from './threads-http.ts';

export const MEDIA_METRICS = ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'] as const;
export type MediaMetric = (typeof MEDIA_METRICS)[number];
/** Lifetime totals of a post at the time of the call (nested replies are not counted). */
export type MediaInsights = Record<MediaMetric, number>;

export const USER_METRICS = ['views', 'likes', 'replies', 'reposts', 'quotes', 'clicks', 'followers_count'] as const;
export type UserMetric = (typeof USER_METRICS)[number];

export interface UserInsightValues {
  /** Daily series over the window; `total` is its sum. */
  views: { total: number; daily: { value: number; end_time: string }[] };
  likes: number;
  replies: number;
  reposts: number;
  quotes: number;
  clicks: { link_url: string; value: number }[];
  /** Current follower count; Meta takes no since/until for it, so the client asks for it separately. */
  followers_count: number;
}

type InsightItem = z.output<typeof insightsSchema>['data'][number];

const unixSeconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);

function readUserMetric(name: UserMetric, item: InsightItem | undefined): UserInsightValues[UserMetric] {
  if (name === 'views') {
    const daily = (item?.values ?? []).map((v) => ({ value: v.value, end_time: v.end_time ?? '' }));
    return { total: item?.total_value?.value ?? daily.reduce((sum, d) => sum + d.value, 0), daily };
  }
  if (name === 'clicks') return (item?.link_total_values ?? []).map((v) => ({ link_url: v.link_url, value: v.value }));
  return item?.total_value?.value ?? item?.values?.[0]?.value ?? 0;
}

export function createInsightsCalls(http: ThreadsHttp) {
  const fetchInsights = (
    endpoint: 'media_insights' | 'user_insights',
    path: string,
    accessToken: string,
    params: Record<string, string | number | undefined>,
  ) => http({ endpoint, method: 'GET', path, accessToken, params, schema: insightsSchema }).then((res) => res.data);

  return {
    /** GET /{media-id}/insights; a metric Meta leaves out (a repost facade returns none) reads as 0. */
    async getMediaInsights<M extends MediaMetric = MediaMetric>(input: {
      mediaId: string;
      accessToken: string;
      metrics?: readonly M[];
    }): Promise<Pick<MediaInsights, M>> {
      const metrics = input.metrics ?? (MEDIA_METRICS as readonly MediaMetric[] as readonly M[]);
      const data = await fetchInsights('media_insights', `/${seg(input.mediaId)}/insights`, input.accessToken, {
        metric: metrics.join(','),
      });
      const out = {} as Pick<MediaInsights, M>;
      for (const m of metrics) {
        const item = data.find((d) => d.name === m);
        out[m] = item?.values?.[0]?.value ?? item?.total_value?.value ?? 0;
      }
      return out;
    },

    /**
     * GET /{user-id}/threads_insights over [since, until] (Meta's default: yesterday to today).
     * followers_count does not accept since/until, so with a window it goes in a second request.
     */
    async getUserInsights<M extends UserMetric>(input: {
      userId: string;
      accessToken: string;
      metrics: readonly M[];
      since?: Date;
      until?: Date;
    }): Promise<Pick<UserInsightValues, M>> {
      const path = `/${seg(input.userId)}/threads_insights`;
      const windowed = input.since !== undefined || input.until !== undefined;
      const splitFollowers = windowed && input.metrics.includes('followers_count' as M);
      const timed = splitFollowers ? input.metrics.filter((m) => m !== 'followers_count') : [...input.metrics];
      const requests: Promise<InsightItem[]>[] = [];
      if (timed.length > 0) {
        requests.push(
          fetchInsights('user_insights', path, input.accessToken, {
            metric: timed.join(','),
            since: unixSeconds(input.since),
            until: unixSeconds(input.until),
          }),
        );
      }
      if (splitFollowers)
        requests.push(fetchInsights('user_insights', path, input.accessToken, { metric: 'followers_count' }));
      const data = (await Promise.all(requests)).flat();
      const out = {} as Record<UserMetric, unknown>;
      for (const m of input.metrics)
        out[m] = readUserMetric(
          m,
          data.find((d) => d.name === m),
        );
      return out as Pick<UserInsightValues, M>;
    },
  };
}
