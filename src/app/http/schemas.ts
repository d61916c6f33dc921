import { z } from 'zod';
import { HOOK_PATTERNS, personaFieldsSchema } from '../../personas/index.ts';
import { POST_STATUSES, REJECTION_REASONS } from '../../posts/index.ts';

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();

export const personaSchema = personaFieldsSchema.extend({
  id: z.uuid(),
  source: z.enum(['library', 'user']),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createTaskBody = z
  .object({
    persona_id: z.uuid({ message: 'must be the UUID of an existing persona' }),
    topic: z.string().trim().min(1).max(280).optional(),
    variants: z.number().int().min(1).max(10).optional(),
  })
  .strict();

export const taskAcceptedSchema = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  links: z.object({ self: z.string(), events: z.string(), posts: z.string() }),
});

export const taskSchema = z.object({
  id: z.uuid(),
  persona_id: z.uuid(),
  topic: z.string().nullable(),
  variants: z.number(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  runs: z.number(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  steps: z.array(
    z.object({
      node: z.string(),
      variant: z.number().nullable(),
      attempt: z.number().nullable(),
      status: z.enum(['running', 'ok', 'error']),
      started_at: z.string(),
      finished_at: z.string().nullable(),
      duration_ms: z.number().nullable(),
      error: z.string().optional(),
    }),
  ),
  post_ids: z.array(z.uuid()),
});

export const postSchema = z.object({
  id: z.uuid(),
  persona_id: z.uuid(),
  task_id: z.uuid().nullable(),
  variant: z.number(),
  status: z.enum(POST_STATUSES),
  topic: z.string().nullable(),
  hook_pattern: z.enum(HOOK_PATTERNS),
  hook: z.string(),
  body: z.string(),
  text: z.string(),
  quality_score: z.number().nullable(),
  score_breakdown: z.record(z.string(), z.unknown()),
  rejection_reason: z.enum(REJECTION_REASONS).nullable(),
  rejection_detail: z.record(z.string(), z.unknown()).nullable(),
  attempts: z.number(),
  models: z.record(z.string(), z.unknown()),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cost_usd: z.number(),
  nearest_post_id: z.uuid().nullable(),
  nearest_similarity: z.number().nullable(),
  approved_at: z.string().nullable(),
  scheduled_at: z.string().nullable(),
  published_at: z.string().nullable(),
  threads_media_id: z.string().nullable(),
  permalink: z.string().nullable(),
  publish_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
