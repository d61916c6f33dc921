import type { LearnedChoice } from '../generation/index.ts';
import type { Random } from '../platform/seeded-random.ts';

/** One rewarded decision: the arm a post had for one choice, and the post's reward. */
export interface Observation {
  personaId: string;
  niche: string;
  choice: LearnedChoice;
  arm: string;
  reward: number;
  /** When the post was published (epoch ms): its weight halves every half-life after. */
  at: number;
}

interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export interface ArmPosterior {
  mean: number;
  sd: number;
  /** Rewarded posts of this persona with this arm (not discounted). */
  pulls: number;
}

export interface BanditOptions {
  now: number;
  halfLifeDays: number;
}

const DAY_MS = 86_400_000;
/** Spread of an arm's effect before any data (log engagement lift): ±0.5 is a 1.65× swing. */
const ROOT_SD = 0.5;
/** Reward noise variance before there is enough data to estimate it. */
const DEFAULT_NOISE = 0.3;
const MIN_NOISE = 0.02;
/** Prior strength bounds (pseudo-posts) of a parent level over a child. */
const KAPPA_RANGE = [2, 40] as const;

const empty = (): Moments => ({ n: 0, sum: 0, sumSq: 0 });
const minus = (a: Moments, b: Moments): Moments => ({ n: a.n - b.n, sum: a.sum - b.sum, sumSq: a.sumSq - b.sumSq });

function add(map: Map<string, Moments>, key: string, reward: number, weight: number) {
  const m = map.get(key) ?? empty();
  map.set(key, m);
  m.n += weight;
  m.sum += weight * reward;
  m.sumSq += weight * reward * reward;
}

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

/**
 * Posterior of each arm's mean reward, Gaussian, in three levels: all personas → the niche → the persona.
 * Each level's prior is the level above's posterior mean, computed without the level's own data, with a
 * strength κ = noise variance / between-group variance estimated from the data (empirical Bayes): a new
 * persona starts from what its niche and the others learned, and its own posts take over as they come.
 * Every observation's weight halves each half-life, so the posterior follows an audience that drifts.
 */
export function fitBandit(observations: readonly Observation[], options: BanditOptions) {
  const all = new Map<string, Moments>();
  const niche = new Map<string, Moments>();
  const persona = new Map<string, Moments>();
  const pulls = new Map<string, number>();
  const noise = empty();
  const seenPosts = new Set<string>();
  for (const o of observations) {
    const weight = 0.5 ** (Math.max(0, options.now - o.at) / (options.halfLifeDays * DAY_MS));
    add(all, `${o.choice}|${o.arm}`, o.reward, weight);
    add(niche, `${o.niche}|${o.choice}|${o.arm}`, o.reward, weight);
    const own = `${o.personaId}|${o.choice}|${o.arm}`;
    add(persona, own, o.reward, weight);
    pulls.set(own, (pulls.get(own) ?? 0) + 1);
    // Each post's reward once in the noise estimate, whatever number of choices it logged.
    const post = `${o.personaId}|${o.at}|${o.reward}`;
    if (!seenPosts.has(post)) {
      seenPosts.add(post);
      noise.n += weight;
      noise.sum += weight * o.reward;
      noise.sumSq += weight * o.reward * o.reward;
    }
  }
  const noiseVar =
    noise.n >= 10 ? Math.max(MIN_NOISE, noise.sumSq / noise.n - (noise.sum / noise.n) ** 2) : DEFAULT_NOISE;
  const kappaPersona = clamp(noiseVar / betweenVariance(persona, noiseVar), KAPPA_RANGE);
  const kappaNiche = clamp(noiseVar / betweenVariance(niche, noiseVar), KAPPA_RANGE);
  const kappaRoot = noiseVar / ROOT_SD ** 2;

  function posterior(personaId: string, nicheName: string, choice: LearnedChoice, arm: string): ArmPosterior {
    const key = `${choice}|${arm}`;
    const own = persona.get(`${personaId}|${key}`) ?? empty();
    const ofNiche = niche.get(`${nicheName}|${key}`) ?? empty();
    const ofAll = all.get(key) ?? empty();
    const others = minus(ofAll, ofNiche);
    const nicheOthers = minus(ofNiche, own);
    const rootMean = others.sum / (kappaRoot + Math.max(0, others.n));
    const nicheMean = (kappaNiche * rootMean + nicheOthers.sum) / (kappaNiche + Math.max(0, nicheOthers.n));
    const mean = (kappaPersona * nicheMean + own.sum) / (kappaPersona + own.n);
    return { mean, sd: Math.sqrt(noiseVar / (kappaPersona + own.n)), pulls: pulls.get(`${personaId}|${key}`) ?? 0 };
  }

  return { posterior, noiseVar, kappaPersona, kappaNiche };
}

