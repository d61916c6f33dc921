import { z } from 'zod';
import { HOOK_PATTERNS } from '../content/hook-patterns.ts';

const phrase = z.string().trim().min(1).max(80);

/** What defines a persona's voice and limits; shared by the shipped library and the API. */
export const personaFieldsSchema = z
  .object({
    slug: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens'),
    name: z.string().trim().min(1).max(100),
    niche: z.string().trim().min(1).max(100),
    audience: z.string().trim().min(1).max(300),
    voice: z.string().trim().min(1).max(300),
    tone: z.string().trim().min(1).max(100),
    topics: z.array(phrase).min(1).max(30),
    vocabulary: z.array(phrase).max(60).default([]),
    banned_words: z.array(phrase).max(100).default([]),
    banned_topics: z.array(phrase).max(50).default([]),
    hook_patterns: z.array(z.enum(HOOK_PATTERNS)).min(1).max(HOOK_PATTERNS.length),
  })
  .strict();

export type PersonaFields = z.infer<typeof personaFieldsSchema>;

export interface Persona extends PersonaFields {
  id: string;
  source: 'library' | 'user';
  created_at: string;
  updated_at: string;
}
