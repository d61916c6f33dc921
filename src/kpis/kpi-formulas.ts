/** KPI arithmetic over plain rows, so every formula is pinned by unit tests without a database. */

import { engagementRate } from '../insights/index.ts';
import { isInWindow, type TimeWindow } from '../platform/time-window.ts';

/** A published post with the totals of its latest insight snapshot (0 and 0 before the first one). */
export interface PostInsight {
  published_at: Date;
  views: number;
  interactions: number;
}

export interface EngagementInputs {
  posts: number;
  views: number;
  interactions: number;
}

/**
 * Sums over the posts published in the window. The rate taken from these sums weighs each post
 * by its views: averaging per-post rates would let a post with 3 views and 1 like (33%) count as
 * much as one with 30,000 views, and would be undefined whenever one post has no views yet.
 */
export function sumEngagement(posts: PostInsight[], window: TimeWindow): EngagementInputs {
  const inWindow = posts.filter((p) => isInWindow(p.published_at, window));
  return {
    posts: inWindow.length,
    views: inWindow.reduce((sum, p) => sum + p.views, 0),
    interactions: inWindow.reduce((sum, p) => sum + p.interactions, 0),
  };
}

export interface FollowerSnapshot {
  captured_at: Date;
  followers_count: number;
}

export interface FollowerGrowth {
  start: number | null;
  end: number | null;
}

/**
 * One account's follower counts: the latest capture up to the window's end, and the baseline it is
 * compared with — the last capture at or before the window's start, or, for an account first
 * captured inside the window, that first capture (growth since tracking began, rather than no
 * figure at all for the account's first month). Both null without any capture up to the end.
 */
export function followerGrowth(snapshots: FollowerSnapshot[], window: TimeWindow): FollowerGrowth {
  const upToEnd = snapshots
    .filter((s) => s.captured_at.getTime() <= window.to.getTime())
    .sort((a, b) => a.captured_at.getTime() - b.captured_at.getTime());
  if (upToEnd.length === 0) return { start: null, end: null };
  const before = upToEnd.filter((s) => !isInWindow(s.captured_at, window));
  const baseline = before.at(-1) ?? upToEnd[0]!;
  return { start: baseline.followers_count, end: upToEnd.at(-1)!.followers_count };
}

/**
 * Dollars per net new follower; undefined while there are none or followers were lost, so the
 * gauge is absent rather than 0 (free growth) or Infinity.
 */
export function costPerFollow(spendUsd: number, netNewFollowers: number | null): number | undefined {
  return netNewFollowers !== null && netNewFollowers > 0 ? spendUsd / netNewFollowers : undefined;
}

/** What one persona (or several, added up) did in the windows: the inputs every KPI is derived from. */
export interface KpiInputs {
  engagement: EngagementInputs;
  spend_usd: number;
  followers: FollowerGrowth;
  viral_posts: number;
}

export function emptyInputs(): KpiInputs {
  return {
    engagement: { posts: 0, views: 0, interactions: 0 },
    spend_usd: 0,
    followers: { start: null, end: null },
    viral_posts: 0,
  };
}

const addKnown = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

/** Start and end are both known or both null for an account, so sums over accounts stay comparable. */
export function addGrowth(a: FollowerGrowth, b: FollowerGrowth): FollowerGrowth {
  return { start: addKnown(a.start, b.start), end: addKnown(a.end, b.end) };
}

/** Adds inputs, never ratios: the overall rate is the ratio of the overall sums, like a persona's. */
export function addInputs(a: KpiInputs, b: KpiInputs): KpiInputs {
  return {
    engagement: {
      posts: a.engagement.posts + b.engagement.posts,
      views: a.engagement.views + b.engagement.views,
      interactions: a.engagement.interactions + b.engagement.interactions,
    },
    spend_usd: a.spend_usd + b.spend_usd,
    followers: addGrowth(a.followers, b.followers),
    viral_posts: a.viral_posts + b.viral_posts,
  };
}

export interface DerivedKpis {
  engagement_rate: number | undefined;
  net_new_followers: number | null;
  cost_per_follow: number | undefined;
  followers_total: number | null;
}

export function deriveKpis(inputs: KpiInputs): DerivedKpis {
  const { start, end } = inputs.followers;
  const net = start === null || end === null ? null : end - start;
  return {
    engagement_rate: engagementRate(inputs.engagement.views, inputs.engagement.interactions),
    net_new_followers: net,
    cost_per_follow: costPerFollow(inputs.spend_usd, net),
    followers_total: end,
  };
}
