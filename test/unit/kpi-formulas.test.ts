import { afterEach, describe, expect, it } from 'vitest';
import { engagementRate, interactionsOf } from '../../src/insights/engagement.ts';
import { isInWindow, windowEnding } from '../../src/platform/time-window.ts';
import {
  addInputs,
  costPerFollow,
  deriveKpis,
  emptyInputs,
  followerGrowth,
  sumEngagement,
  type KpiInputs,
} from '../../src/kpis/kpi-formulas.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY = 86_400_000;
const WEEK = windowEnding(NOW, 7);
const MONTH = windowEnding(NOW, 30);
const at = (iso: string) => new Date(iso);
const post = (published: string, views: number, interactions: number) => ({
  published_at: at(published),
  views,
  interactions,
});
const count = (captured: string, followers_count: number) => ({ captured_at: at(captured), followers_count });

describe('engagement rate of a post', () => {
  it('is (likes + replies + reposts + quotes + shares) / views', () => {
    const latest = { likes: 40, replies: 6, reposts: 3, quotes: 1, shares: 2 };
    expect(interactionsOf(latest)).toBe(52);
    expect(engagementRate(1000, interactionsOf(latest))).toBeCloseTo(0.052, 12);
  });

  it('is undefined without views, never NaN or Infinity', () => {
    expect(engagementRate(0, 0)).toBeUndefined();
    expect(engagementRate(0, 5)).toBeUndefined();
  });
});

describe("a persona's engagement over a window", () => {
  it('is the ratio of the sums, not the mean of the per-post rates', () => {
    const inputs = sumEngagement(
      [post('2026-11-27T00:00:00Z', 3, 1), post('2026-11-26T00:00:00Z', 3000, 90), post('2026-11-25T00:00:00Z', 0, 0)],
      WEEK,
    );
    expect(inputs).toEqual({ posts: 3, views: 3003, interactions: 91 });
    // 91 / 3003 ≈ 0.0303; the mean of 33.3 % and 3 % would say 18 %, and the post without views would make it NaN.
    expect(engagementRate(inputs.views, inputs.interactions)).toBeCloseTo(91 / 3003, 12);
  });

  it("has no rate while the window's posts have no views", () => {
    const inputs = sumEngagement([post('2026-11-27T00:00:00Z', 0, 0)], WEEK);
    expect(inputs).toEqual({ posts: 1, views: 0, interactions: 0 });
    expect(deriveKpis({ ...emptyInputs(), engagement: inputs }).engagement_rate).toBeUndefined();
    expect(sumEngagement([], WEEK)).toEqual({ posts: 0, views: 0, interactions: 0 });
  });

  it('counts posts by the UTC instant they went out, whatever offset the timestamp was written in', () => {
    // The 7-day window opens at 2026-11-21T12:00:00Z (exclusive) and closes at NOW (inclusive).
    expect(WEEK.from.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    const inputs = sumEngagement(
      [
        post('2026-11-21T12:00:00Z', 1, 1), // exactly at the start: the previous window's
        post('2026-11-21T13:30:00+02:00', 10, 1), // 11:30Z: out, although its local clock reads after 12:00
        post('2026-11-21T11:30:00-02:00', 100, 1), // 13:30Z: in, although its local clock reads before 12:00
        post('2026-11-28T12:00:00Z', 1000, 1), // exactly now: in
        post('2026-11-28T12:00:01Z', 10000, 1), // after now: out
      ],
      WEEK,
    );
    expect(inputs).toEqual({ posts: 2, views: 1100, interactions: 2 });
  });
});

describe('windows', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it("are whole 24-hour days of UTC instants, across a daylight-saving change in the server's zone", () => {
    // Europe/Paris leaves summer time on 2026-10-25: a calendar-day window would be 1 hour longer.
    process.env.TZ = 'Europe/Paris';
    const now = new Date('2026-10-28T09:00:00Z');
    const week = windowEnding(now, 7);
    expect(week.from.toISOString()).toBe('2026-10-21T09:00:00.000Z');
    expect(week.to.getTime() - week.from.getTime()).toBe(7 * DAY);
    expect(isInWindow(new Date('2026-10-21T11:00:00+02:00'), week)).toBe(false);
    expect(isInWindow(new Date('2026-10-21T11:00:01+02:00'), week)).toBe(true);
  });
});