export type BanditModel = ReturnType<typeof fitBandit>;

/**
 * Method of moments: how far the groups' arm means spread beyond what their noise explains, over
 * groups with a few observations. Groups are keyed `group|choice|arm`; they are compared per choice|arm.
 */
function betweenVariance(groups: Map<string, Moments>, noiseVar: number): number {
  const byArm = new Map<string, { mean: number; n: number }[]>();
  for (const [key, m] of groups) {
    if (m.n < 3) continue;
    const arm = key.slice(key.indexOf('|') + 1);
    const list = byArm.get(arm) ?? [];
    list.push({ mean: m.sum / m.n, n: m.n });
    byArm.set(arm, list);
  }
  let excess = 0;
  let count = 0;
  for (const list of byArm.values()) {
    if (list.length < 2) continue;
    const grand = list.reduce((s, g) => s + g.mean, 0) / list.length;
    for (const g of list) {
      excess += (g.mean - grand) ** 2 - noiseVar / g.n;
      count++;
    }
  }
  // Without enough groups, a moderate prior: the parent counts like five posts.
  return count >= 4 ? Math.max(1e-3, excess / count) : noiseVar / 5;
}

/** Standard normal from two uniforms (Box–Muller). */
export function normal(rng: Random): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export interface ArmDraw {
  arm: string;
  /** Chance Thompson sampling picks this arm, estimated from its own draws. */
  probability: number;
  mode: 'explore' | 'exploit';
  /** The chosen draw above the arm's posterior mean: the exploration bonus a candidate carries. */
  bonus: number;
}

/** Draws used to estimate each arm's choice probability. */
const PROBABILITY_DRAWS = 200;

/**
 * Thompson sampling over `arms`: one draw from each posterior, less a penalty (the audience tiring of
 * what it saw lately), the highest wins. `exploit` when the winner is also the best by mean.
 */
export function thompson(
  posteriors: ReadonlyMap<string, ArmPosterior>,
  rng: Random,
  penalty: (arm: string) => number = () => 0,
): ArmDraw {
  const arms = [...posteriors.keys()];
  const drawOnce = () => {
    let best = arms[0]!;
    let bestValue = -Infinity;
    let bestDraw = 0;
    for (const arm of arms) {
      const p = posteriors.get(arm)!;
      const draw = p.sd * normal(rng);
      const value = p.mean + draw - penalty(arm);
      if (value > bestValue) [best, bestValue, bestDraw] = [arm, value, draw];
    }
    return { arm: best, draw: bestDraw };
  };
  const chosen = drawOnce();
  let wins = 0;
  for (let i = 0; i < PROBABILITY_DRAWS; i++) if (drawOnce().arm === chosen.arm) wins++;
  const byMean = arms.reduce((a, b) =>
    posteriors.get(b)!.mean - penalty(b) > posteriors.get(a)!.mean - penalty(a) ? b : a,
  );
  return {
    arm: chosen.arm,
    probability: Math.max(1, wins) / (PROBABILITY_DRAWS + 1),
    mode: chosen.arm === byMean ? 'exploit' : 'explore',
    bonus: chosen.draw,
  };
}

/** Choice probabilities of every arm under Thompson sampling, for the learning report. */
export function choiceProbabilities(posteriors: ReadonlyMap<string, ArmPosterior>, rng: Random, draws = 500) {
  const counts = new Map([...posteriors.keys()].map((arm) => [arm, 0]));
  for (let i = 0; i < draws; i++) {
    let best = '';
    let bestValue = -Infinity;
    for (const [arm, p] of posteriors) {
      const value = p.mean + p.sd * normal(rng);
      if (value > bestValue) [best, bestValue] = [arm, value];
    }
    counts.set(best, counts.get(best)! + 1);
  }
  return new Map([...counts].map(([arm, n]) => [arm, n / draws]));
}
