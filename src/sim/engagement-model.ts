import type { HookPattern } from '../personas/index.ts';
import { createSeededRandom, deriveSeed, type Random } from '../platform/seeded-random.ts';
import type { ContentFeatures } from './content-features.ts';

export const APPEAL_FEATURES = [
  'hookForm',
  'length',
  'question',
  'numbers',
  'specificity',
  'topicFit',
  'callToAction',
] as const;
export type AppealFeature = (typeof APPEAL_FEATURES)[number];
export const INTERACTION_METRICS = ['likes', 'replies', 'reposts', 'quotes', 'shares'] as const;
export type InteractionMetric = (typeof INTERACTION_METRICS)[number];

/**
 * Every parameter of the simulated audience, in one place (documented in docs/simulator.md).
 *
 * appeal = Σ appealWeights[f] × feature f (0..1); the hook form counts as hookFormAppeal[form].
 * expected views = (reach.baseViews + followers × reach.viewsPerFollower) × exp(reach.elasticity × (appeal − pivot))
 * rate of metric m = rates[m] × exp(rateElasticity × (appeal − pivot) + Σ rateLifts[m][f] × (f − 0.5))
 * then seeded log-normal noise on views, on all rates together and on each rate, Poisson counts, and a small
 * appeal-dependent chance of going viral.
 * Totals accrue along `timing`; follows come from views and interactions; followers churn slowly.
 */
export const ENGAGEMENT_MODEL = {
  appealWeights: {
    hookForm: 0.2,
    length: 0.1,
    question: 0.1,
    numbers: 0.1,
    specificity: 0.2,
    topicFit: 0.2,
    callToAction: 0.1,
  } satisfies Record<AppealFeature, number>,
  hookFormAppeal: {
    question: 0.8,
    number_list: 0.9,
    contrarian: 0.9,
    story: 0.85,
    how_to: 0.8,
    mistake: 0.85,
    statistic: 0.9,
    bold_claim: 0.5,
    none: 0.1,
  } satisfies Record<HookPattern | 'none', number>,
  /** The appeal of an average post: multipliers are 1 there. */
  pivot: 0.5,
  /** Specificity and topic fit when the account has no profile to judge them against. */
  neutralWithoutProfile: 0.5,
  reach: {
    baseViews: 60,
    viewsPerFollower: 0.3,
    elasticity: 1.6,
    noiseSigma: 0.35,
    viralChance: 0.02,
    viralAppealElasticity: 3,
    viralMultiplier: [4, 12] as const,
  },
  /** Interactions per view for a post of average appeal (they sum to about 0.05). */
  rates: { likes: 0.032, replies: 0.007, reposts: 0.004, quotes: 0.0015, shares: 0.0045 },
  rateElasticity: 1.5,
  /** Extra lift of one metric's rate from single features (e.g. a question draws replies). */
  rateLifts: {
    likes: {},
    replies: { question: 0.8, callToAction: 0.6 },
    reposts: { numbers: 0.5 },
    quotes: { hookForm: 0.6 },
    shares: { numbers: 0.6, specificity: 0.4 },
  } as Record<InteractionMetric, Partial<Record<AppealFeature, number>>>,
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

/** Lifetime totals a post will have earned at the horizon. */
export interface EngagementPlan {
  appeal: number;
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

function featureValues(f: ContentFeatures): Record<AppealFeature, number> {
  return {
    hookForm: M.hookFormAppeal[f.hookForm ?? 'none'],
    length: f.length,
    question: f.question,
    numbers: f.numbers,
    specificity: f.specificity,
    callToAction: f.callToAction,
    topicFit: f.topicFit,
  };
}

export function appealOf(features: ContentFeatures): number {
  const values = featureValues(features);
  let appeal = 0;
  for (const name of APPEAL_FEATURES) appeal += M.appealWeights[name] * values[name];
  return appeal;
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(rng: Random): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A count with mean `lambda`: exact for small means (where the noise matters), normal beyond. */
function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

/** Log-normal multiplier with mean 1. */
const noise = (rng: Random, sigma: number) => Math.exp(sigma * normal(rng) - (sigma * sigma) / 2);

/** What a post will earn; the same features, followers and seed always give the same plan. */
export function planEngagement(input: {
  features: ContentFeatures;
  followers: number;
  hasLink: boolean;
  seed: number;
}): EngagementPlan {
  const rng = createSeededRandom(deriveSeed(input.seed, 'engagement'));
  const values = featureValues(input.features);
  const appeal = appealOf(input.features);
  const lift = appeal - M.pivot;

  const expectedViews =
    (M.reach.baseViews + input.followers * M.reach.viewsPerFollower) * Math.exp(M.reach.elasticity * lift);
  const viral = rng() < M.reach.viralChance * Math.exp(M.reach.viralAppealElasticity * lift);
  const [lo, hi] = M.reach.viralMultiplier;
  const viralBoost = viral ? lo + rng() * (hi - lo) : 1;
  const views = Math.round(expectedViews * noise(rng, M.reach.noiseSigma) * viralBoost);

  const resonance = noise(rng, M.resonanceSigma);
  const counts = {} as Record<InteractionMetric, number>;
  for (const metric of INTERACTION_METRICS) {
    let exponent = M.rateElasticity * lift;
    const lifts = M.rateLifts[metric];
    for (const feature of APPEAL_FEATURES) exponent += (lifts[feature] ?? 0) * (values[feature] - 0.5);
    counts[metric] = poisson(
      rng,
      views * M.rates[metric] * Math.exp(exponent) * resonance * noise(rng, M.rateNoiseSigma),
    );
  }
  const interactions = INTERACTION_METRICS.reduce((sum, m) => sum + counts[m], 0);
  const clicks = input.hasLink ? poisson(rng, views * M.clicksPerView * Math.exp(M.rateElasticity * lift)) : 0;
  const follows = Math.round(views * M.follows.perView + interactions * M.follows.perInteraction);
  return { appeal, expectedViews, viral, views, ...counts, clicks, follows };
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
