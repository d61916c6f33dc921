import { randomBytes } from 'node:crypto';
import type { insertTask } from '../../src/generation/tasks/task.repository.ts';
import { personaFieldsSchema, type PersonaFields } from '../../src/personas/persona.schema.ts';

export function uniqueSlug(prefix = 'persona'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function personaFields(overrides: Partial<PersonaFields> = {}): PersonaFields {
  return personaFieldsSchema.parse({
    slug: uniqueSlug(),
    name: 'Ada Metrics',
    niche: 'indie SaaS growth',
    audience: 'solo founders with their first 100 customers',
    voice: 'dry, numbers-first, short sentences',
    tone: 'practical',
    topics: ['pricing experiments', 'churn interviews', 'onboarding emails', 'cold outreach', 'weekly metrics'],
    vocabulary: ['MRR', 'churn', 'activation', 'cohort', 'trial', 'conversion', 'retention', 'pricing page'],
    banned_words: ['guru', 'hustle'],
    banned_topics: ['crypto pumps'],
    hook_patterns: ['question', 'number_list', 'statistic', 'how_to'],
    ...overrides,
  });
}

/** A one-variant task for the persona, as a caller with no topic and no idempotency key asks for it. */
export function taskFields(personaId: string): Parameters<typeof insertTask>[1] {
  return { persona_id: personaId, topic: null, variants: 1, seed: 1, idempotency_key: null, request_hash: null };
}
