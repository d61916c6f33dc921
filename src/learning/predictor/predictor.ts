import { RATE_EPSILON } from '../reward.ts';
import { dot, fitRidge, spearman } from './ridge.ts';
import { FEATURE_NAMES, textFeatures } from './text-features.ts';

/** A rewarded post as the predictor learns from it: the product's own insights, never synthetic labels. */
export interface TrainingRow {
  personaId: string;
  text: string;
  publishedAt: Date;
  rate: number;
  baseline: number;
  reward: number;
}

export interface PredictorModel {
  /** Personas with their own copy of every feature (those with enough posts), in block order. */
  personas: string[];
  weights: number[];
  trainSize: number;
}

export interface PredictorQuality {
  /** Spearman of predicted vs actual engagement rate on the latest 20% of posts, trained on the rest. */
  spearman: number | null;
  /** The same for the baseline: the persona's recent mean and the post's length. */
  baselineSpearman: number | null;
  trainSize: number;
  holdoutSize: number;
}

export const MIN_TRAINING_POSTS = 30;
export const HOLDOUT_SHARE = 0.2;
/** A persona gets its own copy of the features (its audience's taste) once it has this many posts. */
const OWN_FEATURES_MIN_POSTS = 10;
const MAX_OWN_PERSONAS = 50;
const PENALTY = { global: 3, persona: 6 } as const;
const F = FEATURE_NAMES.length;

function design(model: Pick<PredictorModel, 'personas'>, personaId: string, features: number[]): number[] {
  const x = new Array<number>(1 + F * (1 + model.personas.length)).fill(0);
  x[0] = 1;
  for (let i = 0; i < F; i++) x[1 + i] = features[i]!;
  const block = model.personas.indexOf(personaId);
  if (block >= 0) for (let i = 0; i < F; i++) x[1 + F * (1 + block) + i] = features[i]!;
  return x;
}

/**
 * Ridge regression of the reward (log engagement rate over the persona's recent baseline) on the text's
 * features and hour: shared weights plus a copy per persona, shrunk harder, so each persona learns what
 * its own audience rewards on top of what all of them do.
 */
export function fitPredictor(rows: readonly TrainingRow[]): PredictorModel {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.personaId, (counts.get(r.personaId) ?? 0) + 1);
  const personas = [...counts]
    .filter(([, n]) => n >= OWN_FEATURES_MIN_POSTS)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_OWN_PERSONAS)
    .map(([id]) => id);
  const shape = { personas };
  const x = rows.map((r) => design(shape, r.personaId, textFeatures(r.text, r.publishedAt)));
  const penalties = [
    0,
    ...new Array<number>(F).fill(PENALTY.global),
    ...new Array<number>(F * personas.length).fill(PENALTY.persona),
  ];
  return {
    personas,
    weights: fitRidge(
      x,
      rows.map((r) => r.reward),
      penalties,
    ),
    trainSize: rows.length,
  };
}

export function predictReward(model: PredictorModel, personaId: string, text: string, publishedAt: Date): number {
  return dot(design(model, personaId, textFeatures(text, publishedAt)), model.weights);
}

const logRate = (rate: number) => Math.log(rate + RATE_EPSILON);

/**
 * Trains on the oldest 80% and ranks the newest 20% (a time split: no peeking at the future), against
 * the baseline of the persona's recent mean plus a length term fitted on the same 80%.
 */
export function evaluatePredictor(rows: readonly TrainingRow[]): PredictorQuality {
  const sorted = [...rows].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const cut = Math.floor(sorted.length * (1 - HOLDOUT_SHARE));
  const train = sorted.slice(0, cut);
  const holdout = sorted.slice(cut);
  const sizes = { trainSize: train.length, holdoutSize: holdout.length };
  if (train.length < MIN_TRAINING_POSTS || holdout.length < 3)
    return { spearman: null, baselineSpearman: null, ...sizes };
  const model = fitPredictor(train);
  const lengthOf = (r: TrainingRow) => textFeatures(r.text, r.publishedAt)[0]!;
  const [a, slope] = fitRidge(
    train.map((r) => [1, lengthOf(r)]),
    train.map((r) => r.reward),
    [0, 1],
  ) as [number, number];
  const actual = holdout.map((r) => logRate(r.rate));
  const learned = holdout.map((r) => logRate(r.baseline) + predictReward(model, r.personaId, r.text, r.publishedAt));
  const baseline = holdout.map((r) => logRate(r.baseline) + a + slope * lengthOf(r));
  return { spearman: spearman(learned, actual), baselineSpearman: spearman(baseline, actual), ...sizes };
}
