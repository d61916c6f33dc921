import { describe, expect, it } from 'vitest';
import {
  fitBandit,
  groupOf,
  liftOf,
  type Observation,
  planDay,
  planDraft,
  saturationPenalty,
  thompson,
} from '../../src/learning/index.ts';
import type { Persona } from '../../src/personas/index.ts';
import { createSeededRandom } from '../../src/platform/seeded-random.ts';
import { personaFields } from '../support/factories.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1);
const persona = (id: string, niche = 'indie SaaS'): Persona => ({
  ...personaFields({ niche, hook_patterns: ['question', 'story', 'statistic'] }),
  id,
  source: 'user',
  created_at: '',
  updated_at: '',
});

function observe(personaId: string, niche: string, arm: string, rewards: number[], at = NOW): Observation[] {
  return rewards.map((reward) => ({ personaId, niche, choice: 'hook_pattern', arm, reward, at }));
}

describe('the bandit update', () => {
  it('moves an arm toward its rewards and narrows it with every pull', () => {
    const few = fitBandit(observe('a', 'n', 'story', [0.4, 0.5]), { now: NOW, halfLifeDays: 21 });
    const many = fitBandit(observe('a', 'n', 'story', Array(40).fill(0.45)), { now: NOW, halfLifeDays: 21 });
    const p2 = few.posterior('a', 'n', 'hook_pattern', 'story');
    const p40 = many.posterior('a', 'n', 'hook_pattern', 'story');
    expect(p2.mean).toBeGreaterThan(0);
    expect(p2.mean).toBeLessThan(0.45);
    expect(p40.mean).toBeGreaterThan(p2.mean);
    // The prior (κ pseudo-posts at 0) still holds it a little below the observed mean.
    expect(p40.mean).toBeGreaterThan(0.35);
    expect(p40.mean).toBeLessThan(0.45);
    expect(p40.sd).toBeLessThan(p2.sd);
    expect(p40.pulls).toBe(40);
    // An arm nobody pulled stays at the prior.
    expect(many.posterior('a', 'n', 'hook_pattern', 'question').mean).toBeCloseTo(0, 5);
  });

  it('starts a new persona from what its niche learned, more than from other niches', () => {
    const data = [
      ...observe('b', 'saas', 'story', Array(30).fill(0.6)),
      ...observe('c', 'saas', 'story', Array(30).fill(0.5)),
      ...observe('d', 'baking', 'story', Array(30).fill(-0.5)),
    ];
    const model = fitBandit(data, { now: NOW, halfLifeDays: 21 });
    const newcomer = model.posterior('new', 'saas', 'hook_pattern', 'story');
    const elsewhere = model.posterior('new', 'gardening', 'hook_pattern', 'story');
    expect(newcomer.mean).toBeGreaterThan(0.2);
    expect(newcomer.pulls).toBe(0);
    expect(elsewhere.mean).toBeLessThan(newcomer.mean);
  });

  it('discounts old rewards so it follows an audience whose taste turned', () => {
    const old = observe('a', 'n', 'story', Array(30).fill(0.5), NOW - 90 * DAY);
    const recent = observe('a', 'n', 'story', Array(10).fill(-0.3), NOW - DAY);
    const discounted = fitBandit([...old, ...recent], { now: NOW, halfLifeDays: 14 });
    const undiscounted = fitBandit([...old, ...recent], { now: NOW, halfLifeDays: 100_000 });
    expect(discounted.posterior('a', 'n', 'hook_pattern', 'story').mean).toBeLessThan(0);
    expect(undiscounted.posterior('a', 'n', 'hook_pattern', 'story').mean).toBeGreaterThan(0.2);
  });

  it('picks the better arm far more often, and reports the probability it had', () => {
    const model = fitBandit(
      [...observe('a', 'n', 'story', Array(20).fill(0.5)), ...observe('a', 'n', 'question', Array(20).fill(-0.2))],
      { now: NOW, halfLifeDays: 21 },
    );
    const arms = new Map(['story', 'question'].map((arm) => [arm, model.posterior('a', 'n', 'hook_pattern', arm)]));
    const rng = createSeededRandom(5);
    const draws = Array.from({ length: 200 }, () => thompson(arms, rng));
    const story = draws.filter((d) => d.arm === 'story');
    expect(story.length).toBeGreaterThan(180);
    expect(story[0]!.probability).toBeGreaterThan(0.8);
    expect(story[0]!.mode).toBe('exploit');
    // A heavy enough penalty (the audience tired of it) turns the choice.
    const tired = thompson(arms, rng, (arm) => (arm === 'story' ? 2 : 0));
    expect(tired.arm).toBe('question');
  });

  it('penalises an opening by how often and how lately it was used', () => {
    expect(saturationPenalty('story', [])).toBe(0);
    expect(saturationPenalty('story', ['story'])).toBeGreaterThan(saturationPenalty('story', ['question', 'story']));
    expect(saturationPenalty('story', ['story', 'story'])).toBeGreaterThan(saturationPenalty('story', ['story']));
    expect(saturationPenalty('story', ['a', 'b', 'c', 'd', 'e', 'story'])).toBe(0);
  });
});

