import { describe, expect, it } from 'vitest';
import {
  baselineOf,
  evaluatePredictor,
  fitPredictor,
  predictReward,
  rewardOf,
  spearman,
  type TrainingRow,
} from '../../src/learning/index.ts';
import { createSeededRandom } from '../../src/platform/seeded-random.ts';

describe('reward normalisation', () => {
  it("is the log of the rate over the persona's baseline, smoothed at zero", () => {
    expect(rewardOf(0.05, 0.05)).toBe(0);
    expect(rewardOf(0.1, 0.05)).toBeGreaterThan(0.5);
    expect(rewardOf(0.025, 0.05)).toBeLessThan(-0.5);
    expect(Number.isFinite(rewardOf(0, 0.05))).toBe(true);
  });

  it('uses the persona’s own recent mean, leaning on everyone’s while it has few posts', () => {
    expect(baselineOf([0.04, 0.06, 0.05, 0.05, 0.05], [0.2], 0.9)).toBeCloseTo(0.05);
    // Two of its own, three borrowed from everyone's mean (0.1).
    expect(baselineOf([0.04, 0.06], [0.1, 0.1], 0.9)).toBeCloseTo((0.1 + 3 * 0.1) / 5);
    // No history at all: the post is its own baseline (reward 0).
    expect(baselineOf([], [], 0.07)).toBe(0.07);
  });
});

describe('spearman', () => {
  it('is 1 for the same order, -1 for the reverse, and handles ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 1, 2, 3], [1, 2, 3, 4])).toBeGreaterThan(0.9);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

/** Hand-made posts: persona a's audience rewards a closing question, persona b's punishes it; long posts do a bit better. */
function rows(n: number, seed: number): TrainingRow[] {
  const rng = createSeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const personaId = i % 2 === 0 ? 'a' : 'b';
    const question = rng() < 0.5;
    const long = rng() < 0.5;
    const text = `${long ? 'A long story about pricing pages. '.repeat(8) : 'Short note on pricing.'}\n\n${question ? 'What would you change?' : 'That is all.'}`;
    const effect = (question ? 1 : -1) * (personaId === 'a' ? 0.4 : -0.4) + (long ? 0.1 : 0);
    const reward = effect + 0.15 * (rng() - 0.5);
    const baseline = personaId === 'a' ? 0.05 : 0.03;
    return {
      personaId,
      text,
      publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
      rate: Math.exp(reward) * (baseline + 0.005) - 0.005,
      baseline,
      reward,
    };
  });
}

describe('the engagement predictor', () => {
  it("learns each persona's own taste from hand-made data", () => {
    const model = fitPredictor(rows(200, 1));
    const at = new Date(Date.UTC(2026, 1, 1, 12));
    const ask = 'Short note on pricing.\n\nWhat would you change?';
    const tell = 'Short note on pricing.\n\nThat is all.';
    expect(predictReward(model, 'a', ask, at)).toBeGreaterThan(predictReward(model, 'a', tell, at) + 0.4);
    expect(predictReward(model, 'b', ask, at)).toBeLessThan(predictReward(model, 'b', tell, at) - 0.4);
    expect(model.personas.sort()).toEqual(['a', 'b']);
  });

  it('ranks the held-out newest 20% better than persona mean + length', () => {
    const quality = evaluatePredictor(rows(200, 2));
    expect(quality.trainSize).toBe(160);
    expect(quality.holdoutSize).toBe(40);
    expect(quality.spearman!).toBeGreaterThan(quality.baselineSpearman! + 0.1);
  });

  it('reports nothing with too few posts', () => {
    expect(evaluatePredictor(rows(20, 3)).spearman).toBeNull();
  });
});
