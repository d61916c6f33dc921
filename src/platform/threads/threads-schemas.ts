import { z } from 'zod';

/**
 * Response shapes of the Threads Graph API, checked at the boundary. Ids are strings everywhere:
 * numbers (the OAuth user_id, already quoted when unsafe by parseJsonLossless) are turned into strings.
 */
export const threadsId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

const ref = z.object({ id: threadsId });

export const oauthTokenSchema = z.object({ access_token: z.string().min(1), user_id: threadsId });

export const longLivedTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().default('bearer'),
  expires_in: z.number().int().positive(),
});

export const debugTokenSchema = z.object({
  data: z.object({
    type: z.string().optional(),
    application: z.string().optional(),
    expires_at: z.number().optional(),
    issued_at: z.number().optional(),
    is_valid: z.boolean(),
    scopes: z.array(z.string()).default([]),
    user_id: threadsId.optional(),
  }),
});

export const idResponseSchema = z.object({ id: threadsId });

export const successSchema = z.object({ success: z.boolean() });

export const CONTAINER_STATUSES = ['IN_PROGRESS', 'FINISHED', 'PUBLISHED', 'ERROR', 'EXPIRED'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export const containerStatusSchema = z.object({
  id: threadsId,
  status: z.enum(CONTAINER_STATUSES),
  error_message: z.string().optional(),
});

const quotaConfig = z.object({ quota_total: z.number(), quota_duration: z.number() });

export const publishingLimitSchema = z.object({
  data: z
    .array(
      z.object({
        quota_usage: z.number(),
        config: quotaConfig,
        reply_quota_usage: z.number().optional(),
        reply_config: quotaConfig.optional(),
      }),
    )
    .min(1),
});

export const profileSchema = z.object({
  id: threadsId,
  username: z.string().optional(),
  name: z.string().optional(),
  threads_profile_picture_url: z.string().optional(),
  threads_biography: z.string().optional(),
  is_verified: z.boolean().optional(),
});

export const HIDE_STATUSES = ['NOT_HUSHED', 'UNHUSHED', 'HIDDEN', 'COVERED', 'BLOCKED', 'RESTRICTED'] as const;

/** A post or a reply; which keys are present depends on the `fields` asked for (`id` always is). */
export const mediaSchema = z.object({
  id: threadsId,
  media_product_type: z.string().optional(),
  media_type: z.string().optional(),
  permalink: z.string().optional(),
  owner: ref.optional(),
  username: z.string().optional(),
  text: z.string().optional(),
  timestamp: z.string().optional(),
  shortcode: z.string().optional(),
  is_quote_post: z.boolean().optional(),
  has_replies: z.boolean().optional(),
  is_reply: z.boolean().optional(),
  is_reply_owned_by_me: z.boolean().optional(),
  root_post: ref.optional(),
  replied_to: ref.optional(),
  hide_status: z.enum(HIDE_STATUSES).optional(),
  topic_tag: z.string().optional(),
  link_attachment_url: z.string().optional(),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    paging: z
      .object({
        cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
        next: z.string().optional(),
        previous: z.string().optional(),
      })
      .optional(),
  });

export const insightsSchema = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      period: z.string().optional(),
      values: z.array(z.object({ value: z.number(), end_time: z.string().optional() })).optional(),
      total_value: z.object({ value: z.number() }).optional(),
      link_total_values: z.array(z.object({ value: z.number(), link_url: z.string() })).optional(),
    }),
  ),
});

export type ThreadsMedia = z.infer<typeof mediaSchema>;
export type ThreadsProfile = z.infer<typeof profileSchema>;
export type HideStatus = (typeof HIDE_STATUSES)[number];
