import { z } from 'zod';
import { HOOK_PATTERNS } from './hook-patterns.ts';

const phrase = z.string().trim().min(1).max(80);

const shape = {
  slug: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
    // "all" labels the every-persona KPIs.
    .refine((slug) => slug !== 'all', '"all" is reserved'),
  name: z.string().trim().min(1).max(100),
  niche: z.string().trim().min(1).max(100),
  audience: z.string().trim().min(1).max(300),
  voice: z.string().trim().min(1).max(300),
  tone: z.string().trim().min(1).max(100),
  topics: z.array(phrase).min(1).max(30),
  vocabulary: z.array(phrase).max(60),
  banned_words: z.array(phrase).max(100),
  banned_topics: z.array(phrase).max(50),
  hook_patterns: z.array(z.enum(HOOK_PATTERNS)).min(1).max(HOOK_PATTERNS.length),
  /** Model tiers and a daily dollar cap for this persona; null uses the configured default. */
  hook_model: z.string().trim().min(1).max(100).nullable(),
  body_model: z.string().trim().min(1).max(100).nullable(),
  daily_budget_usd: z.number().min(0).max(1_000_000).nullable(),
  /** `auto`: an accepted draft whose quality score reaches the threshold is approved for publishing at once. */
  approval_mode: z.enum(['manual', 'auto']),
  /** The auto-approval threshold; null uses the configured default (AUTO_APPROVE_MIN_SCORE). */
  auto_approve_min_score: z.number().min(0).max(1).nullable(),
  /** Writes, approves (by approval_mode) and publishes posts_per_day posts a day on its own; null: off. */
  autopilot: z
    .object({
      posts_per_day: z.number().int().min(1, 'must be at least 1 post a day').max(48, 'at most 48 posts a day'),
      /** Rotated least recently used first; absent: the persona's own topics. */
      topics: z.array(phrase).min(1).max(30).optional(),
    })
    .strict()
    .nullable(),
  /** off: choices are uniform over the persona's patterns (as without the learning loop). */
  learning_mode: z.enum(['off', 'on']),
};

/** What defines a persona's voice and limits; shared by the shipped library and the API. */
export const personaFieldsSchema = z
  .object({
    ...shape,
    vocabulary: shape.vocabulary.default([]),
    banned_words: shape.banned_words.default([]),
    banned_topics: shape.banned_topics.default([]),
    hook_model: shape.hook_model.default(null),
    body_model: shape.body_model.default(null),
    daily_budget_usd: shape.daily_budget_usd.default(null),
    approval_mode: shape.approval_mode.default('manual'),
    auto_approve_min_score: shape.auto_approve_min_score.default(null),
    autopilot: shape.autopilot.default(null),
    learning_mode: shape.learning_mode.default('on'),
  })
  .strict();

/** A change to some fields; no defaults, so an absent field is left as it is. */
export const personaPatchSchema = z
  .object(shape)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' });

export type Autopilot = NonNullable<z.infer<typeof shape.autopilot>>;
export type PersonaFields = z.infer<typeof personaFieldsSchema>;

export interface Persona extends PersonaFields {
  id: string;
  source: 'library' | 'user';
  created_at: string;
  updated_at: string;
}
