import { countAt, followersAt } from './engagement-model.ts';
import { DAY_MS, HOUR_MS } from './sim-context.ts';
import type { SimMedia, SimState, SimUser } from './sim-state.ts';

export const MEDIA_METRIC_NAMES = ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'] as const;
export type SimMediaMetric = (typeof MEDIA_METRIC_NAMES)[number];
export type MediaTotals = Record<SimMediaMetric | 'clicks', number>;

/** Meta closes its daily buckets at Pacific midnight; the simulator uses standard time all year. */
const DAY_BOUNDARY_OFFSET_MS = 8 * HOUR_MS;

/** Creation times of the replies to each post or reply, to count them without a scan per post. */
export function repliesIndex(state: SimState): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const m of Object.values(state.media)) {
    if (!m.replyToId) continue;
    const list = index.get(m.replyToId);
    if (list) list.push(m.createdAt);
    else index.set(m.replyToId, [m.createdAt]);
  }
  return index;
}

/**
 * A post's lifetime totals at time t. Replies are the top-level replies that exist by then (so they match
 * GET /replies); the other metrics follow the plan along the timing curve.
 */
export function mediaTotalsAt(media: SimMedia, t: number, replies: Map<string, number[]>): MediaTotals {
  const age = t - media.createdAt;
  const plan = media.plan;
  const at = (total: number | undefined) => (plan && total !== undefined ? countAt(total, age) : 0);
  return {
    views: at(plan?.views),
    likes: at(plan?.likes),
    replies: (replies.get(media.id) ?? []).filter((c) => c <= t).length,
    reposts: at(plan?.reposts),
    quotes: at(plan?.quotes),
    shares: at(plan?.shares),
    clicks: at(plan?.clicks),
  };
}

export function ownPosts(state: SimState, userId: string): SimMedia[] {
  return Object.values(state.media).filter((m) => m.ownerId === userId && m.origin === 'api' && !m.replyToId);
}

export function followersNow(state: SimState, user: SimUser, t: number): number {
  const gains = ownPosts(state, user.id).map((m) => ({ publishedAt: m.createdAt, follows: m.plan?.follows ?? 0 }));
  return followersAt(user, gains, t);
}

/** What the account's posts earned between `from` and `to` (both clamped to the posts' lives). */
export function accountDelta(
  state: SimState,
  userId: string,
  from: number,
  to: number,
): MediaTotals & { clicksByLink: Map<string, number> } {
  const replies = repliesIndex(state);
  const out = {
    views: 0,
    likes: 0,
    replies: 0,
    reposts: 0,
    quotes: 0,
    shares: 0,
    clicks: 0,
    clicksByLink: new Map<string, number>(),
  };
  if (to <= from) return out;
  for (const post of ownPosts(state, userId)) {
    const end = mediaTotalsAt(post, to, replies);
    const start = mediaTotalsAt(post, from, replies);
    for (const k of ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares', 'clicks'] as const)
      out[k] += end[k] - start[k];
    if (post.linkUrl && end.clicks > start.clicks) {
      out.clicksByLink.set(post.linkUrl, (out.clicksByLink.get(post.linkUrl) ?? 0) + end.clicks - start.clicks);
    }
  }
  return out;
}

/** Day buckets covering [since, until): each `end_time` is a Pacific midnight. */
export function dayBuckets(since: number, until: number): { start: number; end: number }[] {
  const buckets: { start: number; end: number }[] = [];
  let start = Math.floor((since - DAY_BOUNDARY_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_BOUNDARY_OFFSET_MS;
  while (start < until) {
    buckets.push({ start, end: start + DAY_MS });
    start += DAY_MS;
  }
  return buckets;
}
