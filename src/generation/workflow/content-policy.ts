import type { Queryable } from '../../platform/db/index.ts';
import { createSeededRandom, pick } from '../../platform/seeded-random.ts';
import type { HookPattern, Persona } from '../../personas/index.ts';
import type { ContentArms } from '../model/content-arms.ts';

/** What the learning loop decides about a post: its opening form, shape, and (for autopilot) its hour. */
export const LEARNED_CHOICES = ['hook_pattern', 'length', 'closing', 'emoji', 'hour'] as const;
export type LearnedChoice = (typeof LEARNED_CHOICES)[number];
/** control: uniform at random, the group lift is measured against; off: learning is off for the persona. */
export const DECISION_MODES = ['explore', 'exploit', 'control', 'off'] as const;
export type DecisionMode = (typeof DECISION_MODES)[number];

export interface Decision {
  choice: LearnedChoice;
  arm: string;
  /** The chance the policy had of making this choice, for offline replay. */
  probability: number;
  mode: DecisionMode;
}

/** One candidate draft's plan: what to write, and the decisions behind it. */
export interface DraftPlan {
  hookPattern: HookPattern;
  /** Unset: the writer chooses (the behaviour with learning off). */
  arms?: ContentArms;
  decisions: Decision[];
  /** Added to the candidate's predicted reward when candidates are ranked (Thompson draw over the mean). */
  bonus: number;
  /** The persona's best-rewarded recent posts, for a model's prompt. */
  examples?: string[];
}

export interface PlanInput {
  persona: Persona;
  taskId: string;
  /** This attempt's seed. */
  seed: number;
  /** The post's seed, the same on every attempt (its control-group draw must not change on a rewrite). */
  postSeed: number;
  /** Candidates to plan; the workflow writes each and keeps the best. */
  count: number;
  /** Patterns already rejected for quality in this draft. */
  avoidPatterns: readonly HookPattern[];
}

/**
 * The port through which the workflow asks what to write. Generation defines it; the learning domain
 * implements it and the composition root passes it in, so generation never depends on learning.
 */
export interface ContentPolicy {
  readonly version: string;
  planDrafts(input: PlanInput): Promise<DraftPlan[]>;
  /** Predicted reward (log engagement over the persona's baseline) of a text; null without a trained model. */
  predict(input: { persona: Persona; text: string }): Promise<number | null>;
  recordDecisions(
    tx: Queryable,
    input: { postId: string; taskId: string; personaId: string; decisions: Decision[] },
  ): Promise<void>;
}

/** Uniform over the persona's patterns, not in the avoided ones when it can: the behaviour without learning. */
export function uniformPattern(persona: Persona, avoid: readonly HookPattern[], seed: number): HookPattern {
  const rng = createSeededRandom(seed);
  const fresh = persona.hook_patterns.filter((pattern) => !avoid.includes(pattern));
  return pick(rng, fresh.length > 0 ? fresh : persona.hook_patterns);
}

/** No learning: one plan, a uniform pattern, the writer's own shape, nothing logged. */
export function createUniformPolicy(): ContentPolicy {
  return {
    version: 'uniform',
    planDrafts: async (input) => [
      { hookPattern: uniformPattern(input.persona, input.avoidPatterns, input.seed), decisions: [], bonus: 0 },
    ],
    predict: async () => null,
    recordDecisions: async () => {},
  };
}
