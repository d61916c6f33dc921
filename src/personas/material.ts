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

const ADVICE = [
  (t: string) => `write down what you change about ${t} and why`,
  (t: string) => `review ${t} once a week`,
  (t: string) => `pick one thing to improve in ${t} this month`,
  (t: string) => `ask someone further along how they handle ${t}`,
  (t: string) => `keep every note on ${t} in one place`,
];
const EXPERIENCE = [
  (t: string) => `kept a one-line note on ${t} every week for a month`,
  (t: string) => `stopped guessing about ${t} and started writing down what happened`,
  (t: string) => `asked three people how they handle ${t} and changed my approach`,
  (t: string) => `spent a weekend on ${t} and it paid off for months`,
];
const MISTAKES = [
  (t: string) => `changing ${t} and three other things at the same time`,
  (t: string) => `ignoring ${t} until it becomes urgent`,
  (t: string) => `copying someone else's approach to ${t} without testing it`,
  (t: string) => `treating ${t} as a one-time task`,
];

/**
 * A persona written by a user has no library material: it is built from its own vocabulary, every
 * term in every frame, so posts vary as much as the vocabulary allows.
 */
function fromVocabulary(persona: Pick<PersonaFields, 'vocabulary' | 'topics' | 'niche'>): PersonaMaterial {
  const terms = persona.vocabulary.length ? persona.vocabulary : [persona.niche];
  const every = (frames: ((t: string) => string)[]) => terms.flatMap((t) => frames.map((f) => f(t)));
  return { advice: every(ADVICE), experience: every(EXPERIENCE), mistakes: every(MISTAKES) };
}

export function materialFor(persona: Pick<PersonaFields, 'slug' | 'vocabulary' | 'topics' | 'niche'>): PersonaMaterial {
  return loadMaterialLibrary()[persona.slug] ?? fromVocabulary(persona);
}