describe('net new followers of an account', () => {
  it("is the latest count minus the last count at or before the window's start", () => {
    const growth = followerGrowth(
      [
        count('2026-10-20T08:00:00Z', 900),
        count('2026-10-29T12:00:00Z', 1000),
        count('2026-11-10T09:00:00Z', 1100),
        count('2026-11-28T06:00:00Z', 1300),
      ],
      MONTH,
    );
    // The window opens at 2026-10-29T12:00Z: the capture exactly then is the baseline.
    expect(growth).toEqual({ start: 1000, end: 1300 });
    expect(deriveKpis({ ...emptyInputs(), followers: growth }).net_new_followers).toBe(300);
  });

  it("compares instants, not local clock times, at the window's start", () => {
    const growth = followerGrowth(
      [
        count('2026-10-29T13:00:00+02:00', 500),
        count('2026-10-29T10:00:00-03:00', 650),
        count('2026-11-27T00:00:00Z', 700),
      ],
      MONTH,
    );
    // 11:00Z is before the start (the baseline); 13:00Z is inside the window.
    expect(growth).toEqual({ start: 500, end: 700 });
  });

  it('starts from the first capture for an account tracked only since inside the window', () => {
    expect(followerGrowth([count('2026-11-20T00:00:00Z', 40), count('2026-11-28T00:00:00Z', 90)], MONTH)).toEqual({
      start: 40,
      end: 90,
    });
  });

  it("ignores captures after the window's end, and is unknown without any capture", () => {
    expect(followerGrowth([count('2026-11-20T00:00:00Z', 40), count('2026-11-29T00:00:00Z', 9000)], MONTH)).toEqual({
      start: 40,
      end: 40,
    });
    expect(followerGrowth([], MONTH)).toEqual({ start: null, end: null });
    expect(followerGrowth([count('2026-11-29T00:00:00Z', 10)], MONTH)).toEqual({ start: null, end: null });
  });
});

describe('cost per follow', () => {
  it('divides the attributed spend by the net new followers', () => {
    expect(costPerFollow(2.5, 500)).toBeCloseTo(0.005, 12);
    expect(costPerFollow(0, 10)).toBe(0);
  });

  it('is undefined with no new followers, a net loss, or no follower counts at all', () => {
    expect(costPerFollow(2.5, 0)).toBeUndefined();
    expect(costPerFollow(2.5, -10)).toBeUndefined();
    expect(costPerFollow(2.5, null)).toBeUndefined();
    const lost = deriveKpis({ ...emptyInputs(), spend_usd: 3, followers: { start: 1000, end: 990 } });
    expect(lost).toMatchObject({ net_new_followers: -10, cost_per_follow: undefined, followers_total: 990 });
  });
});

describe('the overall KPIs', () => {
  const persona = (
    views: number,
    interactions: number,
    spend: number,
    start: number | null,
    end: number | null,
  ): KpiInputs => ({
    engagement: { posts: 1, views, interactions },
    spend_usd: spend,
    followers: { start, end },
    viral_posts: 1,
  });

  it('are derived from the added inputs, so each persona weighs by its views and followers', () => {
    const all = [
      persona(100, 30, 1, 1000, 1100),
      persona(9900, 99, 2, 500, 400),
      persona(0, 0, 0.5, null, null),
    ].reduce(addInputs, emptyInputs());
    expect(all).toEqual({
      engagement: { posts: 3, views: 10_000, interactions: 129 },
      spend_usd: 3.5,
      followers: { start: 1500, end: 1500 },
      viral_posts: 3,
    });
    // The loss of one persona cancels the other's gain: overall there is no cost per follow.
    expect(deriveKpis(all)).toEqual({
      engagement_rate: 0.0129,
      net_new_followers: 0,
      cost_per_follow: undefined,
      followers_total: 1500,
    });
  });

  it('are unknown, not zero, when no persona has follower counts', () => {
    expect(deriveKpis(addInputs(emptyInputs(), emptyInputs()))).toMatchObject({
      followers_total: null,
      net_new_followers: null,
    });
  });
});
