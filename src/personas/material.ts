import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PersonaFields } from './persona.schema.ts';

/**
 * What a persona in a niche knows, as data the offline composer writes from: advice (imperative
 * clauses), experience (what "I" did, past tense, after "I") and mistakes (gerund phrases). None
 * of it carries a statistic: figures only appear as the persona's own experience.
 */
export interface PersonaMaterial {
  advice: string[];
  experience: string[];
  mistakes: string[];
}

const clause = z
  .string()
  .trim()
  .min(3)
  .max(120)
  .regex(/[^.?!]$/, 'leave the final punctuation to the writer');
const materialSchema = z.object({
  advice: z.array(clause).min(3),
  experience: z.array(clause).min(3),
  mistakes: z.array(clause).min(2),
});
const librarySchema = z.record(z.string(), materialSchema);

let cached: Record<string, PersonaMaterial> | null = null;

export function loadMaterialLibrary(): Record<string, PersonaMaterial> {
  if (cached) return cached;
  const raw: unknown = JSON.parse(readFileSync(new URL('./library/material.json', import.meta.url), 'utf8'));
  const parsed = librarySchema.safeParse(raw);
  if (!parsed.success) throw new Error(`persona material: material.json is invalid: ${parsed.error.message}`);
  cached = parsed.data;
  return cached;
}

/** A persona written by a user has no library material: it is built from its own vocabulary and topics. */
function fromVocabulary(persona: Pick<PersonaFields, 'vocabulary' | 'topics' | 'niche'>): PersonaMaterial {
  const terms = persona.vocabulary.length ? persona.vocabulary : [persona.niche];
  return {
    advice: terms.flatMap((t) => [`write down what you change about ${t} and why`, `review ${t} once a week`]),
    experience: terms.map((t) => `kept a one-line note on ${t} every week for a month`),
    mistakes: terms.map((t) => `changing ${t} and three other things at the same time`),
  };
}

export function materialFor(persona: Pick<PersonaFields, 'slug' | 'vocabulary' | 'topics' | 'niche'>): PersonaMaterial {
  return loadMaterialLibrary()[persona.slug] ?? fromVocabulary(persona);
}
