import {
  CLOSINGS,
  type ContentArms,
  type Decision,
  type DraftPlan,
  LENGTH_BANDS,
  type LearnedChoice,
  uniformPattern,
} from '../generation/index.ts';
import type { HookPattern, Persona } from '../personas/index.ts';
import { pick, type Random } from '../platform/seeded-random.ts';
import { type ArmPosterior, type BanditModel, thompson } from './bandit.ts';

/** Posting hours are learned in 3-hour UTC blocks: 8 arms learn faster than 24, and slots stay apart. */
export const HOUR_BLOCK = 3;
export const HOUR_ARMS = Array.from({ length: 24 / HOUR_BLOCK }, (_, i) => String(i * HOUR_BLOCK).padStart(2, '0'));
const EMOJI_ARMS = ['yes', 'no'] as const;

/** The arms of each choice for a persona: its own patterns, every length, closing, emoji, hour block. */
export function armsOf(persona: Pick<Persona, 'hook_patterns'>, choice: LearnedChoice): readonly string[] {
  switch (choice) {
    case 'hook_pattern':
      return persona.hook_patterns;
    case 'length':
      return LENGTH_BANDS;
    case 'closing':
      return CLOSINGS;
    case 'emoji':
      return EMOJI_ARMS;
    case 'hour':
      return HOUR_ARMS;
  }
}

/** How much a repeated opening costs, per repeat in the last few posts (the newest counts most). */
export const SATURATION = { perRepeat: 0.12, window: 5 } as const;

export function saturationPenalty(arm: string, recentPatterns: readonly string[]): number {
  let penalty = 0;
  recentPatterns.slice(0, SATURATION.window).forEach((pattern, i) => {
    if (pattern === arm) penalty += SATURATION.perRepeat * (1 - i / SATURATION.window);
  });
  return penalty;
}

export function posteriorsOf(
  model: BanditModel,
  persona: Pick<Persona, 'id' | 'niche' | 'hook_patterns'>,
  choice: LearnedChoice,
  arms: readonly string[] = armsOf(persona, choice),
): Map<string, ArmPosterior> {
  return new Map(arms.map((arm) => [arm, model.posterior(persona.id, persona.niche, choice, arm)]));
}

export type PostGroup = 'learned' | 'control' | 'off';

export interface PlanContext {
  model: BanditModel;
  persona: Persona;
  group: PostGroup;
  rng: Random;
  /** Seeds the uniform pattern with learning off, exactly as the workflow always did. */
  seed: number;
  /** The persona's latest hook patterns, newest first (saturation). */
  recentPatterns: readonly string[];
  avoidPatterns: readonly HookPattern[];
}

/**
 * One candidate's plan. learned: Thompson sampling per choice (the opening with the saturation penalty);
 * control: every choice uniform at random; off: a uniform pattern and the writer's own shape.
 */
export function planDraft(ctx: PlanContext): DraftPlan {
  const { persona, group, rng } = ctx;
  if (group === 'off') {
    const hookPattern = uniformPattern(persona, ctx.avoidPatterns, ctx.seed);
    const decision: Decision = {
      choice: 'hook_pattern',
      arm: hookPattern,
      probability: 1 / persona.hook_patterns.length,
      mode: 'off',
    };
    return { hookPattern, decisions: [decision], bonus: 0 };
  }
  const fresh = persona.hook_patterns.filter((p) => !ctx.avoidPatterns.includes(p));
  const patterns = fresh.length > 0 ? fresh : persona.hook_patterns;
  const decisions: Decision[] = [];
  let bonus = 0;
  const decide = (choice: LearnedChoice, arms: readonly string[], penalty?: (arm: string) => number) => {
    if (group === 'control') {
      const arm = pick(rng, arms);
      decisions.push({ choice, arm, probability: 1 / arms.length, mode: 'control' });
      return arm;
    }
    const draw = thompson(posteriorsOf(ctx.model, persona, choice, arms), rng, penalty);
    decisions.push({ choice, arm: draw.arm, probability: draw.probability, mode: draw.mode });
    bonus += draw.bonus;
    return draw.arm;
  };
  const hookPattern = decide('hook_pattern', patterns, (arm) =>
    saturationPenalty(arm, ctx.recentPatterns),
  ) as HookPattern;
  const arms: ContentArms = {
    length: decide('length', LENGTH_BANDS) as ContentArms['length'],
    closing: decide('closing', CLOSINGS) as ContentArms['closing'],
    emoji: decide('emoji', EMOJI_ARMS) === 'yes',
  };
  return { hookPattern, arms, decisions, bonus };
}

/** The hour block of one autopilot post: Thompson sampling, or uniform for control and learning off. */
export function planHour(ctx: Pick<PlanContext, 'model' | 'persona' | 'group' | 'rng'>): Decision {
  if (ctx.group !== 'learned') {
    const arm = pick(ctx.rng, HOUR_ARMS);
    return { choice: 'hour', arm, probability: 1 / HOUR_ARMS.length, mode: ctx.group };
  }
  const draw = thompson(posteriorsOf(ctx.model, ctx.persona, 'hour'), ctx.rng);
  return { choice: 'hour', arm: draw.arm, probability: draw.probability, mode: draw.mode };
}

/** Which group a post is in: control with the configured share, off when learning is off for the persona. */
export function groupOf(input: { learningOn: boolean; controlShare: number; rng: Random }): PostGroup {
  if (!input.learningOn) return 'off';
  return input.rng() < input.controlShare ? 'control' : 'learned';
}
