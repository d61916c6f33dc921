import { describe, expect, it } from 'vitest';
import { extractContentFeatures, type SimProfile } from '../../src/sim/content-features.ts';
import {
  ENGAGEMENT_MODEL,
  ageForShare,
  countAt,
  engagementRate,
  followersAt,
  planEngagement,
  shareAt,
} from '../../src/sim/engagement-model.ts';

const profile: SimProfile = {
  niche: 'bootstrapped indie SaaS',
  topics: ['churn from failed card payments', 'pricing a $29 plan versus a $49 plan'],
  vocabulary: ['MRR', 'churn', 'dunning emails', 'trial-to-paid'],
};

const strong = [
  '3 dunning emails that cut our churn from failed card payments by 40% in 60 days:',
  '',
  '1. Send the first one 3 days before the card expires.',
  '2. Link straight to the billing page.',
  '3. Follow up after 7 days with a plain-text note.',
  '',
  'Which one would you test first on your MRR?',
].join('\n');
const dull = 'Things are really good lately. Working on stuff.';
const offTopic = [
  '3 sourdough mistakes that ruined 40% of my loaves in 60 days:',
  '',
  '1. Feed the starter 3 hours before mixing.',
  '2. Weigh the flour.',
  '3. Bake at 250 degrees for 20 minutes.',
  '',
  'Which one would you fix first?',
].join('\n');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEEDS = Array.from({ length: 400 }, (_, i) => i + 1);
const features = (text: string, p: SimProfile | null = profile) =>
  extractContentFeatures(text, p, { neutral: ENGAGEMENT_MODEL.neutralWithoutProfile });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const plans = (text: string, p: SimProfile | null = profile, followers = 1000) =>
  SEEDS.map((seed) => planEngagement({ features: features(text, p), followers, hasLink: false, seed }));

describe('engagement model', () => {
  it('gives a specific, on-topic post with a hook and a question a far higher mean engagement rate than a dull one', () => {
    const good = plans(strong);
    const bad = plans(dull);
    const goodRate = mean(good.map(engagementRate));
    const badRate = mean(bad.map(engagementRate));
    expect(goodRate).toBeGreaterThan(0.06);
    expect(badRate).toBeLessThan(0.04);
    expect(goodRate / badRate).toBeGreaterThan(3);
    expect(mean(good.map((p) => p.views))).toBeGreaterThan(2 * mean(bad.map((p) => p.views)));
    // Not a fixed ordering: noise lets some dull posts beat some good ones.
    expect(Math.max(...bad.map((p) => p.views))).toBeGreaterThan(Math.min(...good.map((p) => p.views)));
  });

  it("rewards topic fit with the account's audience", () => {
    const onTopic = mean(plans(strong).map((p) => p.views));
    const sameShapeOffTopic = mean(plans(offTopic).map((p) => p.views));
    expect(features(strong).topicFit).toBeGreaterThan(0.8);
    expect(features(offTopic).topicFit).toBe(0);
    expect(onTopic).toBeGreaterThan(1.3 * sameShapeOffTopic);
  });

  it('draws more replies per view when the post asks a question', () => {
    const statement = strong.replace(
      'Which one would you test first on your MRR?',
      'We test one change at a time on our MRR.',
    );
    const repliesPerView = (text: string) => mean(plans(text).map((p) => p.replies / Math.max(1, p.views)));
    expect(repliesPerView(strong)).toBeGreaterThan(1.5 * repliesPerView(statement));
  });

  it('scales reach with followers', () => {
    expect(mean(plans(strong, profile, 10_000).map((p) => p.views))).toBeGreaterThan(
      5 * mean(plans(strong, profile, 100).map((p) => p.views)),
    );
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const f = features(strong);
    const a = planEngagement({ features: f, followers: 500, hasLink: true, seed: 7 });
    const b = planEngagement({ features: f, followers: 500, hasLink: true, seed: 7 });
    const c = planEngagement({ features: f, followers: 500, hasLink: true, seed: 8 });
    expect(b).toEqual(a);
    expect(c.views).not.toBe(a.views);
    expect(a.clicks).toBeGreaterThan(0);
    expect(planEngagement({ features: f, followers: 500, hasLink: false, seed: 7 }).clicks).toBe(0);
  });

  it('judges specificity and topic fit as neutral for an account without a profile', () => {
    const f = features(dull, null);
    expect(f.specificity).toBe(ENGAGEMENT_MODEL.neutralWithoutProfile);
    expect(f.topicFit).toBe(ENGAGEMENT_MODEL.neutralWithoutProfile);
    expect(mean(plans(strong, null).map(engagementRate))).toBeGreaterThan(mean(plans(dull, null).map(engagementRate)));
  });
});

describe('accrual over time', () => {
  it('earns most in the first day, little after a week, everything at the horizon', () => {
    expect(shareAt(0)).toBe(0);
    expect(shareAt(HOUR)).toBeGreaterThan(0.1);
    expect(shareAt(DAY)).toBeGreaterThan(0.8);
    expect(shareAt(7 * DAY) - shareAt(6 * DAY)).toBeLessThan(0.02);
    expect(shareAt(ENGAGEMENT_MODEL.timing.horizonDays * DAY)).toBe(1);
    expect(countAt(1000, 30 * DAY)).toBe(1000);
  });

  it('never decreases, and ageForShare inverts shareAt', () => {
    let last = 0;
    for (let t = 0; t <= 15 * DAY; t += HOUR) {
      const c = countAt(537, t);
      expect(c).toBeGreaterThanOrEqual(last);
      last = c;
    }
    for (const s of [0.1, 0.5, 0.9, 0.99]) expect(shareAt(ageForShare(s))).toBeCloseTo(s, 6);
  });
});

describe('followers', () => {
  const account = { initialFollowers: 1000, createdAt: 0 };

  it('grow with what the posts earn: good posts gain more followers than dull ones', () => {
    const week = (text: string) =>
      Array.from({ length: 7 }, (_, day) => ({
        publishedAt: day * DAY,
        follows: planEngagement({ features: features(text), followers: 1000, hasLink: false, seed: 100 + day }).follows,
      }));
    const good = followersAt(account, week(strong), 14 * DAY);
    const bad = followersAt(account, week(dull), 14 * DAY);
    expect(good).toBeGreaterThan(1000);
    expect(good - 1000).toBeGreaterThan(5 * Math.max(1, bad - 1000));
    const goodPlans = plans(strong);
    const badPlans = plans(dull);
    expect(mean(goodPlans.map((p) => p.follows))).toBeGreaterThan(mean(badPlans.map((p) => p.follows)));
  });

  it('churn slowly without posts', () => {
    const after30 = followersAt(account, [], 30 * DAY);
    expect(after30).toBeLessThan(1000);
    expect(after30).toBeGreaterThan(950);
    expect(followersAt(account, [], 0)).toBe(1000);
  });

  it("count a post's follows as they accrue, not before it is published", () => {
    const gains = [{ publishedAt: 10 * DAY, follows: 200 }];
    expect(followersAt(account, gains, 5 * DAY)).toBe(followersAt(account, [], 5 * DAY));
    expect(followersAt(account, gains, 10 * DAY + 6 * HOUR)).toBeLessThan(followersAt(account, gains, 12 * DAY));
  });
});