describe('the control group', () => {
  it('takes about the configured share of posts, and none with learning off', () => {
    const rng = createSeededRandom(42);
    const groups = Array.from({ length: 20_000 }, () => groupOf({ learningOn: true, controlShare: 0.1, rng }));
    const share = groups.filter((g) => g === 'control').length / groups.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(groupOf({ learningOn: false, controlShare: 0.1, rng })).toBe('off');
    expect(groupOf({ learningOn: true, controlShare: 0, rng })).toBe('learned');
  });

  it('chooses every arm uniformly, whatever was learned, and logs it as control', () => {
    const p = persona('a');
    const model = fitBandit(observe('a', p.niche, 'story', Array(50).fill(1)), { now: NOW, halfLifeDays: 21 });
    const rng = createSeededRandom(3);
    const ctx = { model, persona: p, rng, seed: 1, recentPatterns: [], avoidPatterns: [] };
    const control = Array.from({ length: 900 }, () => planDraft({ ...ctx, group: 'control' }));
    const stories = control.filter((plan) => plan.hookPattern === 'story').length;
    expect(stories).toBeGreaterThan(250);
    expect(stories).toBeLessThan(350);
    for (const d of control[0]!.decisions) expect(d.mode).toBe('control');
    expect(control[0]!.decisions.map((d) => d.choice)).toEqual(['hook_pattern', 'length', 'closing', 'emoji']);
    expect(control[0]!.decisions[0]!.probability).toBeCloseTo(1 / 3);

    const learned = Array.from({ length: 100 }, () => planDraft({ ...ctx, group: 'learned' }));
    expect(learned.filter((plan) => plan.hookPattern === 'story').length).toBeGreaterThan(90);
    expect(learned[0]!.arms).toBeDefined();

    const off = planDraft({ ...ctx, group: 'off' });
    expect(off.arms).toBeUndefined();
    expect(off.decisions).toEqual([expect.objectContaining({ choice: 'hook_pattern', mode: 'off' })]);
  });
});

describe('the lift over the control group', () => {
  it('is the ratio of normalised rates with an interval that narrows with more posts', () => {
    const rows = (n: number) => [
      ...Array.from({ length: n }, (_, i) => ({
        group: 'learned' as const,
        engagement_rate: 0.06 + (i % 2) * 0.01,
        baseline: 0.05,
      })),
      ...Array.from({ length: n }, (_, i) => ({
        group: 'control' as const,
        engagement_rate: 0.045 + (i % 2) * 0.01,
        baseline: 0.05,
      })),
    ];
    const small = liftOf(rows(5));
    const large = liftOf(rows(200));
    // Five each: learned rates 0.06 ×3 and 0.07 ×2, control 0.045 ×3 and 0.055 ×2, all over one baseline.
    expect(small.ratio).toBeCloseTo((0.064 + 0.005) / (0.049 + 0.005), 6);
    expect(small.lower!).toBeLessThan(small.ratio!);
    expect(small.upper!).toBeGreaterThan(small.ratio!);
    expect(large.upper! - large.lower!).toBeLessThan(small.upper! - small.lower!);
    expect(large.learned_posts).toBe(200);
    expect(liftOf(rows(1)).ratio).toBeNull();
  });
});

describe("the autopilot's day", () => {
  it('places posts in their hour blocks, at least the publishing gap apart', () => {
    const day = new Date(Date.UTC(2026, 2, 1));
    const slots = planDay({
      day,
      postsPerDay: 3,
      minGapMinutes: 90,
      draw: (i) => ({
        decision: { choice: 'hour', arm: i === 2 ? '18' : '09', probability: 0.5, mode: 'exploit' },
        offsetMs: 10 * 60_000,
      }),
    });
    const hours = slots.map((s) => (s.slotAt.getTime() - day.getTime()) / 3_600_000);
    expect(hours).toEqual([9 + 1 / 6, 9 + 1 / 6 + 1.5, 18 + 1 / 6]);
  });
});
