import type { Database } from '../platform/db/index.ts';
import { engagementRate } from '../insights/index.ts';
import { insertReward, listRecentRates, listRewardsDue } from './learning.repository.ts';

/**
 * Smooths the log ratio so a post with no interactions gets a large but finite penalty.
 * Rewards are ln((rate + ε) / (baseline + ε)): 0 is the persona's usual, +0.26 about 1.3×.
 */
export const RATE_EPSILON = 0.005;
/** The baseline is the mean engagement rate of the persona's latest rewarded posts. */
export const BASELINE_POSTS = 30;
/** With fewer of its own, the persona's baseline leans on everyone's recent mean as if it had this many. */
export const BASELINE_MIN_POSTS = 5;

export function rewardOf(rate: number, baseline: number): number {
  return Math.log((rate + RATE_EPSILON) / (baseline + RATE_EPSILON));
}

/**
 * The persona's recent baseline: the mean of its latest rates, shrunk to everyone's recent mean while it
 * has few. With no history at all, the post's own rate (its reward is then 0: nothing to compare with).
 */
export function baselineOf(own: readonly number[], everyone: readonly number[], rate: number): number {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (own.length === 0 && everyone.length === 0) return rate;
  if (own.length >= BASELINE_MIN_POSTS || everyone.length === 0) return mean(own);
  const missing = BASELINE_MIN_POSTS - own.length;
  return (own.reduce((a, b) => a + b, 0) + missing * mean(everyone)) / BASELINE_MIN_POSTS;
}

export interface RewardDeps {
  db: Database;
  now: () => Date;
  rewardAgeHours: number;
}

/** Per run; the rest waits for the next one. */
const BATCH = 500;

/**
 * Gives every published post that has reached the reward age (and has a snapshot from then) its reward,
 * oldest first, so each baseline is made of the posts before it. Younger posts stay pending.
 */
export async function computeRewards(deps: RewardDeps): Promise<number> {
  const now = deps.now();
  const due = await listRewardsDue(deps.db, { now, ageMs: deps.rewardAgeHours * 3_600_000, limit: BATCH });
  for (const post of due) {
    const rate = engagementRate(post.views, post.interactions) ?? 0;
    const own = await listRecentRates(deps.db, post.persona_id, post.published_at, BASELINE_POSTS);
    const everyone =
      own.length < BASELINE_MIN_POSTS ? await listRecentRates(deps.db, null, post.published_at, 100) : [];
    const baseline = baselineOf(own, everyone, rate);
    await insertReward(deps.db, {
      ...post,
      engagement_rate: rate,
      baseline,
      reward: rewardOf(rate, baseline),
      computed_at: now,
    });
  }
  return due.length;
}
