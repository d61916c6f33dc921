import type { OpeningForm } from './post-reading.ts';
import { createRandom, deriveSeed, lognormalNoise, poisson } from './sim-random.ts';

export const INTERACTION_METRICS = ['likes', 'replies', 'reposts', 'quotes', 'shares'] as const;
export type InteractionMetric = (typeof INTERACTION_METRICS)[number];

/**
 * Every parameter of the simulated audience, in one place (documented in docs/simulator.md).
 *
 * A post's `lift` is the sum of what its account's hidden taste makes of it (judge-post.ts): opening
 * form, length, hour, closing question, call to action, emoji, resonant words, topic fit, fatigue.
 * expected views = (reach.baseViews + followers × reach.viewsPerFollower) × exp(reach.elasticity × lift)
 * rate of metric m = rates[m] × exp(rateElasticity × lift + metricLifts[m])
 * then seeded log-normal noise on views, on all rates together and on each rate, Poisson counts, and a small
 * lift-dependent chance of going viral.
 * Totals accrue along `timing`; follows come from views and interactions; followers churn slowly.
 */
export const ENGAGEMENT_MODEL = {
  /** The ranges each account's taste is drawn from (audience-taste.ts); the drawn values stay hidden. */
  taste: {
    /** Spread of the per-form preferences, then one loved and one disliked form on top. */
    openingSigma: 0.2,
    lovedBonus: 0.35,
    dislikedPenalty: 0.35,
    peakChars: [70, 420] as const,
    lengthTolerance: [0.35, 0.7] as const,
    lengthWeight: [0.3, 0.6] as const,
    hourSharpness: [1.2, 3] as const,
    hourWeight: [0.2, 0.4] as const,
    /** Magnitude of the (randomly signed) effect of a closing question and of a call to action. */
    closingQuestion: [0.08, 0.3] as const,
    callToAction: [0.05, 0.25] as const,
    emoji: 0.2,
    profileWords: 3,
    genericWords: 2,
    wordWeight: 0.06,
    maxWordHits: 3,
    /** Slow sines on the preferences: amplitude (per wave) and period range. */
    drift: {
      opening: 0.1,
      peakHourHours: 1.5,
      lengthPeakLog: 0.15,
      closingQuestion: 0.08,
      periodDays: [40, 150] as const,
    },
    /** Each of the last `window` posts with the same opening form costs perRepeat, the older ones less. */
    fatigue: { perRepeat: 0.07, window: 5 },
    /** On-topic posts do better: topicWeight × (topic fit − 0.5). */
    topicWeight: 0.5,
  },
  reach: {
    baseViews: 60,
    viewsPerFollower: 0.3,
    elasticity: 0.5,
    noiseSigma: 0.35,
    viralChance: 0.02,
    viralLiftElasticity: 1.5,
    viralMultiplier: [4, 12] as const,
  },
  /** Interactions per view for a post with no lift (they sum to about 0.05). */
  rates: { likes: 0.032, replies: 0.007, reposts: 0.004, quotes: 0.0015, shares: 0.0045 },
  rateElasticity: 1,
  /** What every audience does the same way: a question draws replies, a list is shared, a contrarian opening quoted. */
  metricLifts: {
    replies: { closingQuestion: 0.5, callToAction: 0.3 },
    shares: { list: 0.3, how_to: 0.3 },
    reposts: { figure: 0.3 },
    quotes: { contrarian: 0.4 },
  },
  /** Log-normal noise shared by all of a post's rates (how much it resonates), and per metric on top. */
  resonanceSigma: 0.35,
  rateNoiseSigma: 0.2,
  /** Link clicks per view, for posts with a link. */
  clicksPerView: 0.01,
  follows: { perView: 0.003, perInteraction: 0.08 },
  /** Share of followers lost per day. */
  churnPerDay: 0.001,
  /** Cumulative share of a post's totals at age t: a fast and a slow exponential, reaching 1 at the horizon. */
  timing: { fastShare: 0.85, fastTauHours: 6, slowTauHours: 60, horizonDays: 14 },
  /** An audience reply gets an answer from another audience member with this chance, this many hours later. */
  audience: { answerProbability: 0.2, answerDelayHours: [0.5, 12] as const },
};

/** Lifetime totals a post will have earned at the horizon, and why. */
export interface EngagementPlan {
  opening: OpeningForm;
  /** The log engagement-rate lift the account's taste gave the post (0 = an average post). */
  lift: number;
  /** Engagement rate the post earns on average over the noise: what regret is measured with. */
  expectedRate: number;
  expectedViews: number;
  viral: boolean;
  views: number;
  likes: number;
  replies: number;
  reposts: number;
  quotes: number;
  shares: number;
  clicks: number;
  follows: number;
}

