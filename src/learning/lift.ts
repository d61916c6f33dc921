import { RATE_EPSILON } from './reward.ts';
import type { PostGroup } from './plan.ts';

export interface Lift {
  /** Mean normalised engagement (rate over the persona's baseline) of learned posts ÷ that of control posts. */
  ratio: number | null;
  /** 95% interval of the ratio (delta method on its logarithm). */
  lower: number | null;
  upper: number | null;
  learned_posts: number;
  control_posts: number;
  learned_mean_rate: number | null;
  control_mean_rate: number | null;
}

const Z95 = 1.959964;

function moments(xs: readonly number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, variance };
}

/**
 * Learned posts against the control group. Each post's rate is taken over its persona's baseline at the
 * time, so a mix of personas with different audiences (and a baseline that rises as the loop learns)
 * compares like with like. Needs two posts in each group.
 */
export function liftOf(rows: readonly { group: PostGroup; engagement_rate: number; baseline: number }[]): Lift {
  const normalised = (r: (typeof rows)[number]) => (r.engagement_rate + RATE_EPSILON) / (r.baseline + RATE_EPSILON);
  const learned = rows.filter((r) => r.group === 'learned');
  const control = rows.filter((r) => r.group === 'control');
  const meanRate = (xs: typeof rows) => (xs.length ? xs.reduce((s, r) => s + r.engagement_rate, 0) / xs.length : null);
  const base: Lift = {
    ratio: null,
    lower: null,
    upper: null,
    learned_posts: learned.length,
    control_posts: control.length,
    learned_mean_rate: meanRate(learned),
    control_mean_rate: meanRate(control),
  };
  if (learned.length < 2 || control.length < 2) return base;
  const l = moments(learned.map(normalised));
  const c = moments(control.map(normalised));
  const ratio = l.mean / c.mean;
  const se = Math.sqrt(l.variance / (l.n * l.mean ** 2) + c.variance / (c.n * c.mean ** 2));
  return { ...base, ratio, lower: ratio * Math.exp(-Z95 * se), upper: ratio * Math.exp(Z95 * se) };
}
