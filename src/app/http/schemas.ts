import { z } from 'zod';
import { personaFieldsSchema } from '../../personas/index.ts';

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

export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

export const taskAcceptedSchema = z.object({
  id: z.uuid(),
  status: z.enum(TASK_STATUSES),
  links: z.object({ self: z.string(), events: z.string(), posts: z.string() }),
});

export const taskSummarySchema = z.object({
  id: z.uuid(),
  persona_id: z.uuid(),
  topic: z.string().nullable(),
  variants: z.number(),
  status: z.enum(TASK_STATUSES),
  runs: z.number(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

export const taskSchema = taskSummarySchema.extend({
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

export { postSchema } from '../../posts/index.ts';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