const M = ENGAGEMENT_MODEL;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface PlanInput {
  lift: number;
  opening: OpeningForm;
  closingQuestion: boolean;
  callToAction: boolean;
  followers: number;
  hasLink: boolean;
  seed: number;
}

function metricExponent(metric: InteractionMetric, input: PlanInput): number {
  const lifts = (M.metricLifts as Partial<Record<InteractionMetric, Record<string, number>>>)[metric] ?? {};
  let e = M.rateElasticity * input.lift + (lifts[input.opening] ?? 0);
  if (input.closingQuestion) e += lifts.closingQuestion ?? 0;
  if (input.callToAction) e += lifts.callToAction ?? 0;
  return e;
}

/** Mean engagement rate over the noise for a post with this lift and closing. */
export function expectedRateOf(input: Omit<PlanInput, 'followers' | 'hasLink' | 'seed'>): number {
  const full = { ...input, followers: 0, hasLink: false, seed: 0 };
  return INTERACTION_METRICS.reduce((sum, m) => sum + M.rates[m] * Math.exp(metricExponent(m, full)), 0);
}

/** What a post will earn; the same lift, followers and seed always give the same plan. */
export function planEngagement(input: PlanInput): EngagementPlan {
  const rng = createRandom(deriveSeed(input.seed, 'engagement'));
  const lift = input.lift;

  const expectedViews =
    (M.reach.baseViews + input.followers * M.reach.viewsPerFollower) * Math.exp(M.reach.elasticity * lift);
  const viral = rng() < M.reach.viralChance * Math.exp(M.reach.viralLiftElasticity * lift);
  const [lo, hi] = M.reach.viralMultiplier;
  const viralBoost = viral ? lo + rng() * (hi - lo) : 1;
  const views = Math.round(expectedViews * lognormalNoise(rng, M.reach.noiseSigma) * viralBoost);

  const resonance = lognormalNoise(rng, M.resonanceSigma);
  const counts = {} as Record<InteractionMetric, number>;
  for (const metric of INTERACTION_METRICS) {
    const rate = M.rates[metric] * Math.exp(metricExponent(metric, input));
    counts[metric] = poisson(rng, views * rate * resonance * lognormalNoise(rng, M.rateNoiseSigma));
  }
  const interactions = INTERACTION_METRICS.reduce((sum, m) => sum + counts[m], 0);
  const clicks = input.hasLink ? poisson(rng, views * M.clicksPerView * Math.exp(M.rateElasticity * lift)) : 0;
  const follows = Math.round(views * M.follows.perView + interactions * M.follows.perInteraction);
  return {
    opening: input.opening,
    lift,
    expectedRate: expectedRateOf(input),
    expectedViews,
    viral,
    views,
    ...counts,
    clicks,
    follows,
  };
}

/** (likes + replies + reposts + quotes + shares) / views, as in posts_engagement_rate. */
export function engagementRate(totals: Pick<EngagementPlan, 'views' | InteractionMetric>): number {
  if (totals.views === 0) return 0;
  return INTERACTION_METRICS.reduce((sum, m) => sum + totals[m], 0) / totals.views;
}

function rawShare(ageMs: number): number {
  const { fastShare, fastTauHours, slowTauHours } = M.timing;
  const h = ageMs / HOUR;
  return fastShare * (1 - Math.exp(-h / fastTauHours)) + (1 - fastShare) * (1 - Math.exp(-h / slowTauHours));
}

/** Share of a post's totals earned by age `ageMs`: most in the first day, little after a week, all at the horizon. */
export function shareAt(ageMs: number): number {
  if (ageMs <= 0) return 0;
  const horizon = M.timing.horizonDays * DAY;
  return ageMs >= horizon ? 1 : rawShare(ageMs) / rawShare(horizon);
}

/** The age at which `share` of the totals is reached (inverse of shareAt). */
export function ageForShare(share: number): number {
  let lo = 0;
  let hi = M.timing.horizonDays * DAY;
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (shareAt(mid) < share) lo = mid;
    else hi = mid;
  }
  return Math.ceil(hi);
}

/** A lifetime count at age `ageMs`; never decreases as the post ages. */
export function countAt(total: number, ageMs: number): number {
  return Math.floor(total * shareAt(ageMs) + 1e-9);
}

/** Followers at time `t`: the initial audience plus each post's follows so far, all churning at churnPerDay. */
export function followersAt(
  account: { initialFollowers: number; createdAt: number },
  gains: readonly { publishedAt: number; follows: number }[],
  t: number,
): number {
  const keep = (since: number) => Math.exp((-M.churnPerDay * Math.max(0, t - since)) / DAY);
  let followers = account.initialFollowers * keep(account.createdAt);
  for (const g of gains) {
    if (g.publishedAt <= t) followers += countAt(g.follows, t - g.publishedAt) * keep(g.publishedAt);
  }
  return Math.round(followers);
}
