import { z } from 'zod';
import { HOOK_PATTERNS } from '../personas/index.ts';
import { AppError } from '../platform/errors.ts';

/**
 * The post lifecycle in one place: its statuses, every change between them, and the post's shape
 * (the row type and the API's schema are this one definition).
 */
export const POST_STATUSES = [
  'draft',
  'rejected',
  'approved',
  'scheduled',
  'publishing',
  'published',
  'failed',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const REJECTION_REASONS = [
  'rejected_quality',
  'rejected_duplicate',
  'rejected_guard',
  'rejected_by_user',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What the workflow stores a new draft as: accepted, auto-approved, or rejected after its last attempt. */
export const NEW_POST_STATUSES = ['draft', 'approved', 'rejected'] as const satisfies readonly PostStatus[];

/**
 * Every status change there is. Each is one conditional UPDATE that names its transition, so a race
 * loses cleanly (the row is no longer in a `from` status) and no other change can be written.
 */
export const POST_TRANSITIONS = {
  /** A user changes a draft's text (checked again like a written one); it still awaits approval. */
  edit: { from: ['draft'], to: 'draft' },
  /** A user approves a draft; the scheduler gives it a slot. */
  approve: { from: ['draft'], to: 'approved' },
  /** A user rejects a post not yet on its way out (or its persona is deleted). */
  reject: { from: ['draft', 'approved', 'scheduled'], to: 'rejected' },
  /** A user sets the time; a draft is approved in the same step. */
  schedule: { from: ['draft', 'approved'], to: 'scheduled' },
  /** The scheduler's tick gives an approved post the persona's next free slot. */
  assignSlot: { from: ['approved'], to: 'scheduled' },
  /** A publishing run takes a due post (or resumes its own claim). */
  claim: { from: ['scheduled', 'publishing'], to: 'publishing' },
  publish: { from: ['publishing'], to: 'published' },
  /** Threads refused the content itself: only the user can fix it. */
  fail: { from: ['publishing'], to: 'failed' },
  /** A passing failure, a paused account or the quota: back to the schedule. */
  returnToSchedule: { from: ['publishing'], to: 'scheduled' },
} as const satisfies Record<string, { from: readonly PostStatus[]; to: PostStatus }>;

export type PostTransition = keyof typeof POST_TRANSITIONS;

/** The statuses a post can leave by this transition, as a SQL array parameter. */
export const fromStatuses = (transition: PostTransition): string[] => [...POST_TRANSITIONS[transition].from];

/** A 409 for a post found in a status this transition cannot leave: which it is, and what is allowed. */
export function statusConflict(post: { id: string; status: PostStatus }, transition: PostTransition, done: string) {
  const allowed = POST_TRANSITIONS[transition].from;
  return new AppError(
    'conflict',
    `post ${post.id} is ${post.status}; only a post that is ${allowed.join(' or ')} can be ${done}`,
    {
      status: post.status,
      allowed,
    },
  );
}

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
  /** Why the last publishing attempt failed, or why a due post is waiting. */
  publish_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export type Post = z.infer<typeof postSchema>;

type PublishingFields =
  | 'approved_at'
  | 'scheduled_at'
  | 'published_at'
  | 'threads_media_id'
  | 'permalink'
  | 'publish_error';

/** A post as the workflow writes it; `approved_at` only for a draft approved at once (auto approval). */
export type NewPost = Omit<Post, 'id' | 'created_at' | 'updated_at' | 'status' | PublishingFields> & {
  status: (typeof NEW_POST_STATUSES)[number];
  approved_at?: Date | null;
};
