import {
  containerStatusSchema,
  idResponseSchema,
  publishingLimitSchema,
  type ContainerStatus,
} from './threads-schemas.ts';
import { seg, type ThreadsHttp } from './threads-http.ts';

export const REPLY_CONTROLS = [
  'everyone',
  'accounts_you_follow',
  'mentioned_only',
  'parent_post_author_only',
  'followers_only',
] as const;

export type ReplyControl = (typeof REPLY_CONTROLS)[number];

export interface CreateContainerInput {
  /** The Threads user id, or `me`. */
  userId: string;
  accessToken: string;
  /** At most 500 characters; at most 5 links. */
  text: string;
  /** Makes this a reply (to a post, or to a reply by using its id). */
  replyToId?: string;
  replyControl?: ReplyControl;
  quotePostId?: string;
  /** The link card's URL; otherwise the first URL in the text becomes the card. */
  linkAttachment?: string;
  /** 1–50 characters, no `.` or `&`. */
  topicTag?: string;
  /** Publish at once: the returned id is then the media id, not a container id. */
  autoPublishText?: boolean;
}

export interface CreatedContainer {
  id: string;
  /** True when autoPublishText published it: `id` is the media id and no threads_publish follows. */
  published: boolean;
}

export interface ContainerState {
  id: string;
  status: ContainerStatus;
  errorMessage: string | null;
}

export interface PublishingLimit {
  quotaUsage: number;
  quotaTotal: number;
  quotaDurationSeconds: number;
  replyQuotaUsage: number | null;
  replyQuotaTotal: number | null;
  replyQuotaDurationSeconds: number | null;
}

export function createPublishingCalls(http: ThreadsHttp) {
  return {
    /** Step 1 of publishing: POST /{user-id}/threads with media_type=TEXT. Store the id before step 2. */
    async createContainer(input: CreateContainerInput): Promise<CreatedContainer> {
      const res = await http({
        endpoint: 'create_container',
        method: 'POST',
        path: `/${seg(input.userId)}/threads`,
        accessToken: input.accessToken,
        params: {
          media_type: 'TEXT',
          text: input.text,
          reply_to_id: input.replyToId,
          reply_control: input.replyControl,
          quote_post_id: input.quotePostId,
          link_attachment: input.linkAttachment,
          topic_tag: input.topicTag,
          auto_publish_text: input.autoPublishText ? 'true' : undefined,
        },
        schema: idResponseSchema,
      });
      return { id: res.id, published: input.autoPublishText === true };
    },

    /** GET /{container-id}?fields=id,status,error_message; PUBLISHED means step 2 already happened. */
    async getContainerStatus(input: { containerId: string; accessToken: string }): Promise<ContainerState> {
      const res = await http({
        endpoint: 'container_status',
        method: 'GET',
        path: `/${seg(input.containerId)}`,
        accessToken: input.accessToken,
        params: { fields: 'id,status,error_message' },
        schema: containerStatusSchema,
      });
      return { id: res.id, status: res.status, errorMessage: res.error_message ?? null };
    },

    /** Step 2: POST /{user-id}/threads_publish; returns the media id. A container not yet FINISHED fails as `not_ready`. */
    async publishContainer(input: {
      userId: string;
      accessToken: string;
      containerId: string;
    }): Promise<{ id: string }> {
      const res = await http({
        endpoint: 'threads_publish',
        method: 'POST',
        path: `/${seg(input.userId)}/threads_publish`,
        accessToken: input.accessToken,
        params: { creation_id: input.containerId },
        schema: idResponseSchema,
      });
      return { id: res.id };
    },

    /** Posts and replies published in the rolling 24 h, against their quotas (250 and 1,000). */
    async getPublishingLimit(input: { userId: string; accessToken: string }): Promise<PublishingLimit> {
      const res = await http({
        endpoint: 'publishing_limit',
        method: 'GET',
        path: `/${seg(input.userId)}/threads_publishing_limit`,
        accessToken: input.accessToken,
        params: { fields: 'quota_usage,config,reply_quota_usage,reply_config' },
        schema: publishingLimitSchema,
      });
      const d = res.data[0]!;
      return {
        quotaUsage: d.quota_usage,
        quotaTotal: d.config.quota_total,
        quotaDurationSeconds: d.config.quota_duration,
        replyQuotaUsage: d.reply_quota_usage ?? null,
        replyQuotaTotal: d.reply_config?.quota_total ?? null,
        replyQuotaDurationSeconds: d.reply_config?.quota_duration ?? null,
      };
    },
  };
}
